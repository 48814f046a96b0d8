#include "options.h"

#include <pybind11/stl.h>

#include <set>

#include "parkett/error.h"

namespace parkett::python {
namespace {

// Takes the options of one struct out of a dict; whatever is left at the end was not an
// option of it.
class Options {
 public:
  Options(const py::dict& d, std::string what) : what_(std::move(what)) {
    for (auto [k, v] : d) {
      if (!v.is_none()) values_[py::str(k).cast<std::string>()] = py::reinterpret_borrow<py::object>(v);
    }
  }
  template <class T>
  void get(const char* key, T& out) {
    auto it = values_.find(key);
    if (it == values_.end()) return;
    try {
      out = it->second.cast<T>();
    } catch (const py::cast_error&) {
      throw Error(ErrorKind::InvalidArgument, what_ + " option '" + key + "' cannot be " +
                                                  py::repr(it->second).cast<std::string>());
    }
    values_.erase(it);
  }
  py::object take(const char* key) {
    auto it = values_.find(key);
    if (it == values_.end()) return py::none();
    py::object v = it->second;
    values_.erase(it);
    return v;
  }
  bool has(const char* key) const { return values_.count(key) > 0; }
  void finish() const {
    if (values_.empty()) return;
    std::string names;
    for (const auto& [k, v] : values_) names += (names.empty() ? "" : ", ") + k;
    throw Error(ErrorKind::InvalidArgument, "unknown " + what_ + " option(s): " + names);
  }

