// CryptoFactory (parkett/encryption.h): data keys per file and column, wrapped through the
// KMS (directly, or with key encryption keys that the KMS wraps), stored as key material in
// the file or in its sidecar; and the reverse, as the key retriever of DecryptionProperties.
#include <chrono>
#include <map>
#include <mutex>

#include "crypto/key_material.h"
#include "crypto/key_wrap.h"
#include "crypto/module.h"
#include "io/whole_file.h"
#include "parkett/encryption.h"
#include "parkett/error.h"
#include "util/base64.h"

namespace parkett {
namespace {

using Clock = std::chrono::steady_clock;

// A key encryption key: its id (random bytes, the AAD of the data keys it wraps) and the
// KMS's wrapping of it.
struct Kek {
  crypto::Secret key;
  std::string id;  // raw bytes
  std::string wrapped;
  Clock::time_point expires;
};

std::string reason(const std::exception& e) {
  if (const auto* p = dynamic_cast<const Error*>(&e)) return p->message();
  return e.what();
}

crypto::Secret random_key(size_t bytes) {
  std::vector<uint8_t> k(bytes);
  crypto::random_bytes(k);
  crypto::Secret out(std::span<const uint8_t>(k.data(), k.size()));
  crypto::wipe(k);
  return out;
}

std::shared_ptr<FileSystem> store_for(const std::string& path, const std::shared_ptr<FileSystem>& given) {
  return given ? given : filesystem_for(path);
}

}  // namespace

// Hidden although CryptoFactory is exported: the shared library exports the public API only.
struct __attribute__((visibility("hidden"))) CryptoFactory::State {
  KmsClientFactory make_client;
  std::mutex mutex;
  struct Client {
    std::shared_ptr<KmsClient> client;
    Clock::time_point expires;
  };
  // By access token, then KMS instance id / master key id / KEK id (base64).
  std::map<std::string, std::map<std::string, Client>> clients;
  std::map<std::string, std::map<std::string, Kek>> write_keks;
  std::map<std::string, std::map<std::string, Kek>> read_keks;

  std::shared_ptr<KmsClient> client(const KmsConnectionConfig& kms, std::chrono::seconds lifetime) {
    std::lock_guard lock(mutex);
    Client& c = clients[kms.key_access_token][kms.kms_instance_id];
    if (!c.client || Clock::now() >= c.expires) {
      try {
        c.client = make_client(kms);
      } catch (const std::exception& e) {
        throw Error(ErrorKind::Crypto, "cannot connect to the KMS '" + kms.kms_instance_id + "': " + reason(e));
      }
      if (!c.client) throw Error(ErrorKind::Crypto, "the KMS client factory made no client");
      c.expires = Clock::now() + lifetime;
    }
    return c.client;
  }

  // Wraps `dek` with master key `master` (through a cached KEK when double wrapping).
  crypto::KeyMaterial wrap(const KmsConnectionConfig& kms, const crypto::Secret& dek, const std::string& master,
                           bool double_wrapping, std::chrono::seconds lifetime) {
    crypto::KeyMaterial m;
    m.master_key_id = master;
    m.double_wrapping = double_wrapping;
    KmsClient& kms_client = *client(kms, lifetime);
    try {
      if (!double_wrapping) {
        m.wrapped_dek = kms_client.wrap_key(std::string(dek.view()), master);
        return m;
      }
      Kek kek;
      {
        std::lock_guard lock(mutex);
        auto& mine = write_keks[kms.key_access_token];
        const auto it = mine.find(master);
        if (it != mine.end() && Clock::now() < it->second.expires) kek = it->second;
      }
      if (kek.id.empty()) {
        kek.key = random_key(16);
        kek.id = std::string(random_key(16).view());
        kek.wrapped = kms_client.wrap_key(std::string(kek.key.view()), master);
        kek.expires = Clock::now() + lifetime;
        std::lock_guard lock(mutex);
        write_keks[kms.key_access_token][master] = kek;
      }
      m.kek_id = util::base64_encode(kek.id);
      m.wrapped_kek = kek.wrapped;
      m.wrapped_dek = crypto::wrap_locally(kek.key, kek.id, dek);
      return m;
    } catch (const std::exception& e) {
      throw Error(ErrorKind::Crypto, "cannot wrap a data key with master key '" + master + "': " + reason(e));
    }
  }

