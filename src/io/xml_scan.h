// Just enough XML for S3's answers (listings, errors, upload ids): the text of named
// elements, entities decoded. S3's documents are flat and machine-written (no CDATA,
// comments or same-named nesting in what we read), so a scan for tags does; anything else
// reads as absent rather than as something wrong.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parkett::io {

/// The raw contents of every <tag>...</tag> (or <tag .../>, empty) in `xml`, in order.
std::vector<std::string_view> xml_elements(std::string_view xml, std::string_view tag);

/// The text of the first <tag> in `xml`, entities (&amp; &#38; &#x26; ...) decoded.
std::optional<std::string> xml_text(std::string_view xml, std::string_view tag);

/// `text` with &, <, >, " and ' escaped, for element contents we send.
std::string xml_escape(std::string_view text);

}  // namespace parkett::io
