#include "cli/write_flags.h"

#include "parkett/error.h"

namespace parkett::cli {
namespace {

[[noreturn]] void bad(const std::string& flag, const std::string& value, const std::string& expected) {
  throw Error(ErrorKind::InvalidArgument, flag + " '" + value + "': expected " + expected);
}

bool on_off(const std::string& flag, const std::string& v) {
  if (v == "on") return true;
  if (v == "off") return false;
  bad(flag, v, "on or off");
}

StatisticsLevel statistics_level(const std::string& flag, const std::string& v) {
  if (v == "none") return StatisticsLevel::None;
  if (v == "chunk") return StatisticsLevel::Chunk;
  if (v == "page") return StatisticsLevel::Page;
  bad(flag, v, "none, chunk or page");
}

int64_t positive(const std::string& flag, const std::string& v) {
  try {
    size_t used = 0;
    const long long n = std::stoll(v, &used);
    if (used == v.size() && n > 0) return n;
  } catch (const std::exception&) {
  }
  bad(flag, v, "a positive integer");
}

}  // namespace

Encoding parse_encoding(const std::string& text) {
  static const std::pair<const char*, Encoding> kNames[] = {
      {"plain", Encoding::Plain}, {"dictionary", Encoding::RleDictionary},
      {"delta_binary_packed", Encoding::DeltaBinaryPacked}, {"delta_length_byte_array", Encoding::DeltaLengthByteArray},
      {"delta_byte_array", Encoding::DeltaByteArray}, {"byte_stream_split", Encoding::ByteStreamSplit},
      {"alp", Encoding::Alp}, {"rle", Encoding::Rle}};
  for (const auto& [n, v] : kNames) {
    if (text == n) return v;
  }
  bad("encoding", text,
      "plain, dictionary, delta_binary_packed, delta_length_byte_array, delta_byte_array, byte_stream_split, alp or rle");
}

void WriteFlags::add_to(CLI::App& cmd) {
  cmd.add_option("--codec", codec, "Compression: uncompressed snappy gzip brotli lz4 lz4_raw zstd lzo, with :LEVEL");
  cmd.add_option("--data-page-version", data_page_version, "1 or 2");
  cmd.add_option("--row-group-size", row_group_size, "Rows per row group");
  cmd.add_option("--page-size", page_size, "Target data page size in bytes");
  cmd.add_option("--dictionary", dictionary, "on or off");
  cmd.add_option("--statistics", statistics, "none, chunk or page");
  cmd.add_option("--page-index", page_index, "on or off");
  cmd.add_option("--crc", crc, "on or off");
  cmd.add_option("--threads", threads, "Encoding threads (0: all cores)");
  cmd.add_option("--column", columns,
                 "PATH:key=value[,key=value] with keys codec, encoding, dictionary, statistics");
}

WriteOptions WriteFlags::options() const {
  WriteOptions o;
  if (!codec.empty()) o.compression = parkett::parse_codec(codec);
  if (!data_page_version.empty()) {
    if (data_page_version != "1" && data_page_version != "2") bad("--data-page-version", data_page_version, "1 or 2");
    o.data_page_version = data_page_version == "2" ? 2 : 1;
  }
  if (row_group_size) o.row_group_rows = positive("--row-group-size", std::to_string(row_group_size));
  if (page_size) o.data_page_size = positive("--page-size", std::to_string(page_size));
  if (!dictionary.empty()) o.dictionary = on_off("--dictionary", dictionary);
  if (!statistics.empty()) o.statistics = statistics_level("--statistics", statistics);
  if (!page_index.empty()) o.page_index = on_off("--page-index", page_index);
  if (!crc.empty()) o.page_crc = on_off("--crc", crc);
  o.threads = threads;
  for (const std::string& spec : columns) {
    const size_t colon = spec.rfind(':', spec.find('='));
    if (colon == std::string::npos || colon == 0) bad("--column", spec, "PATH:key=value[,key=value]");
    ColumnWriteOptions& c = o.column(spec.substr(0, colon));
    std::string rest = spec.substr(colon + 1);
    size_t start = 0;
    while (start <= rest.size()) {
      const size_t comma = rest.find(',', start);
      const std::string kv = rest.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      const size_t eq = kv.find('=');
      if (eq == std::string::npos) bad("--column", spec, "key=value pairs after the path");
      const std::string key = kv.substr(0, eq), value = kv.substr(eq + 1);
      if (key == "codec") c.compression = parkett::parse_codec(value);
      else if (key == "encoding") c.encoding = parse_encoding(value);
      else if (key == "dictionary") c.dictionary = on_off("--column dictionary", value);
      else if (key == "statistics") c.statistics = statistics_level("--column statistics", value);
      else bad("--column", spec, "keys codec, encoding, dictionary or statistics");
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return o;
}

}  // namespace parkett::cli
