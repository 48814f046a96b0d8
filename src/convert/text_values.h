// Scalar values in text form, shared by the CSV and JSON Lines readers: booleans, integers,
// floats, ISO dates and ISO timestamps.
#pragma once

#include "util/value_text.h"

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

#include "parkett/datatype.h"

namespace parkett::convert {

/// "true" / "false" in any case.
bool parse_bool(std::string_view s, bool& out);

/// A whole decimal number (optional sign) that fits T.
template <class T>
bool parse_int(std::string_view s, T& out) {
  if (s.empty()) return false;
  const char* b = s.data();
  if (s[0] == '+') ++b;
  const auto r = std::from_chars(b, s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

bool parse_double(std::string_view s, double& out);

/// Whether `s` is written as a whole decimal number (optional sign, digits only), whatever
/// its size: integers beyond 64 bits are kept as text rather than rounded to a double.
bool is_integer_text(std::string_view s);

/// The offset of the first byte of `s` that is not part of valid UTF-8, or npos.
size_t invalid_utf8_at(std::string_view s);

using util::parse_date;
using util::parse_timestamp;

/// `s` without leading and trailing blanks and tabs.
std::string trim(const std::string& s);

}  // namespace parkett::convert
