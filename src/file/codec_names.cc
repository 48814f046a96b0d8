// Codec names as users and the CLI spell them ("zstd:9").
#include <cctype>
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
  std::string name = text.substr(0, colon);
  for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  CodecOptions c;
  // The names pyarrow, Spark, DuckDB and polars accept. "lz4" is LZ4_RAW, as pyarrow (since
  // Arrow 9), DuckDB and polars write it: the LZ4 codec id of old means Hadoop's framing,
  // which many readers misread; it is written only when asked for by name.
  static const std::pair<const char*, Compression> kNames[] = {
      {"uncompressed", Compression::Uncompressed}, {"none", Compression::Uncompressed},
      {"snappy", Compression::Snappy},             {"gzip", Compression::Gzip},
      {"brotli", Compression::Brotli},             {"lz4", Compression::Lz4Raw},
      {"lz4_raw", Compression::Lz4Raw},            {"lz4raw", Compression::Lz4Raw},
      {"lz4_hadoop", Compression::Lz4},            {"zstd", Compression::Zstd},
      {"lzo", Compression::Lzo}};
  bool found = false;
  for (const auto& [n, v] : kNames) {
    if (name == n) {
      c.codec = v;
      found = true;
    }
  }
  if (!found) {
    bad(text, "uncompressed (or none), snappy, gzip, brotli, lz4 (LZ4_RAW), lz4_hadoop, zstd or lzo [:LEVEL], "
              "in any case");
  }
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
