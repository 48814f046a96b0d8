// base64 (RFC 4648, standard alphabet, '=' padding): ARROW:schema values, keys given as
// text, and the key material of Parquet encryption's key management.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace parkett::util {

std::string base64_encode(std::string_view bytes);
/// The bytes of `text`; nullopt if it is not base64 (a character outside the alphabet, or
/// padding in the middle).
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace parkett::util
