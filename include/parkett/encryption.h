// Parquet modular encryption (parquet-format Encryption.md): what a reader needs to decrypt
// a file (DecryptionProperties) and how a writer encrypts one (EncryptionProperties). Set
// them as ReadOptions::decryption / WriteOptions::encryption.
//
// Keys are raw AES keys of 16, 24 or 32 bytes. parkett copies them into buffers it wipes
// when it no longer needs them; the strings given here belong to the caller.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "parkett/export.h"

namespace parkett {

enum class EncryptionAlgorithm {
  AesGcmV1,     // every module AES-GCM: pages are authenticated
  AesGcmCtrV1,  // pages AES-CTR (faster, not authenticated), everything else AES-GCM
};

/// The key of a key metadata (the footer's or a column's), or an empty string if it is
/// unknown. May throw: the error is reported when a column needing that key is read.
using KeyRetriever = std::function<std::string(const std::string& key_metadata)>;

struct PARKETT_EXPORT DecryptionProperties {
  /// The footer key (also the key of columns encrypted with it). Empty: from key_retriever.
  std::string footer_key;
  /// Column keys by dotted leaf path ("a.b.list.element"); others from key_retriever.
  std::map<std::string, std::string> column_keys;
  /// Asked for every key not given above, with its key metadata.
  KeyRetriever key_retriever;
  /// The AAD prefix, for files written without storing it (then required). Given for a
  /// file that stores one, the two must match (Error(Crypto) otherwise).
  std::optional<std::string> aad_prefix;
  /// Verify a plaintext footer's signature when the footer key is at hand.
  bool check_footer_integrity = true;
  /// Read plaintext (unencrypted) files too. Off, they are Error(Crypto), as in Parquet C++:
  /// a reader expecting encrypted data is not handed a file anyone could have written.
  bool plaintext_files_allowed = false;
};

/// A column's own key and its metadata (stored in the file for readers' key retrievers).
struct PARKETT_EXPORT ColumnKey {
  std::string key;
  std::string key_metadata;
};

struct PARKETT_EXPORT EncryptionProperties {
  std::string footer_key;
  std::string footer_key_metadata;
  /// Columns encrypted with their own keys, by dotted path (a leaf, or a field: every leaf
  /// below it); the other columns stay plaintext. Empty: every column is encrypted with the
  /// footer key (uniform encryption).
  std::map<std::string, ColumnKey> column_keys;
  EncryptionAlgorithm algorithm = EncryptionAlgorithm::AesGcmV1;
  /// Leave the footer readable (signed with the footer key) so that readers without keys,
  /// and readers that know no encryption, can read the plaintext columns.
  bool plaintext_footer = false;
  /// Binds the file to a name or place (Encryption.md, "AAD prefix"): modules decrypt only
  /// with the same prefix.
  std::optional<std::string> aad_prefix;
  /// Store the prefix in the file; false: readers must supply it (aad_prefix above).
  bool store_aad_prefix = true;
};

}  // namespace parkett
