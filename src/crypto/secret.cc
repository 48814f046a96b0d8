#include "crypto/secret.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <climits>

#include "parkett/error.h"

namespace parkett::crypto {
namespace {

// OpenSSL frees at exit only what belongs to the thread running its cleanup: the state
// it gives each other thread (RAND_bytes' generator) is freed as that thread ends. Worker
// threads of the shared pool end when the pool is destroyed at exit, which may come after
// that cleanup, and what they hold would then be lost. Initialized first, here, without
// its cleanup at exit, OpenSSL keeps its state to the end of the process, and each thread's
// is freed as the thread ends.
[[maybe_unused]] const bool openssl_initialized = OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, nullptr) == 1;

}  // namespace

void wipe(std::span<uint8_t> bytes) {
  if (!bytes.empty()) OPENSSL_cleanse(bytes.data(), bytes.size());
}

void random_bytes(std::span<uint8_t> out) {
  if (out.size() > INT_MAX || RAND_bytes(out.data(), static_cast<int>(out.size())) != 1) {
    throw Error(ErrorKind::Crypto, "the random number generator (OpenSSL RAND_bytes) failed");
  }
}

Secret::Secret(std::string_view bytes) : bytes_(bytes.begin(), bytes.end()) {}
Secret::Secret(std::span<const uint8_t> bytes) : bytes_(bytes.begin(), bytes.end()) {}
Secret::~Secret() { wipe(); }
Secret::Secret(const Secret& other) : bytes_(other.bytes_) {}
Secret& Secret::operator=(const Secret& other) {
  if (this != &other) {
    wipe();
    bytes_ = other.bytes_;
  }
  return *this;
}
// A moved vector hands over its storage: nothing is left behind to wipe.
Secret::Secret(Secret&& other) noexcept : bytes_(std::move(other.bytes_)) { other.bytes_.clear(); }
Secret& Secret::operator=(Secret&& other) noexcept {
  if (this != &other) {
    wipe();
    bytes_ = std::move(other.bytes_);
    other.bytes_.clear();
  }
  return *this;
}

bool Secret::operator==(const Secret& other) const {
  return bytes_.size() == other.bytes_.size() &&
         (bytes_.empty() || CRYPTO_memcmp(bytes_.data(), other.bytes_.data(), bytes_.size()) == 0);
}

void Secret::wipe() {
  crypto::wipe(bytes_);
  bytes_.clear();
}

}  // namespace parkett::crypto
