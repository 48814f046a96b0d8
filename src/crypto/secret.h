// Key bytes that are wiped from memory when released (Encryption.md leaves key handling to
// implementations; ours never leaves a copy behind in freed memory).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace parkett::crypto {

class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string_view bytes);
  explicit Secret(std::span<const uint8_t> bytes);
  ~Secret();
  Secret(const Secret& other);
  Secret& operator=(const Secret& other);
  Secret(Secret&& other) noexcept;
  Secret& operator=(Secret&& other) noexcept;

  std::span<const uint8_t> bytes() const { return bytes_; }
  size_t size() const { return bytes_.size(); }
  bool empty() const { return bytes_.empty(); }
  std::string_view view() const { return {reinterpret_cast<const char*>(bytes_.data()), bytes_.size()}; }
  bool operator==(const Secret& other) const;

 private:
  void wipe();
  std::vector<uint8_t> bytes_;
};

/// Overwrites `bytes` with zeros in a way the compiler keeps (OPENSSL_cleanse).
void wipe(std::span<uint8_t> bytes);
/// `n` bytes from OpenSSL's CSPRNG; Error(Crypto) if it cannot give them.
void random_bytes(std::span<uint8_t> out);

}  // namespace parkett::crypto
