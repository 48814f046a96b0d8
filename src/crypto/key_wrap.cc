#include "crypto/key_wrap.h"

#include <vector>

#include "crypto/module.h"
#include "parkett/error.h"
#include "util/base64.h"

namespace parkett::crypto {

std::string wrap_locally(const Secret& wrapping_key, std::string_view aad, const Secret& key) {
  check_key(wrapping_key, "a key wrapping key");
  std::vector<uint8_t> module(key.size() + overhead(Cipher::Gcm));
  encrypt_module(Cipher::Gcm, wrapping_key, aad, key.bytes(), module);
  const std::string_view body(reinterpret_cast<const char*>(module.data()) + kLengthSize, module.size() - kLengthSize);
  return util::base64_encode(body);
}

Secret unwrap_locally(const Secret& wrapping_key, std::string_view aad, std::string_view wrapped,
                      const std::string& what) {
  check_key(wrapping_key, "a key wrapping key");
  const std::optional<std::string> body = util::base64_decode(wrapped);
  if (!body || body->size() < kNonceSize + kTagSize) {
    throw Error(ErrorKind::Crypto, "cannot unwrap " + what + ": it is not base64 of a wrapped key");
  }
  std::vector<uint8_t> module(kLengthSize + body->size());
  const auto n = static_cast<uint32_t>(body->size());
  for (size_t i = 0; i < kLengthSize; ++i) module[i] = static_cast<uint8_t>(n >> (8 * i));
  std::copy(body->begin(), body->end(), module.begin() + kLengthSize);
  std::vector<uint8_t> plain(body->size() - kNonceSize - kTagSize);
  try {
    decrypt_module(Cipher::Gcm, wrapping_key, aad, module, plain, what);
  } catch (const Error& e) {
    throw Error(ErrorKind::Crypto, "cannot unwrap " + what + ": wrong master key or key encryption key, or changed key material");
  }
  Secret out(std::span<const uint8_t>(plain.data(), plain.size()));
  wipe(plain);
  return out;
}

}  // namespace parkett::crypto