  crypto::Secret unwrap(const KmsConnectionConfig& kms, const crypto::KeyMaterial& m, std::chrono::seconds lifetime) {
    try {
      KmsClient& kms_client = *client(kms, lifetime);
      if (!m.double_wrapping) return crypto::Secret(kms_client.unwrap_key(m.wrapped_dek, m.master_key_id));
      const std::optional<std::string> kek_id = util::base64_decode(m.kek_id);
      if (!kek_id) throw Error(ErrorKind::Crypto, "keyEncryptionKeyID is not base64");
      crypto::Secret kek;
      {
        std::lock_guard lock(mutex);
        auto& mine = read_keks[kms.key_access_token];
        const auto it = mine.find(m.kek_id);
        if (it != mine.end() && Clock::now() < it->second.expires) kek = it->second.key;
      }
      if (kek.empty()) {
        kek = crypto::Secret(kms_client.unwrap_key(m.wrapped_kek, m.master_key_id));
        std::lock_guard lock(mutex);
        read_keks[kms.key_access_token][m.kek_id] = Kek{kek, *kek_id, m.wrapped_kek, Clock::now() + lifetime};
      }
      return crypto::unwrap_locally(kek, *kek_id, m.wrapped_dek, "a data key");
    } catch (const std::exception& e) {
      throw Error(ErrorKind::Crypto, "cannot unwrap a data key of master key '" + m.master_key_id + "': " + reason(e));
    }
  }
};

CryptoFactory::CryptoFactory(KmsClientFactory kms_client_factory) : state_(std::make_shared<State>()) {
  if (!kms_client_factory) throw Error(ErrorKind::InvalidArgument, "CryptoFactory needs a KMS client factory");
  state_->make_client = std::move(kms_client_factory);
}
CryptoFactory::~CryptoFactory() = default;

std::shared_ptr<const EncryptionProperties> CryptoFactory::file_encryption_properties(
    const KmsConnectionConfig& kms, const EncryptionConfiguration& config, const std::string& path,
    std::shared_ptr<FileSystem> filesystem) const {
  if (config.footer_key.empty()) throw Error(ErrorKind::InvalidArgument, "EncryptionConfiguration::footer_key is empty");
  if (config.uniform_encryption == !config.column_keys.empty()) {
    throw Error(ErrorKind::InvalidArgument,
                "EncryptionConfiguration: give either column_keys or uniform_encryption, not both or neither");
  }
  if (config.data_key_length_bits != 128 && config.data_key_length_bits != 192 && config.data_key_length_bits != 256) {
    throw Error(ErrorKind::InvalidArgument, "data_key_length_bits is " + std::to_string(config.data_key_length_bits) +
                                                ", not 128, 192 or 256");
  }
  if (!config.internal_key_material && path.empty()) {
    throw Error(ErrorKind::InvalidArgument, "external key material goes beside the file: give its path");
  }
  const size_t key_bytes = static_cast<size_t>(config.data_key_length_bits) / 8;
  const bool internal = config.internal_key_material;
  std::map<std::string, std::string> store;  // external key material by key id
  auto metadata_of = [&](const crypto::KeyMaterial& m, const std::string& reference) {
    if (internal) return m.to_json(true);
    store[reference] = m.to_json(false);
    return crypto::KeyMetadata::external(reference);
  };
  auto p = std::make_shared<EncryptionProperties>();
  const crypto::Secret footer = random_key(key_bytes);
  crypto::KeyMaterial fm = state_->wrap(kms, footer, config.footer_key, config.double_wrapping, config.cache_lifetime);
  fm.is_footer_key = true;
  fm.kms_instance_id = kms.kms_instance_id;
  fm.kms_instance_url = kms.kms_instance_url;
  p->footer_key = std::string(footer.view());
  p->footer_key_metadata = metadata_of(fm, "footerKey");
  int next = 0;
  for (const auto& [master, columns] : config.column_keys) {
    for (const std::string& column : columns) {
      if (p->column_keys.count(column)) {
        throw Error(ErrorKind::InvalidArgument, "column '" + column + "' is given two master keys");
      }
      const crypto::Secret dek = random_key(key_bytes);
      const crypto::KeyMaterial m = state_->wrap(kms, dek, master, config.double_wrapping, config.cache_lifetime);
      p->column_keys[column] = {std::string(dek.view()), metadata_of(m, "columnKey" + std::to_string(next++))};
    }
  }
  p->algorithm = config.encryption_algorithm;
  p->plaintext_footer = config.plaintext_footer;
  if (!internal) {
    const std::string where = crypto::key_material_path(path);
    try {
      io::write_whole_file(*store_for(path, filesystem), where, crypto::key_material_store_json(store));
    } catch (Error& e) {
      e.set_file(where);
      throw;
    }
  }
  return p;
}

namespace {

// The key retriever of files written through a CryptoFactory.
struct Retriever {
  std::shared_ptr<CryptoFactory::State> state;
  KmsConnectionConfig kms;
  std::chrono::seconds lifetime;
  std::string path;
  std::shared_ptr<FileSystem> filesystem;
  std::shared_ptr<std::once_flag> loaded = std::make_shared<std::once_flag>();
  std::shared_ptr<std::map<std::string, std::string>> store = std::make_shared<std::map<std::string, std::string>>();