 private:
  std::string what_;
  std::map<std::string, py::object> values_;
};

CalendarRebase rebase(const std::string& text) {
  auto r = parse_calendar_rebase(text);
  if (!r) throw Error(ErrorKind::InvalidArgument, "calendar rebase mode '" + text + "' is not EXCEPTION, CORRECTED or LEGACY");
  return *r;
}

Encoding parse_encoding(const std::string& text) {
  static const std::pair<const char*, Encoding> names[] = {
      {"PLAIN", Encoding::Plain},
      {"RLE", Encoding::Rle},
      {"DELTA_BINARY_PACKED", Encoding::DeltaBinaryPacked},
      {"DELTA_LENGTH_BYTE_ARRAY", Encoding::DeltaLengthByteArray},
      {"DELTA_BYTE_ARRAY", Encoding::DeltaByteArray},
      {"BYTE_STREAM_SPLIT", Encoding::ByteStreamSplit},
      {"ALP", Encoding::Alp},
  };
  std::string upper;
  for (char c : text) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const auto& [name, e] : names) {
    if (upper == name) return e;
  }
  throw Error(ErrorKind::InvalidArgument, "encoding '" + text + "' is not one of PLAIN, RLE, DELTA_BINARY_PACKED, "
                                          "DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY, BYTE_STREAM_SPLIT, ALP "
                                          "(dictionary encoding is the 'dictionary' option)");
}

StatisticsLevel parse_statistics(const py::object& v) {
  if (py::isinstance<py::bool_>(v)) return v.cast<bool>() ? StatisticsLevel::Page : StatisticsLevel::None;
  auto text = v.cast<std::string>();
  if (text == "none") return StatisticsLevel::None;
  if (text == "chunk") return StatisticsLevel::Chunk;
  if (text == "page") return StatisticsLevel::Page;
  throw Error(ErrorKind::InvalidArgument, "statistics level '" + text + "' is not none, chunk or page");
}

BloomFilterOptions parse_bloom(const py::object& v) {
  BloomFilterOptions b;
  if (py::isinstance<py::bool_>(v)) {
    b.enabled = v.cast<bool>();
    return b;
  }
  Options o(v.cast<py::dict>(), "bloom filter");
  o.get("fpp", b.fpp);
  o.get("ndv", b.ndv);
  o.get("enabled", b.enabled);
  o.finish();
  return b;
}

CodecOptions parse_compression(const py::object& v) {
  if (py::isinstance<py::str>(v)) return parse_codec(v.cast<std::string>());
  Options o(v.cast<py::dict>(), "compression");
  std::string codec = "snappy";
  o.get("codec", codec);
  CodecOptions c = parse_codec(codec);
  o.get("level", c.level);
  o.finish();
  return c;
}

ColumnWriteOptions column_write_options(const py::dict& d, const std::string& path) {
  Options o(d, "column '" + path + "'");
  ColumnWriteOptions c;
  if (py::object v = o.take("compression"); !v.is_none()) c.compression = parse_compression(v);
  o.get("dictionary", c.dictionary);
  if (py::object v = o.take("encoding"); !v.is_none()) c.encoding = parse_encoding(v.cast<std::string>());
  if (py::object v = o.take("statistics"); !v.is_none()) c.statistics = parse_statistics(v);
  o.get("distinct_count", c.distinct_count);
  if (py::object v = o.take("bloom_filter"); !v.is_none()) c.bloom_filter = parse_bloom(v);
  o.finish();
  return c;
}

template <class T>
std::shared_ptr<T> shared(const py::object& v) {
  return v.cast<std::shared_ptr<std::remove_const_t<T>>>();
}

void open_options(Options& o, OpenOptions& out) {
  o.get("lazy_footer", out.footer.lazy);
  o.get("memory_map", out.memory_map);
  o.get("footer_read_size", out.footer_read_size);
  o.get("max_footer_size", out.max_footer_size);
  o.get("use_arrow_schema", out.use_arrow_schema);
  if (py::object v = o.take("int96_unit"); !v.is_none()) out.int96_unit = parse_time_unit(v.cast<std::string>());
  o.get("binary_as_string", out.binary_as_string);
  if (py::object v = o.take("datetime_rebase"); !v.is_none()) out.datetime_rebase = rebase(v.cast<std::string>());
  if (py::object v = o.take("int96_rebase"); !v.is_none()) out.int96_rebase = rebase(v.cast<std::string>());
  o.get("all_nullable", out.all_nullable);
  o.get("verify_crc", out.verify_crc);
  o.get("max_page_size", out.max_page_size);
  if (py::object v = o.take("s3"); !v.is_none()) out.s3 = s3_options(v.cast<py::dict>());
  if (py::object v = o.take("decryption"); !v.is_none()) out.decryption = shared<const DecryptionProperties>(v);
}

void scan(Options& o, ScanOptions& out) {
  o.get("columns", out.columns);
  o.get("column_ids", out.column_ids);
  o.get("row_groups", out.row_groups);
  o.get("read_dictionary", out.read_dictionary);
  if (py::object v = o.take("filter"); !v.is_none()) out.filter = Expression::parse(v.cast<std::string>());
  o.get("use_statistics", out.use_statistics);
  o.get("use_bloom_filter", out.use_bloom_filter);
  o.get("use_dictionary_filter", out.use_dictionary_filter);
  o.get("use_data_index", out.use_data_index);
  o.get("use_page_index", out.use_page_index);
  o.get("threads", out.threads);
  o.get("batch_size", out.batch_size);
  o.get("stream_read_size", out.stream_read_size);
  o.get("coalesce_gap", out.coalesce_gap);
  o.get("max_coalesced_read", out.max_coalesced_read);
  o.get("ordered", out.ordered);
  o.get("read_ahead_bytes", out.read_ahead_bytes);
}

void write(Options& o, WriteOptions& out) {
  if (py::object v = o.take("compression"); !v.is_none()) out.compression = parse_compression(v);
  o.get("dictionary", out.dictionary);
  if (py::object v = o.take("encoding"); !v.is_none()) out.encoding = parse_encoding(v.cast<std::string>());
  o.get("max_dictionary_keys", out.max_dictionary_keys);
  o.get("max_dictionary_bytes", out.max_dictionary_bytes);
  o.get("data_page_version", out.data_page_version);
  o.get("data_page_size", out.data_page_size);
  o.get("max_rows_per_page", out.max_rows_per_page);
  o.get("row_group_rows", out.row_group_rows);
  o.get("row_group_bytes", out.row_group_bytes);
  if (py::object v = o.take("statistics"); !v.is_none()) out.statistics = parse_statistics(v);
  o.get("statistics_truncate_length", out.statistics_truncate_length);
  o.get("page_index", out.page_index);
  o.get("page_crc", out.page_crc);
  o.get("created_by", out.created_by);
  o.get("key_value_metadata", out.key_value_metadata);
  if (py::object v = o.take("format_version"); !v.is_none()) {
    auto text = v.cast<std::string>();
    if (text == "1.0") out.format_version = FormatVersion::V1_0;
    else if (text == "2.4") out.format_version = FormatVersion::V2_4;
    else if (text == "2.6") out.format_version = FormatVersion::V2_6;
    else throw Error(ErrorKind::InvalidArgument, "format version '" + text + "' is not 1.0, 2.4 or 2.6");
  }
  if (py::object v = o.take("coerce_timestamps"); !v.is_none()) out.coerce_timestamps = parse_time_unit(v.cast<std::string>());
  o.get("allow_truncated_timestamps", out.allow_truncated_timestamps);
  o.get("int96_timestamps", out.int96_timestamps);
  if (py::object v = o.take("datetime_rebase"); !v.is_none()) out.datetime_rebase = rebase(v.cast<std::string>());
  if (py::object v = o.take("int96_rebase"); !v.is_none()) out.int96_rebase = rebase(v.cast<std::string>());
  o.get("decimals_as_integers", out.decimals_as_integers);
  o.get("spark_flavor", out.spark_flavor);
  o.get("spark_legacy_format", out.spark_legacy_format);
  o.get("rename", out.rename);
  o.get("store_arrow_schema", out.store_arrow_schema);
  o.get("ieee754_total_order", out.ieee754_total_order);
  o.get("distinct_count", out.distinct_count);
  if (py::object v = o.take("bloom_filter"); !v.is_none()) out.bloom_filter = parse_bloom(v);
  o.get("write_batch_size", out.write_batch_size);
  if (py::object v = o.take("sorting_columns"); !v.is_none()) {
    for (auto item : v.cast<py::list>()) {
      py::tuple t = py::tuple(py::reinterpret_borrow<py::object>(item));
      out.sorting_columns.push_back(SortingColumnSpec{t[0].cast<std::string>(), t[1].cast<bool>(), t[2].cast<bool>()});
    }
  }
  o.get("index_columns", out.index_columns);
  o.get("threads", out.threads);
  if (py::object v = o.take("columns"); !v.is_none()) {
    for (auto [path, settings] : v.cast<py::dict>()) {
      auto p = py::str(path).cast<std::string>();
      out.columns[p] = column_write_options(settings.cast<py::dict>(), p);
    }
  }
  if (py::object v = o.take("s3"); !v.is_none()) out.s3 = s3_options(v.cast<py::dict>());
  if (py::object v = o.take("encryption"); !v.is_none()) out.encryption = shared<const EncryptionProperties>(v);
}

}  // namespace

