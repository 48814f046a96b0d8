// Bytes as spaced lowercase hex ("1c 02 00 fd 20"), for tests that pin encoded bytes.
#pragma once

#include <string>
#include <string_view>

namespace parkett::test {

inline std::string spaced_hex(std::string_view bytes) {
  static const char* const kDigits = "0123456789abcdef";
  std::string out;
  for (const unsigned char c : bytes) {
    if (!out.empty()) out += ' ';
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

}  // namespace parkett::test
