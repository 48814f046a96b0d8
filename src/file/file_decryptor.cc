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
  duckdb_ = !file_unique->has_value();
  file_aad_ += file_unique->value_or("");
  if (!properties_->footer_key.empty()) {
    footer_key_ = checked_key(properties_->footer_key, "the footer key given");
  } else if (properties_->key_retriever) {
    try {
      const std::string k = properties_->key_retriever(footer_key_metadata.value_or(""));
      if (k.empty()) {
        footer_unavailable_ = "the key retriever has none for " + describe_key_metadata(footer_key_metadata);
      } else {
        footer_key_ = checked_key(k, "the footer key (" + describe_key_metadata(footer_key_metadata) + ")");
      }
    } catch (const Error& e) {
      footer_unavailable_ = "the key retriever failed for " + describe_key_metadata(footer_key_metadata) + ": " + e.message();
    } catch (const std::exception& e) {
      footer_unavailable_ = "the key retriever failed for " + describe_key_metadata(footer_key_metadata) + ": " + e.what();
    }
  } else {
    footer_unavailable_ = "no footer key given and no key retriever for " + describe_key_metadata(footer_key_metadata);
  }
  if (footer_required && !footer_key_) {
    throw Error(ErrorKind::Crypto, "the footer is encrypted and its key is unavailable: " + footer_unavailable_);
  }
}

std::shared_ptr<const crypto::Secret> FileDecryptor::key(const ColumnEncryption& encryption,
                                                          const std::string& path) const {
  if (encryption.with_footer_key) {
    if (footer_key_) return footer_key_;
    throw Error(ErrorKind::Crypto, "the column is encrypted with the footer key, which is unavailable: " + footer_unavailable_);
  }
  const std::string column = encryption.path.empty() ? path : joined(encryption.path);
  std::lock_guard lock(mutex_);
  const auto explicit_key = properties_->column_keys.find(column);
  const std::string id = explicit_key != properties_->column_keys.end() ? "column " + column
                                                                         : "metadata " + encryption.key_metadata.value_or("");
  if (const auto k = keys_.find(id); k != keys_.end()) return k->second;
  if (const auto u = unavailable_.find(id); u != unavailable_.end()) throw Error(ErrorKind::Crypto, u->second);
  std::string reason;
  try {
    if (explicit_key != properties_->column_keys.end()) {
      return keys_[id] = checked_key(explicit_key->second, "the key given for column " + column);
    }
    const std::string what = "the key of " + describe_key_metadata(encryption.key_metadata);
    if (!properties_->key_retriever) {
      reason = "no key given for the column and no key retriever for " + describe_key_metadata(encryption.key_metadata);
    } else {
      const std::string k = properties_->key_retriever(encryption.key_metadata.value_or(""));
      if (!k.empty()) return keys_[id] = checked_key(k, what);
      reason = "the key retriever has none for " + describe_key_metadata(encryption.key_metadata);
    }
  } catch (const Error& e) {
    reason = e.message();
  } catch (const std::exception& e) {
    reason = std::string("the key retriever failed: ") + e.what();
  }
  const std::string message = "the column's key is unavailable: " + reason;
  unavailable_[id] = message;
  throw Error(ErrorKind::Crypto, message);
}

std::shared_ptr<const crypto::ChunkCipher> FileDecryptor::chunk(const ColumnChunkMetadata& chunk, int32_t row_group,
                                                                int32_t column) const {
  std::optional<ColumnEncryption> encryption = chunk.encryption();
  if (!encryption && duckdb_) encryption = ColumnEncryption{true, {}, {}};
  if (!encryption) return nullptr;
  if (const auto failed = failed_.find(column); failed != failed_.end()) throw failed->second;
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
