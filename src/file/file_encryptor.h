// What writing an encrypted file needs (Encryption.md), resolved from EncryptionProperties
// when the writer opens: each leaf's key, the file AAD (a fresh aad_file_unique per file),
// and the steps that seal what the writer has gathered: page indexes, column metadata and
// the footer (encrypted, or plaintext and signed).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "crypto/chunk_cipher.h"
#include "format/parquet_types.h"
#include "parkett/encryption.h"
#include "parkett/schema.h"

namespace parkett::file {

class FileEncryptor {
 public:
  /// Error(InvalidArgument) for keys of the wrong size and column keys naming no column.
  FileEncryptor(const EncryptionProperties& properties, const ParquetSchema& schema);

  /// Leaf `column`'s cipher for row group `row_group`; null for plaintext columns.
  std::shared_ptr<const crypto::ChunkCipher> chunk(int32_t row_group, int32_t column) const;
  bool encrypted_footer() const { return !plaintext_footer_; }
  /// "PARE" for encrypted footers, else "PAR1".
  const char* magic() const { return plaintext_footer_ ? "PAR1" : "PARE"; }

  /// An index of chunk (row_group, column) as it goes to the file: encrypted for encrypted
  /// columns, else as it is.
  std::string index_module(crypto::ModuleType type, int32_t row_group, int32_t column, std::string plain) const;
  /// Marks what is encrypted in `md` (the metadata as the writer returns it: every column's
  /// metadata in the clear): each chunk's crypto_metadata and the algorithm.
  void mark(format::FileMetaData& md) const;
  /// The bytes between the last data and the trailer for `md` (marked): encrypted column
  /// metadata, then the FileCryptoMetaData and encrypted footer, or the plaintext footer
  /// and its signature.
  std::string footer(format::FileMetaData md) const;

 private:
  struct Leaf {
    std::shared_ptr<const crypto::Secret> key;  // null: plaintext
    bool footer_key = false;
    std::string key_metadata;
    std::vector<std::string> path;
  };
  format::EncryptionAlgorithm algorithm() const;

  crypto::Algorithm algorithm_;
  std::shared_ptr<const crypto::Secret> footer_key_;
  std::string footer_key_metadata_;
  bool plaintext_footer_;
  std::string aad_prefix_;
  bool store_aad_prefix_;
  std::string aad_file_unique_;
  std::string file_aad_;
  std::vector<Leaf> leaves_;
};

}  // namespace parkett::file
