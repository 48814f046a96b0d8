// InMemoryKms (parkett/encryption.h): master keys held in memory, wrapping as parquet-java's
// test KMS does it (key_wrap.h with the master key id as AAD).
#include "crypto/key_wrap.h"
#include "parkett/encryption.h"
#include "parkett/error.h"
#include "util/base64.h"

namespace parkett {

struct __attribute__((visibility("hidden"))) InMemoryKms::Keys {
  std::map<std::string, crypto::Secret> by_id;
};

namespace {
std::shared_ptr<const InMemoryKms::Keys> decoded(const std::map<std::string, std::string>& base64_keys) {
  auto keys = std::make_shared<InMemoryKms::Keys>();
  for (const auto& [id, text] : base64_keys) {
    const std::optional<std::string> bytes = util::base64_decode(text);
    if (!bytes || (bytes->size() != 16 && bytes->size() != 24 && bytes->size() != 32)) {
      throw Error(ErrorKind::InvalidArgument, "master key '" + id + "' is not base64 of 16, 24 or 32 bytes");
    }
    keys->by_id.emplace(id, crypto::Secret(*bytes));
  }
  return keys;
}
}  // namespace

InMemoryKms::InMemoryKms(const std::map<std::string, std::string>& master_keys_base64)
    : unwrapping_(decoded(master_keys_base64)), wrapping_(unwrapping_) {}
InMemoryKms::~InMemoryKms() = default;

namespace {
const crypto::Secret& master_key(const InMemoryKms::Keys& keys, const std::string& id) {
  const auto it = keys.by_id.find(id);
  if (it == keys.by_id.end()) throw Error(ErrorKind::Crypto, "the KMS has no master key '" + id + "'");
  return it->second;
}
}  // namespace

std::string InMemoryKms::wrap_key(const std::string& key, const std::string& master_key_id) {
  std::shared_ptr<const Keys> keys;
  {
    std::lock_guard lock(mutex_);
    keys = wrapping_;
  }
  return crypto::wrap_locally(master_key(*keys, master_key_id), master_key_id, crypto::Secret(key));
}

std::string InMemoryKms::unwrap_key(const std::string& wrapped_key, const std::string& master_key_id) {
  std::shared_ptr<const Keys> keys;
  {
    std::lock_guard lock(mutex_);
    keys = unwrapping_;
  }
  const crypto::Secret key = crypto::unwrap_locally(master_key(*keys, master_key_id), master_key_id, wrapped_key,
                                                    "a key wrapped with master key '" + master_key_id + "'");
  return std::string(key.view());
}

void InMemoryKms::start_rotation(const std::map<std::string, std::string>& new_master_keys_base64) {
  auto keys = decoded(new_master_keys_base64);
  std::lock_guard lock(mutex_);
  wrapping_ = std::move(keys);
}

void InMemoryKms::finish_rotation() {
  std::lock_guard lock(mutex_);
  unwrapping_ = wrapping_;
}

KmsClientFactory InMemoryKms::factory(std::shared_ptr<InMemoryKms> kms) {
  return [kms = std::move(kms)](const KmsConnectionConfig&) -> std::shared_ptr<KmsClient> { return kms; };
}

}  // namespace parkett