TimeUnit parse_time_unit(const std::string& unit) {
  if (unit == "s") return TimeUnit::Second;
  if (unit == "ms") return TimeUnit::Milli;
  if (unit == "us") return TimeUnit::Micro;
  if (unit == "ns") return TimeUnit::Nano;
  throw Error(ErrorKind::InvalidArgument, "time unit '" + unit + "' is not one of s, ms, us, ns");
}

ReadOptions read_options(const py::dict& d) {
  Options o(d, "read");
  ReadOptions out;
  open_options(o, out);
  scan(o, out);
  o.finish();
  return out;
}

ScanOptions scan_options(const py::dict& d) {
  Options o(d, "scan");
  ScanOptions out;
  scan(o, out);
  o.finish();
  return out;
}

WriteOptions write_options(const py::dict& d) {
  Options o(d, "write");
  WriteOptions out;
  write(o, out);
  o.finish();
  return out;
}

S3Options s3_options(const py::dict& d) {
  Options o(d, "S3");
  S3Options s;
  o.get("region", s.region);
  o.get("endpoint_url", s.endpoint_url);
  if (py::object v = o.take("addressing"); !v.is_none()) {
    auto text = v.cast<std::string>();
    if (text == "auto") s.addressing = S3Addressing::Auto;
    else if (text == "path") s.addressing = S3Addressing::PathStyle;
    else if (text == "virtual") s.addressing = S3Addressing::VirtualHosted;
    else throw Error(ErrorKind::InvalidArgument, "S3 addressing '" + text + "' is not auto, path or virtual");
  }
  o.get("access_key_id", s.access_key_id);
  o.get("secret_access_key", s.secret_access_key);
  o.get("session_token", s.session_token);
  o.get("profile", s.profile);
  o.get("anonymous", s.anonymous);
  o.get("sign_payload", s.sign_payload);
  o.get("verify_tls", s.verify_tls);
  o.get("ca_file", s.ca_file);
  o.get("connect_timeout_ms", s.connect_timeout_ms);
  o.get("request_timeout_ms", s.request_timeout_ms);
  o.get("max_concurrent_requests", s.max_concurrent_requests);
  o.get("max_retries", s.max_retries);
  o.get("retry_base_delay_ms", s.retry_base_delay_ms);
  o.get("retry_max_delay_ms", s.retry_max_delay_ms);
  o.get("retry_budget", s.retry_budget);
  o.get("part_size", s.part_size);
  o.get("max_parts_in_flight", s.max_parts_in_flight);
  o.get("cache_bytes", s.cache_bytes);
  o.finish();
  return s;
}

