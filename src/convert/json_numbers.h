// Numbers in canonical JSON (shared/peers/CANONICAL.md): integers beyond 2^53 - 1 and
// non-finite floats as strings, since JSON readers hold numbers as doubles.
#pragma once

#include <cstdint>
#include <string>

namespace parkett::convert {

constexpr int64_t kMaxSafeInteger = (int64_t{1} << 53) - 1;

inline void write_int(int64_t v, std::string& out) {
  if (v >= -kMaxSafeInteger && v <= kMaxSafeInteger) {
    out += std::to_string(v);
  } else {
    out += '"' + std::to_string(v) + '"';
  }
}

inline void write_uint(uint64_t v, std::string& out) {
  if (v <= static_cast<uint64_t>(kMaxSafeInteger)) {
    out += std::to_string(v);
  } else {
    out += '"' + std::to_string(v) + '"';
  }
}

/// `s` is a number's text from util::format_double / format_float.
inline void write_float_text(const std::string& s, std::string& out) {
  if (s == "NaN" || s == "Infinity" || s == "-Infinity") {
    out += '"' + s + '"';
  } else {
    out += s;
  }
}

}  // namespace parkett::convert
