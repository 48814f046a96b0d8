#include "file/writer_options.h"

#include <algorithm>

#include "codec/codec.h"
#include "column/value_statistics.h"
#include "file/data_index_layout.h"
#include "parkett/bloom_filter.h"
#include "parkett/error.h"
#include "parkett/version.h"
#include "schema/arrow_ipc.h"
#include "schema/from_thrift.h"

namespace parkett::file {
namespace {

// Per-column options name a leaf's dotted path or a prefix of it ending at a '.'.
bool names_column(const std::string& key, const std::string& path) {
  return path == key || (path.size() > key.size() && path.compare(0, key.size(), key) == 0 && path[key.size()] == '.');
}

// The per-column entry that applies to `path`: the longest key naming it.
const ColumnWriteOptions* column_entry(const WriteOptions& o, const std::string& path) {
  const ColumnWriteOptions* best = nullptr;
  size_t best_len = 0;
  for (const auto& [key, entry] : o.columns) {
    if (names_column(key, path) && key.size() >= best_len) {
      best = &entry;
      best_len = key.size();
    }
  }
  return best;
}

}  // namespace

schema::ParquetSchemaOptions schema_options(const WriteOptions& o) {
  schema::ParquetSchemaOptions s;
  s.version = o.format_version;
  s.coerce_timestamps = o.coerce_timestamps;
  s.int96_timestamps = o.int96_timestamps || o.spark_flavor;
  s.decimals_as_integers = o.decimals_as_integers && !o.spark_flavor && !o.spark_legacy_format;
  s.legacy_nested_layout = o.spark_legacy_format;
  s.sanitize_names = o.spark_flavor;
  s.rename = o.rename;
  return s;
}

ResolvedWrite resolve_write(const Schema& schema, const WriteOptions& o) {
  ResolvedWrite out;
  if (o.data_page_version != 1 && o.data_page_version != 2) {
    throw Error(ErrorKind::InvalidArgument, "data_page_version is " + std::to_string(o.data_page_version) + ", not 1 or 2");
  }
  if (o.row_group_rows <= 0 || o.row_group_bytes <= 0 || o.data_page_size <= 0 || o.max_rows_per_page <= 0 ||
      o.max_dictionary_keys <= 0 || o.max_dictionary_bytes <= 0 || o.write_batch_size <= 0) {
    throw Error(ErrorKind::InvalidArgument, "row group, page, write batch and dictionary sizes must be positive");
  }
  out.elements = schema::to_parquet_schema(schema, schema_options(o));
  out.parquet = schema::from_thrift(out.elements);
  for (int32_t child : out.parquet.root().children) out.plans.push_back(schema::plan_field(out.parquet, child));
  for (const auto& [key, entry] : o.columns) {
    bool found = false;
    for (const ColumnDescriptor& d : out.parquet.columns()) found |= names_column(key, d.dotted_path);
    if (!found) throw Error(ErrorKind::InvalidArgument, "per-column options name '" + key + "', which is no column");
  }
  for (const ColumnDescriptor& d : out.parquet.columns()) {
    const ColumnWriteOptions* c = column_entry(o, d.dotted_path);
    column::ChunkOptions co;
    const CodecOptions codec = c && c->compression ? *c->compression : o.compression;
    co.codec = codec.codec;
    co.level = codec.level.value_or(codec::default_level(codec.codec));
    codec::check_level(co.codec, co.level);
    codec::codec_for(co.codec);
    co.dictionary = c && c->dictionary ? *c->dictionary : o.dictionary;
    std::optional<Encoding> e = c && c->encoding ? c->encoding : o.encoding;
    if (e == Encoding::RleDictionary || e == Encoding::PlainDictionary) {
      co.dictionary = true;
      e.reset();
    }
    if (e) {
      // An encoding given file-wide applies where the type allows it; per column it must.
      const bool explicit_here = c && c->encoding;
      try {
        column::check_encoding(*e, d.physical_type, d.dotted_path);
        co.encoding = *e;
        if (explicit_here) co.dictionary = c->dictionary.value_or(false);
      } catch (const Error&) {
        if (explicit_here) throw;
      }
    } else if (d.physical_type == PhysicalType::Boolean && o.data_page_version == 2) {
      co.encoding = Encoding::Rle;  // as Arrow writes booleans in v2 pages
    }
    co.max_dictionary_keys = o.max_dictionary_keys;
    co.max_dictionary_bytes = o.max_dictionary_bytes;
    co.data_page_version = o.data_page_version;
    co.data_page_size = o.data_page_size;
    co.max_rows_per_page = o.max_rows_per_page;
    co.statistics = c && c->statistics ? *c->statistics : o.statistics;
    co.truncate_length = o.statistics_truncate_length;
    co.page_index = o.page_index;
    co.crc = o.page_crc;
    co.write_batch_size = o.write_batch_size;
    co.plain_dictionary = o.format_version == FormatVersion::V1_0;
    co.total_order = o.ieee754_total_order;
    co.distinct_count = c && c->distinct_count ? *c->distinct_count : o.distinct_count;
    co.bloom_filter = c && c->bloom_filter ? c->bloom_filter : o.bloom_filter;
    if (co.bloom_filter && !co.bloom_filter->enabled) co.bloom_filter.reset();
    if (co.bloom_filter) {
      BloomFilter::optimal_num_bytes(co.bloom_filter->ndv.value_or(1), co.bloom_filter->fpp);  // checks fpp and ndv
      if (d.physical_type == PhysicalType::Boolean) {
        if (c && c->bloom_filter) {
          throw Error(ErrorKind::InvalidArgument, "column '" + d.dotted_path + "' is BOOLEAN, which bloom filters do not hold");
        }
        co.bloom_filter.reset();
      }
    }
    out.leaf_options.push_back(co);
  }
  for (const SortingColumnSpec& sc : o.sorting_columns) {
    const int32_t c = out.parquet.find_column(sc.path);
    if (c < 0) throw Error(ErrorKind::InvalidArgument, "sorting column '" + sc.path + "' is no leaf column");
    format::SortingColumn f;
    f.column_idx = c;
    f.descending = sc.descending;
    f.nulls_first = sc.nulls_first;
    out.sorting_columns.push_back(f);
  }
  out.calendar_rules = write_calendar_rules(out.parquet, o);
  if (o.encryption) out.encryptor = std::make_shared<const FileEncryptor>(*o.encryption, out.parquet);
  return out;
}

format::FileMetaData footer_metadata(const Schema& schema, const WriteOptions& options, const ParquetSchema& parquet,
                                     const std::vector<format::SchemaElement>& elements,
                                     const std::vector<column::ChunkOptions>& leaf_options) {
  format::FileMetaData md;
  md.version = options.format_version == FormatVersion::V1_0 ? 1 : 2;
  md.schema = elements;
  std::vector<format::KeyValue> kv;
  // Spark's calendar keys say how this file stores dates: the rebase options decide them.
  // A schema read from another file carries that file's, which do not describe the values
  // in memory (always proleptic Gregorian), so they are never copied.
  const auto calendar_keys = spark_calendar_keys(options);
  const auto is_calendar_key = [](const std::string& k) {
    return k == kSparkVersionKey || k == kSparkLegacyDateTimeKey || k == kSparkLegacyInt96Key || k == kSparkTimeZoneKey;
  };
  for (const auto& [k, v] : options.key_value_metadata) {
    if (calendar_keys.empty() || !is_calendar_key(k)) kv.push_back({k, v});
  }
  for (const auto& [k, v] : calendar_keys) kv.push_back({k, v});
  for (const auto& entry : schema.metadata) {
    const std::string& key = entry.first;
    if (is_calendar_key(key) || key == kIndexTokenKey) continue;
    if (std::none_of(kv.begin(), kv.end(), [&](const format::KeyValue& e) { return e.key == key; })) {
      // Data indexes a schema's `deephaven` value lists are beside the file it came from.
      const bool other_sidecars = key == kDeephavenKey && lists_sidecars(entry.second);
      kv.push_back({entry.first, other_sidecars ? data_file_table_info(&entry.second, {}) : entry.second});
    }
  }
  if (options.store_arrow_schema &&
      std::none_of(kv.begin(), kv.end(), [](const format::KeyValue& e) { return e.key == schema::kArrowSchemaKey; })) {
    kv.push_back({schema::kArrowSchemaKey,
                  schema::encode_arrow_schema(schema::with_parquet_names(schema, schema_options(options)))});
  }
  if (!kv.empty()) md.key_value_metadata = std::move(kv);
  md.created_by = options.created_by.empty() ? std::string("parkett version ") + version() : options.created_by;
  std::vector<format::ColumnOrder> orders(static_cast<size_t>(parquet.num_columns()));
  for (size_t c = 0; c < orders.size(); ++c) {
    if (leaf_options[c].total_order &&
        column::is_floating(column::sort_order_of(parquet.node(parquet.column(static_cast<int32_t>(c)).node), true))) {
      orders[c].IEEE_754_TOTAL_ORDER.emplace();
    } else {
      orders[c].TYPE_ORDER.emplace();
    }
  }
  md.column_orders = std::move(orders);
  return md;
}

}  // namespace parkett::file
