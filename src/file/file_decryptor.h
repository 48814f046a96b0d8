// What reading an encrypted file needs beyond its footer (Encryption.md): the algorithm,
// the file AAD, the footer key and each column's key, resolved from the reader's
// DecryptionProperties when the file is opened. Keys that cannot be had are remembered with
// the reason, and reported when (and only when) a column needing them is read.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "crypto/chunk_cipher.h"
#include "parkett/encryption.h"
#include "parkett/error.h"
#include "parkett/metadata.h"

namespace parkett::format {
struct EncryptionAlgorithm;
}

namespace parkett::file {

class FileDecryptor {
 public:
  /// From the file's algorithm and footer key metadata. `footer_required`: the footer is
  /// encrypted, so its key must be at hand (else Error(Crypto) naming its key metadata).
  /// Checks the AAD prefix given against the stored one.
  FileDecryptor(const format::EncryptionAlgorithm& algorithm, const std::optional<std::string>& footer_key_metadata,
                std::shared_ptr<const DecryptionProperties> properties, bool footer_required);

  crypto::Algorithm algorithm() const { return algorithm_; }
  const std::string& file_aad() const { return file_aad_; }
  /// The AAD of the footer module.
  std::string footer_aad() const {
    return duckdb_ ? std::string() : crypto::module_aad(file_aad_, crypto::ModuleType::Footer);
  }
  /// The AAD of chunk (row group, column)'s encrypted ColumnMetaData.
  std::string column_metadata_aad(int64_t row_group, int64_t column) const {
    return duckdb_ ? std::string()
                   : crypto::module_aad(file_aad_, crypto::ModuleType::ColumnMetaData, row_group, column);
  }
  /// Null when the footer key is unavailable (a plaintext footer read without it).
  const std::shared_ptr<const crypto::Secret>& footer_key() const { return footer_key_; }

  /// DecryptionProperties::column_keys' entry for a column (longest prefix); null if none.
  const std::string* explicit_key(const std::string& column) const;
  /// The key of a chunk encrypted as `encryption` says; Error(Crypto) saying which key
  /// metadata is needed when it is unavailable. `path`: the column, for messages.
  std::shared_ptr<const crypto::Secret> key(const ColumnEncryption& encryption, const std::string& path) const;
  /// At open: column `column`'s metadata did not decrypt (`error`, a wrong key or changed
  /// bytes). Reading the column fails with that error; reading others works.
  void metadata_failed(int32_t row_group, int32_t column, const Error& error) {
    failed_.emplace(std::pair{row_group, column}, error);
  }

  /// The cipher of a chunk's modules; null for a plaintext chunk.
  std::shared_ptr<const crypto::ChunkCipher> chunk(const ColumnChunkMetadata& chunk, int32_t row_group,
                                                   int32_t column) const;

 private:
  crypto::Algorithm algorithm_;
  std::string file_aad_;
  std::shared_ptr<const DecryptionProperties> properties_;
  std::shared_ptr<const crypto::Secret> footer_key_;
  std::string footer_unavailable_;  // why footer_key_ is null
  // The file stores no aad_file_unique: DuckDB's layout (no AADs, every column encrypted
  // with the footer key and unmarked, page sizes of the plaintext). Encryption.md has writers
  // store it; DuckDB 1.5 does not.
  bool duckdb_ = false;
  // Keys the retriever gave by key metadata, and the metadata it has no key for.
  mutable std::mutex mutex_;
  mutable std::map<std::string, std::shared_ptr<const crypto::Secret>> keys_;
  mutable std::map<std::string, std::string> unavailable_;
  std::map<std::pair<int32_t, int32_t>, Error> failed_;  // by (row group, column)
};

/// "key metadata 'kf'" (printable, shortened), or "no key metadata", for messages.
std::string describe_key_metadata(const std::optional<std::string>& metadata);

/// The chunk cipher of a chunk for a reader without decryption (nullptr for plaintext
/// chunks): Error(Crypto) saying which key the column needs.
[[noreturn]] void throw_keys_required(const ColumnEncryption& encryption);

}  // namespace parkett::file
