#include "file/file_decryptor.h"

#include "format/parquet_types.h"
#include "parkett/error.h"

namespace parkett::file {
// Key metadata as messages show it: often JSON (key management) or a short id; never
// secret, but possibly long or binary.
std::string describe_key_metadata(const std::optional<std::string>& metadata) {
  if (!metadata || metadata->empty()) return "no key metadata";
  std::string out = "key metadata '";
  for (char c : metadata->substr(0, 80)) out.push_back(c >= 0x20 && c < 0x7f ? c : '?');
  if (metadata->size() > 80) out += "...";
  return out + "'";
}

namespace {

std::string joined(const std::vector<std::string>& path) {
  std::string out;
  for (const auto& p : path) out += (out.empty() ? "" : ".") + p;
  return out;
}

std::shared_ptr<const crypto::Secret> checked_key(const std::string& bytes, const std::string& what) {
  auto key = std::make_shared<const crypto::Secret>(bytes);
  crypto::check_key(*key, what);
  return key;
}

}  // namespace

void throw_keys_required(const ColumnEncryption& encryption) {
  throw Error(ErrorKind::Crypto, std::string("the column is encrypted: reading it needs ") +
                                     (encryption.with_footer_key ? "the footer key" : "the key of " + describe_key_metadata(encryption.key_metadata)) +
                                     " (ReadOptions::decryption)");
}

FileDecryptor::FileDecryptor(const format::EncryptionAlgorithm& algorithm,
                             const std::optional<std::string>& footer_key_metadata,
                             std::shared_ptr<const DecryptionProperties> properties, bool footer_required)
    : properties_(std::move(properties)) {
  const std::optional<std::string>* stored_prefix = nullptr;
  const std::optional<std::string>* file_unique = nullptr;
  bool supply = false;
  if (algorithm.AES_GCM_V1) {
    algorithm_ = crypto::Algorithm::Gcm;
    stored_prefix = &algorithm.AES_GCM_V1->aad_prefix;
    file_unique = &algorithm.AES_GCM_V1->aad_file_unique;
    supply = algorithm.AES_GCM_V1->supply_aad_prefix.value_or(false);
  } else if (algorithm.AES_GCM_CTR_V1) {
    algorithm_ = crypto::Algorithm::GcmCtr;
    stored_prefix = &algorithm.AES_GCM_CTR_V1->aad_prefix;
    file_unique = &algorithm.AES_GCM_CTR_V1->aad_file_unique;
    supply = algorithm.AES_GCM_CTR_V1->supply_aad_prefix.value_or(false);
  } else {
    throw Error(ErrorKind::Unsupported, "the file is encrypted with an algorithm other than AES_GCM_V1 and AES_GCM_CTR_V1");
  }
  // Encryption.md, "AAD prefix": stored in the file, or kept by the writer for readers to
  // supply; a supplied one must match a stored one.
  const std::optional<std::string>& given = properties_->aad_prefix;
  if (stored_prefix->has_value()) {
    if (given && *given != **stored_prefix) {
      throw Error(ErrorKind::Crypto, "the AAD prefix given (DecryptionProperties::aad_prefix) differs from the one the file stores");
    }
    file_aad_ = **stored_prefix;
  } else if (given) {
    file_aad_ = *given;
  } else if (supply) {
    throw Error(ErrorKind::Crypto, "the file was encrypted with an AAD prefix that it does not store: "
                                   "give it as DecryptionProperties::aad_prefix");
  }
  // DuckDB writes no aad_file_unique, encrypted footers only, no prefix; any other file
  // without one is not as Encryption.md has writers make them.
  duckdb_ = !file_unique->has_value();
  if (duckdb_ && (!footer_required || !file_aad_.empty() || supply)) {
    throw Error(ErrorKind::Corrupt, "the file's encryption algorithm stores no aad_file_unique");
  }
  file_aad_ += file_unique->value_or("");
  if (!properties_->footer_key.empty()) {
    footer_key_ = checked_key(properties_->footer_key, "the footer key given");
  } else if (properties_->key_retriever) {
    std::string failure;
    try {
      std::string k = properties_->key_retriever(footer_key_metadata.value_or(""));
      if (k.empty()) {
        footer_unavailable_ = "the key retriever has none for " + describe_key_metadata(footer_key_metadata);
      } else {
        footer_key_ = checked_key(k, "the footer key (" + describe_key_metadata(footer_key_metadata) + ")");
        crypto::wipe({reinterpret_cast<uint8_t*>(k.data()), k.size()});
      }
    } catch (const Error& e) {
      failure = e.message();
    } catch (const std::exception& e) {
      failure = e.what();
    }
    if (!failure.empty()) {
      footer_unavailable_ = "the key retriever failed for " + describe_key_metadata(footer_key_metadata) + ": " + failure;
      // A signed footer whose key could not be had (a KMS outage) is not read unchecked.
      if (properties_->check_footer_integrity) throw Error(ErrorKind::Crypto, footer_unavailable_);
    }
  } else {
    footer_unavailable_ = "no footer key given and no key retriever for " + describe_key_metadata(footer_key_metadata);
  }
  if (footer_required && !footer_key_) {
    throw Error(ErrorKind::Crypto, "the footer is encrypted and its key is unavailable: " + footer_unavailable_);
  }
}

// The entry of DecryptionProperties::column_keys for `column`: the longest key naming it
// (a leaf's dotted path, or a field above it, as EncryptionProperties takes them).
const std::string* FileDecryptor::explicit_key(const std::string& column) const {
  const std::string* best = nullptr;
  size_t best_length = 0;
  for (const auto& [name, key] : properties_->column_keys) {
    const bool names = column == name || (column.size() > name.size() && column.compare(0, name.size(), name) == 0 &&
                                          column[name.size()] == '.');
    if (names && (best == nullptr || name.size() > best_length)) {
      best = &key;
      best_length = name.size();
    }
  }
  return best;
}

std::shared_ptr<const crypto::Secret> FileDecryptor::key(const ColumnEncryption& encryption,
                                                          const std::string& path) const {
  if (encryption.with_footer_key) {
    if (footer_key_) return footer_key_;
    throw Error(ErrorKind::Crypto, "the column is encrypted with the footer key, which is unavailable: " + footer_unavailable_);
  }
  const std::string column = encryption.path.empty() ? path : joined(encryption.path);
  const std::string* given = explicit_key(column);
  if (given) return checked_key(*given, "the key given for column " + column);
  const std::string id = encryption.key_metadata.value_or("");
  {
    std::lock_guard lock(mutex_);
    if (const auto k = keys_.find(id); k != keys_.end()) return k->second;
    if (const auto u = unavailable_.find(id); u != unavailable_.end()) throw Error(ErrorKind::Crypto, u->second);
  }
  // The retriever (perhaps a KMS round trip) runs unlocked; two threads asking at once both
  // ask it, and the first answer is kept.
  std::string reason;
  bool absent = false;  // the retriever answered: no such key (remembered; failures are not)
  try {
    if (!properties_->key_retriever) {
      reason = "no key given for the column and no key retriever for " + describe_key_metadata(encryption.key_metadata);
      absent = true;
    } else {
      std::string k = properties_->key_retriever(id);
      if (!k.empty()) {
        auto key = checked_key(k, "the key of " + describe_key_metadata(encryption.key_metadata));
        crypto::wipe({reinterpret_cast<uint8_t*>(k.data()), k.size()});
        std::lock_guard lock(mutex_);
        return keys_.emplace(id, std::move(key)).first->second;
      }
      reason = "the key retriever has none for " + describe_key_metadata(encryption.key_metadata);
      absent = true;
    }
  } catch (const Error& e) {
    reason = e.message();
  } catch (const std::exception& e) {
    reason = std::string("the key retriever failed: ") + e.what();
  }
  const std::string message = "the column's key is unavailable: " + reason;
  if (absent) {
    std::lock_guard lock(mutex_);
    unavailable_.emplace(id, message);
  }
  throw Error(ErrorKind::Crypto, message);
}

std::shared_ptr<const crypto::ChunkCipher> FileDecryptor::chunk(const ColumnChunkMetadata& chunk, int32_t row_group,
                                                                int32_t column) const {
  std::optional<ColumnEncryption> encryption = chunk.encryption();
  if (!encryption && duckdb_) encryption = ColumnEncryption{true, {}, {}};
  if (!encryption) {
    // A reader that gave a key for the column expects it encrypted: a file claiming it is
    // plaintext (a changed plaintext footer, read without its key) is not trusted.
    if (explicit_key(chunk.descriptor().dotted_path)) {
      throw Error(ErrorKind::Crypto, "a key was given for the column, but the file stores it unencrypted");
    }
    return nullptr;
  }
  if (const auto failed = failed_.find({row_group, column}); failed != failed_.end()) throw failed->second;
  auto cipher = std::make_shared<crypto::ChunkCipher>();
  cipher->key = key(*encryption, chunk.descriptor().dotted_path);
  cipher->algorithm = algorithm_;
  cipher->file_aad = file_aad_;
  cipher->row_group = row_group;
  cipher->column = column;
  cipher->duckdb = duckdb_;
  return cipher;
}

}  // namespace parkett::file