  std::string operator()(const std::string& key_metadata) const {
    const crypto::KeyMetadata md = crypto::KeyMetadata::parse(key_metadata);
    std::string material;
    if (md.material) {
      material = *md.material;
    } else {
      if (path.empty()) {
        throw Error(ErrorKind::Crypto, "the key material is in a file beside the Parquet file: give its path to "
                                       "CryptoFactory::file_decryption_properties");
      }
      const std::string where = crypto::key_material_path(path);
      std::call_once(*loaded, [&] {
        try {
          *store = crypto::parse_key_material_store(crypto::read_key_material_file(*store_for(path, filesystem), where), where);
        } catch (const Error& e) {
          // Reported as the reader's error about the Parquet file: name the sidecar here.
          throw Error(e.kind(), "reading its key material " + where + ": " + e.message(), e.context());
        }
      });
      const auto it = store->find(md.reference);
      if (it == store->end()) throw Error(ErrorKind::Crypto, where + " has no key material '" + md.reference + "'");
      material = it->second;
    }
    const crypto::KeyMaterial m = crypto::KeyMaterial::parse(material);
    KmsConnectionConfig connection = kms;
    // The footer's material names the KMS instance the file was written with.
    if (m.is_footer_key && connection.kms_instance_id == "DEFAULT") connection.kms_instance_id = m.kms_instance_id;
    if (m.is_footer_key && connection.kms_instance_url == "DEFAULT") connection.kms_instance_url = m.kms_instance_url;
    return std::string(state->unwrap(connection, m, lifetime).view());
  }
};

}  // namespace

std::shared_ptr<const DecryptionProperties> CryptoFactory::file_decryption_properties(
    const KmsConnectionConfig& kms, const DecryptionConfiguration& config, const std::string& path,
    std::shared_ptr<FileSystem> filesystem) const {
  auto d = std::make_shared<DecryptionProperties>();
  d->key_retriever = Retriever{state_, kms, config.cache_lifetime, path, std::move(filesystem)};
  d->plaintext_files_allowed = true;
  return d;
}

void CryptoFactory::rotate_master_keys(const KmsConnectionConfig& kms, const std::string& path, bool double_wrapping,
                                       std::chrono::seconds cache_lifetime, std::shared_ptr<FileSystem> filesystem) const {
  const std::shared_ptr<FileSystem> fs = store_for(path, filesystem);
  const std::string where = crypto::key_material_path(path);
  try {
    const std::map<std::string, std::string> old = crypto::parse_key_material_store(crypto::read_key_material_file(*fs, where), where);
    {
      // New key encryption keys: the old ones were wrapped with the old master keys.
      std::lock_guard lock(state_->mutex);
      state_->write_keks.erase(kms.key_access_token);
      state_->read_keks.erase(kms.key_access_token);
    }
    std::map<std::string, std::string> rotated;
    for (const auto& [id, text] : old) {
      const crypto::KeyMaterial m = crypto::KeyMaterial::parse(text);
      KmsConnectionConfig connection = kms;
      if (m.is_footer_key && connection.kms_instance_id == "DEFAULT") connection.kms_instance_id = m.kms_instance_id;
      if (m.is_footer_key && connection.kms_instance_url == "DEFAULT") connection.kms_instance_url = m.kms_instance_url;
      const crypto::Secret dek = state_->unwrap(connection, m, cache_lifetime);
      crypto::KeyMaterial fresh = state_->wrap(connection, dek, m.master_key_id, double_wrapping, cache_lifetime);
      fresh.is_footer_key = m.is_footer_key;
      fresh.kms_instance_id = m.kms_instance_id;
      fresh.kms_instance_url = m.kms_instance_url;
      rotated[id] = fresh.to_json(false);
    }
    {
      std::lock_guard lock(state_->mutex);
      state_->read_keks.erase(kms.key_access_token);
    }
    io::write_whole_file(*fs, where, crypto::key_material_store_json(rotated));
  } catch (Error& e) {
    e.set_file(where);
    throw;
  }
}

void CryptoFactory::remove_cache_entries_for_token(const std::string& access_token) const {
  std::lock_guard lock(state_->mutex);
  state_->clients.erase(access_token);
  state_->write_keks.erase(access_token);
  state_->read_keks.erase(access_token);
}

}  // namespace parkett
