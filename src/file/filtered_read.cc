// FileReader::read_table with a filter: row groups whose statistics show the filter cannot
// be true are skipped, the rest are read and only the rows where it is true are kept.
#include "file/filtered_read.h"

#include <cstring>
#include <memory>
#include <unordered_set>

#include "expr/evaluate.h"
#include "expr/prune.h"
#include "parkett/error.h"
#include "table/take.h"
#include "util/value_text.h"

namespace parkett::file {
namespace {

using Id = DataType::Id;

using expr::dotted;
using expr::nanos_per;

// The unit a time or timestamp column stores (legacy converted types are mapped to
// logical types when the schema is read).
std::optional<TimeUnit> stored_unit(const SchemaNode& node) {
  const LogicalType& l = node.logical_type;
  if (l.kind == LogicalType::Kind::Timestamp || l.kind == LogicalType::Kind::Time) return l.unit;
  return std::nullopt;
}

// A statistics value of `node`'s physical type in the domain of `column` (whose Arrow type
// was mapped from that node), or nothing where the two do not line up.
std::optional<expr::Key> stat_key(const StatValue& v, const SchemaNode& node, const expr::BoundColumn& column) {
  expr::Key k;
  const Id id = column.type.id();
  if (const auto* s = std::get_if<std::string>(&v)) {
    if (column.domain == expr::Domain::Bytes) {
      k.bytes = *s;
      return k;
    }
    if (id == Id::Decimal128 && !s->empty() && s->size() <= 16) {  // big-endian two's complement
      __int128 x = static_cast<int8_t>((*s)[0]) < 0 ? -1 : 0;
      for (unsigned char c : *s) x = static_cast<__int128>(static_cast<unsigned __int128>(x) << 8) | c;
      k.integer = x;
      return k;
    }
    if (id == Id::Float16 && s->size() == 2) {
      uint16_t h;
      std::memcpy(&h, s->data(), 2);
      k.floating = util::half_to_float(h);
      return k;
    }
    return std::nullopt;
  }
  if (const auto* f = std::get_if<float>(&v)) {
    if (column.domain != expr::Domain::Float) return std::nullopt;
    k.floating = *f;
    return k;
  }
  if (const auto* d = std::get_if<double>(&v)) {
    if (column.domain != expr::Domain::Float) return std::nullopt;
    k.floating = *d;
    return k;
  }
  if (const auto* b = std::get_if<bool>(&v)) {
    if (id != Id::Boolean) return std::nullopt;
    k.integer = *b ? 1 : 0;
    return k;
  }
  if (column.domain != expr::Domain::Integer) return std::nullopt;
  __int128 x;
  if (const auto* i = std::get_if<int32_t>(&v)) {
    x = (id == Id::UInt8 || id == Id::UInt16 || id == Id::UInt32) ? static_cast<__int128>(static_cast<uint32_t>(*i)) : *i;
  } else if (const auto* l = std::get_if<int64_t>(&v)) {
    x = id == Id::UInt64 ? static_cast<__int128>(static_cast<uint64_t>(*l)) : *l;
  } else {
    return std::nullopt;  // INT96
  }
  switch (id) {
    case Id::Time32:
    case Id::Time64:
    case Id::Timestamp: {
      const auto unit = stored_unit(node);
      if (!unit) return std::nullopt;
      x *= nanos_per(*unit);
      break;
    }
    case Id::Boolean: return std::nullopt;
    default: break;
  }
  k.integer = x;
  return k;
}

enum class Presence { Absent, Bytes, Unknown };

template <class T>
std::string le_bytes(T v) {
  std::string out(sizeof(T), '\0');
  std::memcpy(out.data(), &v, sizeof(T));
  return out;
}

// The PLAIN bytes a value has in a column (what its bloom filter hashes): Absent when the
// column cannot hold it (out of the physical type's range, finer than the stored unit),
// Unknown where the mapping is not certain. `alternate`: a second form that compares equal
// (+0.0 for -0.0 and back).
Presence plain_bytes(const expr::Key& k, const expr::BoundColumn& column, const SchemaNode& node, std::string& out,
                     std::string& alternate) {
  const Id id = column.type.id();
  const PhysicalType physical = *node.physical_type;
  if (column.domain == expr::Domain::Bytes) {
    if (physical == PhysicalType::FixedLenByteArray && k.bytes.size() != static_cast<size_t>(node.type_length)) {
      return Presence::Absent;
    }
    out = k.bytes;
    return Presence::Bytes;
  }
  if (column.domain == expr::Domain::Float) {
    if (physical == PhysicalType::Double) {
      out = le_bytes(k.floating);
      if (k.floating == 0) alternate = le_bytes(-k.floating);
      return Presence::Bytes;
    }
    if (physical == PhysicalType::Float) {
      const auto f = static_cast<float>(k.floating);
      if (static_cast<double>(f) != k.floating) return Presence::Absent;  // no float equals it
      out = le_bytes(f);
      if (f == 0) alternate = le_bytes(-f);
      return Presence::Bytes;
    }
    return Presence::Unknown;  // float16
  }
  __int128 v = k.integer;
  if (id == Id::Time32 || id == Id::Time64 || id == Id::Timestamp) {
    const auto unit = stored_unit(node);
    if (!unit) return Presence::Unknown;
    const int64_t per = nanos_per(*unit);
    if (v % per != 0) return Presence::Absent;
    v /= per;
  }
  if (id == Id::Boolean) return Presence::Unknown;
  const bool is_unsigned = id == Id::UInt8 || id == Id::UInt16 || id == Id::UInt32 || id == Id::UInt64;
  switch (physical) {
    case PhysicalType::Int32:
      if (is_unsigned ? (v < 0 || v > UINT32_MAX) : (v < INT32_MIN || v > INT32_MAX)) return Presence::Absent;
      out = le_bytes(static_cast<int32_t>(static_cast<uint32_t>(v)));
      return Presence::Bytes;
    case PhysicalType::Int64:
      if (is_unsigned ? (v < 0 || v > UINT64_MAX) : (v < INT64_MIN || v > INT64_MAX)) return Presence::Absent;
      out = le_bytes(static_cast<int64_t>(static_cast<uint64_t>(v)));
      return Presence::Bytes;
    case PhysicalType::FixedLenByteArray:
    case PhysicalType::ByteArray: {
      if (id != Id::Decimal128) return Presence::Unknown;
      // Big-endian two's complement in the stored width (BYTE_ARRAY decimals have no fixed
      // width: writers use the fewest bytes, which is not certain; not used).
      if (physical == PhysicalType::ByteArray) return Presence::Unknown;
      const auto width = static_cast<size_t>(node.type_length);
      if (width == 0 || width > 16) return Presence::Unknown;
      if (width < 16) {
        const __int128 limit = static_cast<__int128>(1) << (8 * width - 1);
        if (v < -limit || v >= limit) return Presence::Absent;
      }
      out.assign(width, '\0');
      for (size_t i = 0; i < width; ++i) out[width - 1 - i] = static_cast<char>(static_cast<uint8_t>(v >> (8 * i)));
      return Presence::Bytes;
    }
    default: return Presence::Unknown;
  }
}

// Facts from the chunk statistics (and, with `bloom`, the bloom filter) of row group `g`
// for a column that maps to one leaf outside any list.
expr::FactsFor facts_in(const FileReader& reader, int32_t g, bool statistics, bool bloom) {
  const FileMetadata& md = reader.metadata();
  return [&reader, &md, g, statistics, bloom](const expr::BoundColumn& column) -> std::optional<expr::ColumnFacts> {
    const ParquetSchema& schema = md.schema();
    const int32_t c = schema.find_column(dotted(column.path));
    if (c < 0 || schema.column(c).max_repetition_level > 0) return std::nullopt;
    // Below a shredded VARIANT the Arrow value is reassembled from several leaves: the
    // statistics of the leaf of the same name do not describe it.
    for (int32_t n = schema.column(c).node; n >= 0; n = schema.node(n).parent) {
      if (schema.node(n).logical_type.kind == LogicalType::Kind::Variant) return std::nullopt;
    }
    const ColumnChunkMetadata chunk = md.row_group(g).column(c);
    if (chunk.metadata_encrypted()) return std::nullopt;
    expr::ColumnFacts f;
    f.num_values = chunk.num_values();
    if (bloom && chunk.bloom_filter_offset()) {
      const SchemaNode* node = &schema.node(schema.column(c).node);
      // Read when first asked (only = and IN ask), once.
      auto filter = std::make_shared<std::optional<std::optional<BloomFilter>>>();
      f.might_contain = [&reader, g, c, node, column, filter](const expr::Key& k) {
        std::string bytes, alternate;
        const Presence p = plain_bytes(k, column, *node, bytes, alternate);
        if (p == Presence::Absent) return false;
        if (p == Presence::Unknown) return true;
        if (!filter->has_value()) *filter = reader.bloom_filter(g, c);
        const std::optional<BloomFilter>& bf = **filter;
        if (!bf) return true;
        return bf->might_contain(BloomFilter::hash(bytes)) ||
               (!alternate.empty() && bf->might_contain(BloomFilter::hash(alternate)));
      };
    }
    const std::optional<Statistics> st = statistics ? chunk.statistics() : std::nullopt;
    if (!st) return f.might_contain ? std::optional<expr::ColumnFacts>(std::move(f)) : std::nullopt;
    f.null_count = st->null_count();
    f.may_have_nan = !st->nan_count() || *st->nan_count() > 0;
    if (st->has_min_max()) {
      const SchemaNode& node = schema.node(schema.column(c).node);
      auto lo = stat_key(st->min(), node, column), hi = stat_key(st->max(), node, column);
      if (lo && hi) {
        f.has_min_max = true;
        f.min = std::move(*lo);
        f.max = std::move(*hi);
        f.bounds_exact = column.domain != expr::Domain::Bytes ||
                         (st->is_min_value_exact().value_or(false) && st->is_max_value_exact().value_or(false));
      }
    }
    return f;
  };
}

}  // namespace

Table read_filtered(const FileReader& reader, const ReadOptions& options, ScanCounts* counts) {
  const FileMetadata& md = reader.metadata();
  ReadOptions plain = options;
  plain.filter = {};
  ReadOptions everything = plain;
  everything.columns.clear();
  const Schema file_schema = reader.arrow_schema(everything);
  const expr::Bound on_file = expr::bind(options.filter, file_schema);

  std::vector<int32_t> groups = options.row_groups;
  if (groups.empty()) {
    for (int32_t g = 0; g < md.num_row_groups(); ++g) groups.push_back(g);
  }
  ScanCounts scan;
  std::vector<int32_t> kept;
  for (int32_t g : groups) {
    if (g < 0 || g >= md.num_row_groups()) {
      kept.push_back(g);  // read_table reports it
      continue;
    }
    if (options.use_statistics && !expr::outcomes(on_file, facts_in(reader, g, true, false)).can_true) {
      ++scan.row_groups_skipped;
      scan.rows_skipped += md.row_group(g).num_rows();
      continue;
    }
    if (options.use_bloom_filter && !expr::outcomes(on_file, facts_in(reader, g, options.use_statistics, true)).can_true) {
      ++scan.row_groups_skipped_by_bloom_filter;
      scan.rows_skipped += md.row_group(g).num_rows();
      continue;
    }
    kept.push_back(g);
  }
  scan.row_groups_read = static_cast<int64_t>(kept.size());

  plain.row_groups = kept;
  Table data;
  if (kept.empty()) {
    data.schema = reader.arrow_schema(plain);
    if (counts) *counts = scan;
    return data;  // every row group skipped (an empty list would read them all)
  }
  data = reader.read_table(plain);
  // The filter's columns: those of the table read when it holds their whole top-level
  // fields, else read on their own.
  std::unordered_set<std::string> whole(options.columns.begin(), options.columns.end());
  bool in_data = true;
  for (int f : expr::referenced_fields(on_file)) {
    in_data &= options.columns.empty() || whole.contains(file_schema.fields[static_cast<size_t>(f)].name);
  }
  Table filter_columns;
  if (!in_data) {
    ReadOptions just_filter = plain;
    just_filter.columns.clear();
    for (int f : expr::referenced_fields(on_file)) just_filter.columns.push_back(file_schema.fields[static_cast<size_t>(f)].name);
    filter_columns = reader.read_table(just_filter);
  }
  const Table& source = in_data ? data : filter_columns;
  const expr::Bound bound = expr::bind(options.filter, source.schema);
  for (size_t b = 0; b < data.batches.size(); ++b) {
    RecordBatch& batch = data.batches[b];
    const std::vector<uint8_t> keep = expr::evaluate(bound, source.batches.at(b));
    const std::vector<int64_t> rows = table::selected_rows(keep);
    scan.rows_skipped += batch.num_rows - static_cast<int64_t>(rows.size());
    if (static_cast<int64_t>(rows.size()) == batch.num_rows) continue;
    for (auto& c : batch.columns) c = table::take(*c, rows);
    batch.num_rows = static_cast<int64_t>(rows.size());
  }
  if (counts) *counts = scan;
  return data;
}

}  // namespace parkett::file
