// Codec names as users and the CLI spell them ("zstd:9").
#include <stdexcept>
#include <string>

#include "parkett/error.h"
#include "parkett/writer.h"

namespace parkett {
namespace {

[[noreturn]] void bad(const std::string& text, const std::string& expected) {
  throw Error(ErrorKind::InvalidArgument, "codec '" + text + "': expected " + expected);
}

}  // namespace

CodecOptions parse_codec(const std::string& text) {
  const size_t colon = text.find(':');
  const std::string name = text.substr(0, colon);
  CodecOptions c;
  static const std::pair<const char*, Compression> kNames[] = {
      {"uncompressed", Compression::Uncompressed}, {"snappy", Compression::Snappy}, {"gzip", Compression::Gzip},
      {"brotli", Compression::Brotli}, {"lz4", Compression::Lz4}, {"lz4_raw", Compression::Lz4Raw},
      {"zstd", Compression::Zstd}, {"lzo", Compression::Lzo}};
  bool found = false;
  for (const auto& [n, v] : kNames) {
    if (name == n) {
      c.codec = v;
      found = true;
    }
  }
  if (!found) bad(text, "uncompressed, snappy, gzip, brotli, lz4, lz4_raw, zstd or lzo [:LEVEL]");
  if (colon != std::string::npos) {
    try {
      size_t used = 0;
      c.level = std::stoi(text.substr(colon + 1), &used);
      if (used != text.size() - colon - 1) throw std::invalid_argument("level");
    } catch (const std::exception&) {
      bad(text, "an integer level after ':'");
    }
  }
  return c;
}

}  // namespace parkett
