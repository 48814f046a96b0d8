#include "file/file_encryptor.h"

#include "format/serde.h"
#include "parkett/error.h"

namespace parkett::file {
namespace {

std::shared_ptr<const crypto::Secret> key_of(const std::string& bytes, const std::string& what) {
  auto key = std::make_shared<const crypto::Secret>(bytes);
  if (key->size() != 16 && key->size() != 24 && key->size() != 32) {
    throw Error(ErrorKind::InvalidArgument, what + " has " + std::to_string(key->size()) +
                                                " bytes; AES keys have 16, 24 or 32");
  }
  return key;
}

// A column key names a leaf's dotted path or a field above it.
bool names_column(const std::string& key, const std::string& path) {
  return path == key || (path.size() > key.size() && path.compare(0, key.size(), key) == 0 && path[key.size()] == '.');
}

std::span<const uint8_t> bytes_of(const std::string& s) { return {reinterpret_cast<const uint8_t*>(s.data()), s.size()}; }
std::span<uint8_t> bytes_of(std::string& s) { return {reinterpret_cast<uint8_t*>(s.data()), s.size()}; }

// `plain` sealed as a GCM module of `key`.
std::string gcm_module(const crypto::Secret& key, const std::string& aad, const std::string& plain) {
  std::string out(plain.size() + crypto::overhead(crypto::Cipher::Gcm), '\0');
  crypto::encrypt_module(crypto::Cipher::Gcm, key, aad, bytes_of(plain), bytes_of(out));
  return out;
}

}  // namespace

FileEncryptor::FileEncryptor(const EncryptionProperties& p, const ParquetSchema& schema)
    : algorithm_(p.algorithm == EncryptionAlgorithm::AesGcmCtrV1 ? crypto::Algorithm::GcmCtr : crypto::Algorithm::Gcm),
      footer_key_(key_of(p.footer_key, "the footer key (EncryptionProperties::footer_key)")),
      footer_key_metadata_(p.footer_key_metadata),
      plaintext_footer_(p.plaintext_footer),
      aad_prefix_(p.aad_prefix.value_or("")),
      store_aad_prefix_(p.store_aad_prefix && p.aad_prefix.has_value()) {
  // Encryption.md, "AAD": eight random bytes make every file's modules its own.
  aad_file_unique_.resize(8);
  crypto::random_bytes(bytes_of(aad_file_unique_));
  file_aad_ = aad_prefix_ + aad_file_unique_;
  leaves_.resize(static_cast<size_t>(schema.num_columns()));
  std::vector<bool> used(p.column_keys.size(), false);
  for (int32_t c = 0; c < schema.num_columns(); ++c) {
    const ColumnDescriptor& d = schema.column(c);
    Leaf& leaf = leaves_[static_cast<size_t>(c)];
    leaf.path = d.path;
    if (p.column_keys.empty()) {  // uniform encryption
      leaf.key = footer_key_;
      leaf.footer_key = true;
      continue;
    }
    // The longest key naming the leaf.
    const ColumnKey* best = nullptr;
    size_t best_length = 0, i = 0, best_index = 0;
    for (const auto& [name, key] : p.column_keys) {
      if (names_column(name, d.dotted_path) && (best == nullptr || name.size() > best_length)) {
        best = &key;
        best_length = name.size();
        best_index = i;
      }
      ++i;
    }
    if (!best) continue;  // plaintext
    used[best_index] = true;
    leaf.key = key_of(best->key, "the key of column " + d.dotted_path);
    leaf.key_metadata = best->key_metadata;
  }
  size_t i = 0;
  for (const auto& [name, key] : p.column_keys) {
    if (!used[i++]) {
      throw Error(ErrorKind::InvalidArgument, "EncryptionProperties::column_keys names '" + name +
                                                  "', which is no column of the schema");
    }
  }
}

std::shared_ptr<const crypto::ChunkCipher> FileEncryptor::chunk(int32_t row_group, int32_t column) const {
  const Leaf& leaf = leaves_[static_cast<size_t>(column)];
  if (!leaf.key) return nullptr;
  auto c = std::make_shared<crypto::ChunkCipher>();
  c->key = leaf.key;
  c->algorithm = algorithm_;
  c->file_aad = file_aad_;
  c->row_group = row_group;
  c->column = column;
  return c;
}

std::string FileEncryptor::index_module(crypto::ModuleType type, int32_t row_group, int32_t column,
                                        std::string plain) const {
  const auto cipher = chunk(row_group, column);
  if (!cipher) return plain;
  std::string out(cipher->module_size(type, plain.size()), '\0');
  cipher->encrypt(type, -1, bytes_of(plain), bytes_of(out));
  return out;
}

format::EncryptionAlgorithm FileEncryptor::algorithm() const {
  format::AesGcmV1 a;  // both algorithms carry the same fields
  if (store_aad_prefix_) a.aad_prefix = aad_prefix_;
  a.aad_file_unique = aad_file_unique_;
  if (!aad_prefix_.empty() && !store_aad_prefix_) a.supply_aad_prefix = true;
  format::EncryptionAlgorithm out;
  if (algorithm_ == crypto::Algorithm::Gcm) {
    out.AES_GCM_V1 = a;
  } else {
    format::AesGcmCtrV1 ctr;
    ctr.aad_prefix = a.aad_prefix;
    ctr.aad_file_unique = a.aad_file_unique;
    ctr.supply_aad_prefix = a.supply_aad_prefix;
    out.AES_GCM_CTR_V1 = ctr;
  }
  return out;
}

void FileEncryptor::mark(format::FileMetaData& md) const {
  for (auto& rg : md.row_groups) {
    for (size_t c = 0; c < rg.columns.size() && c < leaves_.size(); ++c) {
      const Leaf& leaf = leaves_[c];
      if (!leaf.key) continue;
      format::ColumnCryptoMetaData crypto_md;
      if (leaf.footer_key) {
        crypto_md.ENCRYPTION_WITH_FOOTER_KEY.emplace();
      } else {
        format::EncryptionWithColumnKey k;
        k.path_in_schema = leaf.path;
        if (!leaf.key_metadata.empty()) k.key_metadata = leaf.key_metadata;
        crypto_md.ENCRYPTION_WITH_COLUMN_KEY = std::move(k);
      }
      rg.columns[c].crypto_metadata = std::move(crypto_md);
    }
  }
  md.encryption_algorithm = algorithm();
  if (plaintext_footer_ && !footer_key_metadata_.empty()) md.footer_signing_key_metadata = footer_key_metadata_;
}

std::string FileEncryptor::footer(format::FileMetaData md) const {
  // Encryption.md, "Encrypted column metadata": a column with its own key keeps its
  // ColumnMetaData encrypted with it; under a plaintext footer every encrypted column does,
  // and the plaintext copy old readers see loses what would reveal values.
  for (size_t g = 0; g < md.row_groups.size(); ++g) {
    auto& rg = md.row_groups[g];
    for (size_t c = 0; c < rg.columns.size() && c < leaves_.size(); ++c) {
      const Leaf& leaf = leaves_[c];
      format::ColumnChunk& chunk = rg.columns[c];
      if (!leaf.key || (leaf.footer_key && !plaintext_footer_)) continue;
      std::string plain;
      format::serialize(*chunk.meta_data, plain);
      chunk.encrypted_column_metadata = gcm_module(
          *leaf.key,
          crypto::module_aad(file_aad_, crypto::ModuleType::ColumnMetaData, static_cast<int64_t>(g), static_cast<int64_t>(c)),
          plain);
      if (plaintext_footer_) {
        chunk.meta_data->statistics.reset();
        chunk.meta_data->encoding_stats.reset();
        chunk.meta_data->size_statistics.reset();
        chunk.meta_data->geospatial_statistics.reset();
      } else {
        chunk.meta_data.reset();
      }
    }
  }
  std::string serialized;
  if (plaintext_footer_) {
    format::serialize(md, serialized);
    const std::string aad = crypto::module_aad(file_aad_, crypto::ModuleType::Footer);
    return serialized + crypto::sign(*footer_key_, aad, bytes_of(serialized));
  }
  md.encryption_algorithm.reset();  // FileCryptoMetaData holds it
  md.footer_signing_key_metadata.reset();
  format::serialize(md, serialized);
  format::FileCryptoMetaData crypto_md;
  crypto_md.encryption_algorithm = algorithm();
  if (!footer_key_metadata_.empty()) crypto_md.key_metadata = footer_key_metadata_;
  std::string out;
  format::serialize(crypto_md, out);
  out += gcm_module(*footer_key_, crypto::module_aad(file_aad_, crypto::ModuleType::Footer), serialized);
  return out;
}

}  // namespace parkett::file
