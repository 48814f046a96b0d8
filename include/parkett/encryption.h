// Parquet modular encryption (parquet-format Encryption.md): what a reader needs to decrypt
// a file (DecryptionProperties) and how a writer encrypts one (EncryptionProperties). Set
// them as ReadOptions::decryption / WriteOptions::encryption.
//
// Keys are raw AES keys of 16, 24 or 32 bytes. parkett copies them into buffers it wipes
// when it no longer needs them; the strings given here belong to the caller.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "parkett/export.h"
#include "parkett/filesystem.h"

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

// ---------------------------------------------------------------------------------------
// Key management (the model of pyarrow's CryptoFactory and parquet-java's
// PropertiesDrivenCryptoFactory): data keys are generated per file and column, wrapped by
// master keys that never leave a KMS, and stored as key material (JSON, byte-compatible
// with parquet-java and Parquet C++) in the file's key metadata or in a sidecar file
// `_KEY_MATERIAL_FOR_<file name>.json` beside it.

struct PARKETT_EXPORT KmsConnectionConfig {
  std::string kms_instance_id = "DEFAULT";
  std::string kms_instance_url = "DEFAULT";
  std::string key_access_token = "DEFAULT";
  std::map<std::string, std::string> custom_kms_conf;
};

/// A KMS: wraps and unwraps data keys (or key encryption keys) with master keys it keeps.
/// Implementations may throw; errors reach the reader or writer as Error(Crypto).
class PARKETT_EXPORT KmsClient {
 public:
  virtual ~KmsClient() = default;
  /// `key` wrapped with the master key `master_key_id`, as text stored in key material.
  virtual std::string wrap_key(const std::string& key, const std::string& master_key_id) = 0;
  virtual std::string unwrap_key(const std::string& wrapped_key, const std::string& master_key_id) = 0;
};
using KmsClientFactory = std::function<std::shared_ptr<KmsClient>(const KmsConnectionConfig&)>;

struct PARKETT_EXPORT EncryptionConfiguration {
  std::string footer_key;  // master key id of the footer
  /// Master key id -> the columns (dotted paths, or fields) it encrypts; the others stay
  /// plaintext. Exactly one of column_keys and uniform_encryption.
  std::map<std::string, std::vector<std::string>> column_keys;
  bool uniform_encryption = false;  // every column with the footer key
  EncryptionAlgorithm encryption_algorithm = EncryptionAlgorithm::AesGcmV1;
  bool plaintext_footer = false;
  /// Wrap data keys with key encryption keys (one per master key, cached), which the KMS
  /// wraps: one KMS call per master key instead of per data key.
  bool double_wrapping = true;
  std::chrono::seconds cache_lifetime{600};
  /// Key material in the file's key metadata (true) or in the sidecar file (false: the key
  /// material can then be rotated without touching the file).
  bool internal_key_material = true;
  int data_key_length_bits = 128;  // 128, 192 or 256
};

struct PARKETT_EXPORT DecryptionConfiguration {
  std::chrono::seconds cache_lifetime{600};
};

/// Makes encryption and decryption properties from a KMS. Caches (KMS clients and key
/// encryption keys, per access token) are shared by everything one factory makes, for
/// `cache_lifetime`. Thread-safe.
class PARKETT_EXPORT CryptoFactory {
 public:
  explicit CryptoFactory(KmsClientFactory kms_client_factory);
  ~CryptoFactory();

  /// The properties to write `path` with. External key material (internal_key_material =
  /// false) is written now to its sidecar beside `path`, through `filesystem` (null: by the
  /// path). Error(InvalidArgument) for an inconsistent configuration, Error(Crypto) when the
  /// KMS fails.
  std::shared_ptr<const EncryptionProperties> file_encryption_properties(
      const KmsConnectionConfig& kms, const EncryptionConfiguration& config, const std::string& path = {},
      std::shared_ptr<FileSystem> filesystem = nullptr) const;
  /// The properties to read files written with this KMS. `path`: the file, for external key
  /// material (its sidecar is read when a key is first needed).
  std::shared_ptr<const DecryptionProperties> file_decryption_properties(
      const KmsConnectionConfig& kms, const DecryptionConfiguration& config = {}, const std::string& path = {},
      std::shared_ptr<FileSystem> filesystem = nullptr) const;
  /// Key rotation of a file with external key material: every data key is unwrapped and
  /// wrapped again with the KMS's current master keys (new key encryption keys when
  /// `double_wrapping`), and the sidecar replaced atomically. The Parquet file is untouched.
  void rotate_master_keys(const KmsConnectionConfig& kms, const std::string& path, bool double_wrapping = true,
                          std::chrono::seconds cache_lifetime = std::chrono::seconds{600},
                          std::shared_ptr<FileSystem> filesystem = nullptr) const;
  /// Forgets the cached clients and keys of an access token (after it is revoked).
  void remove_cache_entries_for_token(const std::string& access_token) const;

  struct State;

 private:
  std::shared_ptr<State> state_;
};

/// Keys from a KMS for every file of a dataset (pyarrow's ParquetEncryptionConfig and
/// ParquetDecryptionConfig): the factory is asked once per file, with the file's path, so
/// every file written gets data keys of its own, and each file read finds its external key
/// material beside it. Set as DatasetWriteOptions::encryption_config and
/// DatasetOptions::decryption_config.
struct PARKETT_EXPORT DatasetEncryptionConfig {
  std::shared_ptr<const CryptoFactory> crypto_factory;
  KmsConnectionConfig kms_connection_config;
  EncryptionConfiguration encryption_config;
};
struct PARKETT_EXPORT DatasetDecryptionConfig {
  std::shared_ptr<const CryptoFactory> crypto_factory;
  KmsConnectionConfig kms_connection_config;
  DecryptionConfiguration decryption_config;
};

/// A KMS in memory, for tests and examples, that behaves as parquet-java's test KMS: master
/// keys given as base64 by id, wrapping is AES-GCM of the key with the master key (the id as
/// AAD), base64 of nonce, ciphertext and tag. Rotation: start_rotation(new keys) wraps with
/// the new keys and still unwraps with the old ones, until finish_rotation().
class PARKETT_EXPORT InMemoryKms final : public KmsClient {
 public:
  /// Error(InvalidArgument) for keys that are not base64 of 16, 24 or 32 bytes.
  explicit InMemoryKms(const std::map<std::string, std::string>& master_keys_base64);
  ~InMemoryKms() override;
  std::string wrap_key(const std::string& key, const std::string& master_key_id) override;
  std::string unwrap_key(const std::string& wrapped_key, const std::string& master_key_id) override;
  void start_rotation(const std::map<std::string, std::string>& new_master_keys_base64);
  void finish_rotation();
  /// A factory handing out this KMS (shared) for any connection.
  static KmsClientFactory factory(std::shared_ptr<InMemoryKms> kms);

  struct Keys;  // opaque

 private:
  std::mutex mutex_;
  std::shared_ptr<const Keys> unwrapping_, wrapping_;  // the same until a rotation starts
};

/// KMS clients for HashiCorp Vault's transit secrets engine (the HTTP protocol of
/// parquet-java's sample VaultClient): kms_instance_url is Vault's address, kms_instance_id
/// the engine's mount path ("DEFAULT": transit), key_access_token the Vault token; master key
/// ids name transit keys.
PARKETT_EXPORT KmsClientFactory vault_kms_client_factory();

}  // namespace parkett