DatasetOptions dataset_options(const py::dict& d) {
  Options o(d, "dataset");
  DatasetOptions out;
  if (py::object v = o.take("partitioning"); !v.is_none()) {
    Options p(v.cast<py::dict>(), "partitioning");
    std::string kind = "detect";
    p.get("kind", kind);
    if (kind == "detect") out.partitioning.kind = Partitioning::Kind::Detect;
    else if (kind == "hive") out.partitioning.kind = Partitioning::Kind::Hive;
    else if (kind == "directory") out.partitioning.kind = Partitioning::Kind::Directory;
    else if (kind == "none") out.partitioning.kind = Partitioning::Kind::None;
    else throw Error(ErrorKind::InvalidArgument, "partitioning '" + kind + "' is not detect, hive, directory or none");
    p.get("names", out.partitioning.names);
    p.get("types", out.partitioning.types);
    p.get("infer_types", out.partitioning.infer_types);
    p.get("allow_key_order_mismatch", out.partitioning.allow_key_order_mismatch);
    p.finish();
  }
  if (py::object v = o.take("schema_merge"); !v.is_none()) {
    auto text = v.cast<std::string>();
    if (text == "none") out.schema_merge = SchemaMerge::None;
    else if (text == "union") out.schema_merge = SchemaMerge::Union;
    else throw Error(ErrorKind::InvalidArgument, "schema_merge '" + text + "' is not none or union");
  }
  o.get("base_path", out.base_path);
  o.get("extensions", out.extensions);
  if (py::object v = o.take("metadata_file"); !v.is_none()) {
    auto text = v.cast<std::string>();
    if (text == "use") out.metadata_file = MetadataFile::Use;
    else if (text == "use_if_valid") out.metadata_file = MetadataFile::UseIfValid;
    else if (text == "ignore") out.metadata_file = MetadataFile::Ignore;
    else throw Error(ErrorKind::InvalidArgument, "metadata_file '" + text + "' is not use, use_if_valid or ignore");
  }
  o.get("schema", out.schema);
  o.get("case_insensitive", out.case_insensitive);
  o.get("skip_unreadable_files", out.skip_unreadable_files);
  o.get("threads", out.threads);
  if (py::object v = o.take("decryption_config"); !v.is_none()) out.decryption_config = v.cast<DatasetDecryptionConfig>();
  if (py::object v = o.take("file_options"); !v.is_none()) {
    Options f(v.cast<py::dict>(), "dataset file");
    open_options(f, out.file_options);
    f.finish();
  }
  o.finish();
  return out;
}

DatasetWriteOptions dataset_write_options(const py::dict& d) {
  Options o(d, "dataset write");
  DatasetWriteOptions out;
  o.get("partition_by", out.partition_by);
  if (py::object v = o.take("flavor"); !v.is_none()) {
    auto text = v.cast<std::string>();
    if (text == "hive") out.flavor = Partitioning::Kind::Hive;
    else if (text == "directory") out.flavor = Partitioning::Kind::Directory;
    else throw Error(ErrorKind::InvalidArgument, "partitioning flavor '" + text + "' is not hive or directory");
  }
  o.get("basename_template", out.basename_template);
  o.get("max_rows_per_file", out.max_rows_per_file);
  o.get("max_open_files", out.max_open_files);
  o.get("max_buffered_bytes", out.max_buffered_bytes);
  if (py::object v = o.take("existing_data_behavior"); !v.is_none()) {
    auto text = v.cast<std::string>();
    if (text == "error") out.existing_data = ExistingData::Error;
    else if (text == "overwrite_or_ignore") out.existing_data = ExistingData::OverwriteOrIgnore;
    else if (text == "delete_matching") out.existing_data = ExistingData::DeleteMatching;
    else {
      throw Error(ErrorKind::InvalidArgument,
                  "existing_data_behavior '" + text + "' is not error, overwrite_or_ignore or delete_matching");
    }
  }
  o.get("keep_partition_columns", out.keep_partition_columns);
  o.get("write_metadata_files", out.write_metadata_files);
  if (py::object v = o.take("encryption_config"); !v.is_none()) out.encryption_config = v.cast<DatasetEncryptionConfig>();
  if (py::object v = o.take("file_options"); !v.is_none()) out.file_options = write_options(v.cast<py::dict>());
  o.finish();
  return out;
}

}  // namespace parkett::python
