// Writing JSON text: string escaping as ECMAScript JSON.stringify does it (the rule of the
// canonical dump, shared/peers/CANONICAL.md), used wherever parkett prints JSON.
#pragma once

#include <string>
#include <string_view>

namespace parkett::util {

/// Appends `s` as a quoted JSON string. Bytes that are not valid UTF-8 are written as
/// U+FFFD so the output is always valid JSON.
void append_json_string(std::string& out, std::string_view s);

inline std::string json_string(std::string_view s) {
  std::string out;
  append_json_string(out, s);
  return out;
}

/// Lowercase hex of the bytes with a "0x" prefix ("0x" alone when empty).
std::string hex_bytes(std::string_view bytes);

}  // namespace parkett::util
