#include "cli/write_flags.h"

#include "cli/read_flags.h"
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

// "on", "off" or a false-positive probability (on, with that fpp).
BloomFilterOptions bloom_filter(const std::string& flag, const std::string& v) {
  if (v == "off") return BloomFilterOptions{0.05, std::nullopt, false};
  if (v == "on") return BloomFilterOptions{};
  try {
    size_t used = 0;
    const double fpp = std::stod(v, &used);
    if (used == v.size() && fpp > 0 && fpp < 1) return BloomFilterOptions{fpp, std::nullopt};
  } catch (const std::exception&) {
  }
  bad(flag, v, "on, off or a false-positive probability between 0 and 1");
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
  const size_t before = cmd.get_options().size();
  const std::string layout = "Parquet output: row groups and pages";
  cmd.add_option("--row-group-size", row_group_size, "Most rows in a row group (default 1048576)")->group(layout);
  cmd.add_option("--row-group-bytes", row_group_bytes, "A row group closes once its values take about this many bytes (default 128 MiB)")
      ->group(layout);
  cmd.add_option("--page-size", page_size, "Target data page size in bytes, before compression (default 1 MiB)")->group(layout);
  cmd.add_option("--page-rows", page_rows, "Most rows in a data page (default 20000)")->group(layout);
  cmd.add_option("--write-batch-size", write_batch_size, "Rows between page size checks (default 1024)")->group(layout);
  cmd.add_option("--data-page-version", data_page_version, "1 or 2")->group(layout);
  cmd.add_option("--threads", threads, "Threads reading and encoding (0: all cores)")->group(layout);

  const std::string encoding_group = "Parquet output: encoding and compression";
  cmd.add_option("--codec", codec,
                 "uncompressed (none) snappy gzip brotli lz4 (= lz4_raw) lz4_hadoop zstd lzo, any case, with :LEVEL")
      ->group(encoding_group);
  cmd.add_option("--dictionary", dictionary, "on or off")->group(encoding_group);
  cmd.add_option("--max-dictionary-keys", max_dictionary_keys, "A chunk's dictionary falls back past this many entries (default 1048576)")
      ->group(encoding_group);
  cmd.add_option("--max-dictionary-bytes", max_dictionary_bytes, "... or past this many bytes (default 1 MiB)")->group(encoding_group);
  cmd.add_option("--encoding", encoding,
                 "Every column's encoding without (or after) a dictionary: plain (default), delta_binary_packed, "
                 "delta_length_byte_array, delta_byte_array, byte_stream_split, alp or rle; each column's type must "
                 "allow it (--column PATH:encoding=... for one)")
      ->group(encoding_group);
  cmd.add_option("--column", columns,
                 "PATH:key=value[,key=value] with keys codec, encoding, dictionary, statistics, "
                 "distinct_count, bloom_filter (on, off or an fpp)")
      ->group(encoding_group);

  const std::string stats = "Parquet output: statistics and indexes";
  cmd.add_option("--statistics", statistics, "none, chunk or page")->group(stats);
  cmd.add_option("--statistics-truncate-length", statistics_truncate_length,
                 "Binary min/max longer than this are truncated (default 64)")
      ->group(stats);
  cmd.add_option("--page-index", page_index, "on or off")->group(stats);
  cmd.add_option("--crc", crc, "on or off")->group(stats);
  cmd.add_option("--bloom-filter", bloom, "on, off or a false-positive probability: bloom filters for every column")->group(stats);
  cmd.add_option("--distinct-count", distinct_count, "on or off: distinct counts in the statistics")->group(stats);
  cmd.add_option("--total-order", total_order, "on or off: floats in IEEE 754 total order")->group(stats);
  cmd.add_option("--sorting-column", sorting, "PATH[:desc][:nulls_first], recorded in every row group")->group(stats);
  cmd.add_option("--index-columns", index_columns,
                 "A,B: a data index on these columns, as Deephaven writes them (a sidecar in .dh_metadata/ "
                 "that scans with = or IN on them use); repeat for more indexes")
      ->group(stats);

  const std::string types = "Parquet output: types and schema";
  cmd.add_option("--format-version", format_version, "1.0, 2.4 or 2.6 (default)")->group(types);
  cmd.add_option("--coerce-timestamps", coerce_timestamps, "Store timestamps in ms, us or ns")->group(types);
  cmd.add_flag("--allow-truncated-timestamps", allow_truncated_timestamps, "Floor timestamps that lose precision")->group(types);
  cmd.add_flag("--int96", int96, "Store timestamps as INT96")->group(types);
  cmd.add_option("--decimals-as-integers", decimals_as_integers,
                 "on (default): decimals of up to 18 digits as INT32/INT64; off: FIXED_LEN_BYTE_ARRAY, as legacy Spark "
                 "and Hive read them")
      ->group(types);
  cmd.add_option("--flavor", flavor, "spark: INT96 timestamps, decimals as fixed bytes, sanitized names")->group(types);
  cmd.add_flag("--spark-legacy-format", spark_legacy_format,
               "Spark's writeLegacyFormat: lists as bag/array, maps as MAP_KEY_VALUE, decimals as fixed bytes")
      ->group(types);
  cmd.add_option("--rename", renames, "FIELD=NAME: write a field under another name")->group(types);
  cmd.add_flag("--no-arrow-schema", no_arrow_schema, "Leave the Arrow schema (ARROW:schema) out of the metadata")->group(types);
  cmd.add_option("--datetime-rebase-in-write", datetime_rebase,
                 "EXCEPTION, CORRECTED or LEGACY (hybrid Julian calendar for Spark 2.x and Hive): dates and timestamps, "
                 "with the keys Spark reads")
      ->group(types);
  cmd.add_option("--int96-rebase-in-write", int96_rebase, "The same for INT96 timestamps")->group(types);

  const std::string meta = "Parquet output: file metadata";
  cmd.add_option("--created-by", created_by, "The footer's created_by (default: parkett version X.Y.Z)")->group(meta);
  cmd.add_option("--metadata", metadata, "KEY=VALUE: a key-value pair for the footer (repeatable)")->group(meta);
  const auto all = cmd.get_options();
  registered_.assign(all.begin() + static_cast<std::ptrdiff_t>(before), all.end());
}

