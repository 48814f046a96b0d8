#include "util/base64.h"

#include <cstdint>
#include <cstring>

namespace parkett::util {
namespace {
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
}

std::string base64_encode(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  for (size_t i = 0; i < in.size(); i += 3) {
    const uint32_t n = (uint32_t{static_cast<uint8_t>(in[i])} << 16) |
                       (i + 1 < in.size() ? uint32_t{static_cast<uint8_t>(in[i + 1])} << 8 : 0) |
                       (i + 2 < in.size() ? uint32_t{static_cast<uint8_t>(in[i + 2])} : 0);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < in.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += i + 2 < in.size() ? kAlphabet[n & 63] : '=';
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view in) {
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  size_t i = 0;
  for (; i < in.size() && in[i] != '='; ++i) {
    const char c = in[i];
    const char* at = c == '\0' ? nullptr : std::strchr(kAlphabet, c);
    if (!at) return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(at - kAlphabet);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  for (; i < in.size(); ++i) {
    if (in[i] != '=') return std::nullopt;  // only padding after padding
  }
  return out;
}

}  // namespace parkett::util
