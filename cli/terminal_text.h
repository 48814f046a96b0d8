// Names and values from a file as text for a terminal: a file can put escape sequences in a
// column name or a metadata value, which would otherwise reach the terminal and act there.
#pragma once

#include <string>
#include <string_view>

namespace parkett::cli {

/// `s` with control characters written out: \n \r \t as such, other C0 controls and DEL as
/// \xNN, C1 controls (U+0080..U+009F) as \uNNNN, bytes that are not UTF-8 as \xNN. With
/// `keep_newlines`, '\n' passes (for multi-line text such as a printed schema).
std::string terminal_text(std::string_view s, bool keep_newlines = false);

}  // namespace parkett::cli