std::vector<std::string> WriteFlags::given() const {
  std::vector<std::string> out;
  for (const CLI::Option* o : registered_) {
    if (o->count() > 0) out.push_back(o->get_name());
  }
  return out;
}

WriteOptions WriteFlags::options() const {
  WriteOptions o;
  if (!codec.empty()) o.compression = parkett::parse_codec(codec);
  if (!data_page_version.empty()) {
    if (data_page_version != "1" && data_page_version != "2") bad("--data-page-version", data_page_version, "1 or 2");
    o.data_page_version = data_page_version == "2" ? 2 : 1;
  }
  if (row_group_size) o.row_group_rows = positive("--row-group-size", std::to_string(*row_group_size));
  if (page_size) o.data_page_size = positive("--page-size", std::to_string(*page_size));
  if (page_rows) o.max_rows_per_page = positive("--page-rows", std::to_string(*page_rows));
  if (row_group_bytes) o.row_group_bytes = positive("--row-group-bytes", std::to_string(*row_group_bytes));
  if (write_batch_size) o.write_batch_size = positive("--write-batch-size", std::to_string(*write_batch_size));
  if (max_dictionary_keys) o.max_dictionary_keys = positive("--max-dictionary-keys", std::to_string(*max_dictionary_keys));
  if (max_dictionary_bytes) o.max_dictionary_bytes = positive("--max-dictionary-bytes", std::to_string(*max_dictionary_bytes));
  if (statistics_truncate_length) {
    o.statistics_truncate_length =
        static_cast<int32_t>(positive("--statistics-truncate-length", std::to_string(*statistics_truncate_length)));
  }
  if (!encoding.empty()) o.encoding = parse_encoding(encoding);
  if (!decimals_as_integers.empty()) o.decimals_as_integers = on_off("--decimals-as-integers", decimals_as_integers);
  o.store_arrow_schema = !no_arrow_schema;
  o.spark_legacy_format = spark_legacy_format;
  if (created_by) o.created_by = *created_by;
  if (!datetime_rebase.empty()) o.datetime_rebase = calendar_rebase_flag("--datetime-rebase-in-write", datetime_rebase);
  if (!int96_rebase.empty()) o.int96_rebase = calendar_rebase_flag("--int96-rebase-in-write", int96_rebase);
  for (const std::string& kv : metadata) {
    const size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) bad("--metadata", kv, "KEY=VALUE");
    o.key_value_metadata.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
  }
  if (!dictionary.empty()) o.dictionary = on_off("--dictionary", dictionary);
  if (!statistics.empty()) o.statistics = statistics_level("--statistics", statistics);
  if (!page_index.empty()) o.page_index = on_off("--page-index", page_index);
  if (!crc.empty()) o.page_crc = on_off("--crc", crc);
  if (threads && *threads < 0) bad("--threads", std::to_string(*threads), "0 (every core) or more");
  o.threads = threads.value_or(0);
  if (!format_version.empty()) {
    if (format_version == "1.0") o.format_version = FormatVersion::V1_0;
    else if (format_version == "2.4") o.format_version = FormatVersion::V2_4;
    else if (format_version == "2.6") o.format_version = FormatVersion::V2_6;
    else bad("--format-version", format_version, "1.0, 2.4 or 2.6");
  }
  if (!coerce_timestamps.empty()) {
    if (coerce_timestamps == "ms") o.coerce_timestamps = TimeUnit::Milli;
    else if (coerce_timestamps == "us") o.coerce_timestamps = TimeUnit::Micro;
    else if (coerce_timestamps == "ns") o.coerce_timestamps = TimeUnit::Nano;
    else bad("--coerce-timestamps", coerce_timestamps, "ms, us or ns");
  }
  o.allow_truncated_timestamps = allow_truncated_timestamps;
  o.int96_timestamps = int96;
  if (!flavor.empty()) {
    if (flavor != "spark") bad("--flavor", flavor, "spark");
    o.spark_flavor = true;
  }
  if (!bloom.empty()) o.bloom_filter = bloom_filter("--bloom-filter", bloom);
  if (!distinct_count.empty()) o.distinct_count = on_off("--distinct-count", distinct_count);
  if (!total_order.empty()) o.ieee754_total_order = on_off("--total-order", total_order);
  for (const std::string& spec : sorting) {
    SortingColumnSpec sc;
    size_t colon = spec.find(':');
    sc.path = spec.substr(0, colon);
    while (colon != std::string::npos) {
      const size_t next = spec.find(':', colon + 1);
      const std::string flag = spec.substr(colon + 1, next == std::string::npos ? std::string::npos : next - colon - 1);
      if (flag == "desc") sc.descending = true;
      else if (flag == "nulls_first") sc.nulls_first = true;
      else bad("--sorting-column", spec, "PATH[:desc][:nulls_first]");
      colon = next;
    }
    if (sc.path.empty()) bad("--sorting-column", spec, "PATH[:desc][:nulls_first]");
    o.sorting_columns.push_back(sc);
  }
  for (const std::string& spec : index_columns) {
    std::vector<std::string> index;
    size_t start = 0;
    for (;;) {
      const size_t comma = spec.find(',', start);
      index.push_back(spec.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
      if (index.back().empty()) bad("--index-columns", spec, "COLUMN[,COLUMN...]");
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    o.index_columns.push_back(std::move(index));
  }
  for (const std::string& r : renames) {
    const size_t eq = r.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == r.size()) bad("--rename", r, "FIELD=NAME");
    o.rename[r.substr(0, eq)] = r.substr(eq + 1);
  }
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
      else if (key == "distinct_count") c.distinct_count = on_off("--column distinct_count", value);
      else if (key == "bloom_filter") c.bloom_filter = bloom_filter("--column bloom_filter", value);
      else bad("--column", spec, "keys codec, encoding, dictionary, statistics, distinct_count or bloom_filter");
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return o;
}

}  // namespace parkett::cli
