// FileReader::read_table with a filter. Row groups whose statistics or bloom filters show
// the filter cannot be true are skipped; in the others, pages whose column index shows it
// cannot be true are skipped; then the filter's columns are read for the rows left, the
// filter evaluated on them, and the other columns read for the rows it keeps alone.
#include "file/filtered_read.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <functional>
#include <map>
#include <memory>

#include "expr/evaluate.h"
#include "expr/prune.h"
#include "file/arrow_schema_hint.h"
#include "file/bloom_filter_reader.h"
#include "file/dictionary_filter.h"
#include "file/field_reader.h"
#include "file/data_index_scan.h"
#include "file/page_index.h"
#include "file/read_plan.h"
#include "file/reader_access.h"
#include "parkett/error.h"
#include "table/take.h"
#include "util/task_queue.h"
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
      // Beyond float's range no float equals it (and the cast would be undefined).
      if (std::isfinite(k.floating) && std::fabs(k.floating) > std::numeric_limits<float>::max()) return Presence::Absent;
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

// The leaf a filter column maps to, if it is one leaf outside any list whose statistics
// describe the values the filter sees; -1 otherwise.
int32_t leaf_of(const FileReader& reader, const expr::BoundColumn& column) {
  const ParquetSchema& schema = reader.metadata().schema();
  const int32_t c = schema.find_column(dotted(column.path));
  if (c < 0 || schema.column(c).max_repetition_level > 0) return -1;
  // Rebased from the hybrid calendar on read: its statistics, page index and bloom filter
  // hold the file's calendar, not the values read.
  const column::CalendarRule* rule = FileReaderAccess::calendar_rule(reader, c);
  if (rule && rule->mode == CalendarRebase::Legacy) return -1;
  // Below a shredded VARIANT the Arrow value is reassembled from several leaves: the
  // statistics of the leaf of the same name do not describe it.
  for (int32_t n = schema.column(c).node; n >= 0; n = schema.node(n).parent) {
    if (schema.node(n).logical_type.kind == LogicalType::Kind::Variant) return -1;
  }
  return c;
}

// Min/max of `column` as facts, when both map into its domain.
void set_bounds(expr::ColumnFacts& f, const StatValue& lo, const StatValue& hi, const SchemaNode& node,
                const expr::BoundColumn& column, bool exact_bytes) {
  auto min = stat_key(lo, node, column), max = stat_key(hi, node, column);
  if (!min || !max) return;
  f.has_min_max = true;
  f.min = std::move(*min);
  f.max = std::move(*max);
  f.bounds_exact = column.domain != expr::Domain::Bytes || exact_bytes;
}

// What pruning reads of a row group beyond its footer, read once per column however often
// the filter names it: bloom filter probes and dictionaries (as sorted keys, or nothing
// where an entry has no key in the column's domain).
struct GroupProbes {
  bool bloom = false, dictionary = false;
  std::map<int32_t, std::shared_ptr<BloomFilterProbe>> blooms;
  std::map<int32_t, std::shared_ptr<std::optional<std::optional<std::vector<expr::Key>>>>> dictionaries;
};

// The dictionary of chunk (g, c) as keys of `column`, sorted; nullopt where that cannot be.
std::optional<std::vector<expr::Key>> dictionary_keys(const FileReader& reader, int32_t g, int32_t c,
                                                      const expr::BoundColumn& column) {
  const ParquetSchema& schema = reader.metadata().schema();
  const auto values = read_dictionary_values(reader, g, c);
  if (!values) return std::nullopt;
  const SchemaNode& node = schema.node(schema.column(c).node);
  std::vector<expr::Key> keys;
  keys.reserve(values->size());
  for (const StatValue& v : *values) {
    auto k = stat_key(v, node, column);
    if (!k) return std::nullopt;
    if (column.domain == expr::Domain::Float && k->floating != k->floating) continue;  // NaN equals nothing
    keys.push_back(std::move(*k));
  }
  std::sort(keys.begin(), keys.end(),
            [&column](const expr::Key& x, const expr::Key& y) { return expr::compare(x, y, column.domain) < 0; });
  return keys;
}

// Facts from the chunk statistics (and, as `probes` allow, its bloom filter and dictionary)
// of row group `g`.
std::optional<expr::ColumnFacts> chunk_facts(const FileReader& reader, int32_t g, const expr::BoundColumn& column,
                                             bool statistics, GroupProbes* probes) {
  const FileMetadata& md = reader.metadata();
  const ParquetSchema& schema = md.schema();
  const int32_t c = leaf_of(reader, column);
  if (c < 0) return std::nullopt;
  const ColumnChunkMetadata chunk = md.row_group(g).column(c);
  if (chunk.metadata_encrypted()) return std::nullopt;
  expr::ColumnFacts f;
  f.num_values = chunk.num_values();
  std::function<bool(const expr::Key&)> in_bloom, in_dictionary;
  if (probes && probes->bloom && chunk.bloom_filter_offset()) {
    const SchemaNode* node = &schema.node(schema.column(c).node);
    // Probed when first asked (only = and IN ask): one block of the bitset per value.
    auto& probe = probes->blooms[c];
    if (!probe) probe = std::make_shared<BloomFilterProbe>(reader, g, c);
    in_bloom = [node, column, probe = probe](const expr::Key& k) {
      std::string bytes, alternate;
      const Presence p = plain_bytes(k, column, *node, bytes, alternate);
      if (p == Presence::Absent) return false;
      if (p == Presence::Unknown) return true;
      return probe->might_contain(BloomFilter::hash(bytes)) ||
             (!alternate.empty() && probe->might_contain(BloomFilter::hash(alternate)));
    };
  }
  if (probes && probes->dictionary && fully_dictionary_encoded(chunk)) {
    auto& keys = probes->dictionaries[c];
    if (!keys) keys = std::make_shared<std::optional<std::optional<std::vector<expr::Key>>>>();
    in_dictionary = [&reader, g, c, column, keys = keys](const expr::Key& k) {
      if (!keys->has_value()) *keys = dictionary_keys(reader, g, c, column);  // read when first asked
      const auto& sorted = **keys;
      if (!sorted) return true;
      const auto less = [&column](const expr::Key& x, const expr::Key& y) { return expr::compare(x, y, column.domain) < 0; };
      return std::binary_search(sorted->begin(), sorted->end(), k, less);
    };
  }
  if (in_bloom || in_dictionary) {
    // The bloom filter first: it costs a block, the dictionary a page.
    f.might_contain = [in_bloom, in_dictionary](const expr::Key& k) {
      return (!in_bloom || in_bloom(k)) && (!in_dictionary || in_dictionary(k));
    };
  }
  const std::optional<Statistics> st = statistics ? chunk.statistics() : std::nullopt;
  if (!st) return f.might_contain ? std::optional<expr::ColumnFacts>(std::move(f)) : std::nullopt;
  f.null_count = st->null_count();
  f.may_have_nan = !st->nan_count() || *st->nan_count() > 0;
  if (st->has_min_max()) {
    set_bounds(f, st->min(), st->max(), schema.node(schema.column(c).node), column,
               st->is_min_value_exact().value_or(false) && st->is_max_value_exact().value_or(false));
  }
  return f;
}

expr::FactsFor facts_in(const FileReader& reader, int32_t g, bool statistics, bool bloom, bool dictionary) {
  auto probes = std::make_shared<GroupProbes>();
  probes->bloom = bloom;
  probes->dictionary = dictionary;
  return [&reader, g, statistics, probes](const expr::BoundColumn& column) {
    return chunk_facts(reader, g, column, statistics, probes.get());
  };
}

// The leaf columns a bound filter compares (one per column reference that maps to a leaf).
void filter_leaves(const FileReader& reader, const expr::Bound& b, std::vector<int32_t>& out) {
  for (const expr::Bound& o : b.operands) filter_leaves(reader, o, out);
  if (b.operands.empty() && !b.column.path.empty()) {
    const int32_t c = leaf_of(reader, b.column);
    if (c >= 0 && std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
  }
}

// The rows of row group `g` that the column indexes of the filter's columns leave possible:
// the row group is cut at every page boundary of those columns, and a piece is kept unless
// the pages covering it show the filter cannot be true there.
column::RowSelection prune_pages(const FileReader& reader, int32_t g, const expr::Bound& filter,
                                 const std::vector<int32_t>& leaves, const RowGroupPageIndex& index) {
  const FileMetadata& md = reader.metadata();
  const ParquetSchema& schema = md.schema();
  const int64_t num_rows = md.row_group(g).num_rows();
  std::vector<int64_t> cuts{0, num_rows};
  bool any = false;
  for (int32_t c : leaves) {
    const auto& o = index.offsets[static_cast<size_t>(c)];
    const auto& ci = index.columns[static_cast<size_t>(c)];
    if (!o || !ci || ci->num_pages() != o->pages.size()) continue;
    any = true;
    for (const PageLocation& p : o->pages) cuts.push_back(p.first_row_index);
  }
  if (!any) return column::RowSelection::all(num_rows);
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  std::vector<column::RowRange> kept;
  for (size_t s = 0; s + 1 < cuts.size(); ++s) {
    const int64_t begin = cuts[s], end = cuts[s + 1];
    const auto facts = [&](const expr::BoundColumn& column) -> std::optional<expr::ColumnFacts> {
      const int32_t c = leaf_of(reader, column);
      if (c < 0) return std::nullopt;
      const auto& o = index.offsets[static_cast<size_t>(c)];
      const auto& ci = index.columns[static_cast<size_t>(c)];
      if (!o || !ci || ci->num_pages() != o->pages.size()) return chunk_facts(reader, g, column, true, nullptr);
      // The page holding row `begin`.
      const auto it = std::upper_bound(o->pages.begin(), o->pages.end(), begin,
                                       [](int64_t row, const PageLocation& p) { return row < p.first_row_index; });
      const auto p = static_cast<size_t>(it - o->pages.begin()) - 1;
      const int64_t page_end = p + 1 < o->pages.size() ? o->pages[p + 1].first_row_index : num_rows;
      expr::ColumnFacts f;
      f.num_values = page_end - o->pages[p].first_row_index;
      // A null page whose null count says otherwise is not trusted either way: polars marks
      // pages whose bounds it left out (NaN) as null pages.
      const std::optional<int64_t> nulls = ci->null_counts ? std::optional<int64_t>((*ci->null_counts)[p]) : std::nullopt;
      if (ci->null_pages[p]) {
        if (!nulls || *nulls == f.num_values) f.null_count = f.num_values;
      } else if (nulls && *nulls <= f.num_values) {
        f.null_count = nulls;
      }
      f.may_have_nan = !ci->nan_counts || (*ci->nan_counts)[p] > 0;
      if (ci->has_min_max[p]) {
        // Page bounds of binary columns may be truncated (PageIndex.md).
        set_bounds(f, ci->min_values[p], ci->max_values[p], schema.node(schema.column(c).node), column, false);
      }
      return f;
    };
    if (expr::outcomes(filter, facts).can_true) kept.push_back({begin, end});
  }
  return column::RowSelection::of(std::move(kept));
}

// The leaves of the plan's fields.
std::vector<int32_t> leaves_of(const ReadPlan& plan) {
  std::vector<int32_t> out;
  for (const ReadField& f : plan.fields) out.insert(out.end(), f.plan.leaves.begin(), f.plan.leaves.end());
  return out;
}

// One row group's share of the scan.
struct GroupResult {
  RecordBatch batch;
  ReadTally tally;
  bool pruned = false;  // by its page index: nothing read
};

}  // namespace

FilterScan plan_filter_scan(const FileReader& reader, const ReadOptions& options) {
  const FileMetadata& md = reader.metadata();
  FilterScan scan;
  scan.plain = options;
  scan.plain.filter = {};
  ReadOptions everything = scan.plain;
  everything.columns.clear();
  const Schema file_schema = reader.arrow_schema(everything);
  scan.on_file = expr::bind(options.filter, file_schema);
  scan.output = make_scan_plan(md, scan.plain, reader.name());
  // The filter's fields, whole, as the output reads them.
  ReadOptions just_filter = scan.plain;
  just_filter.columns.clear();
  for (int f : expr::referenced_fields(scan.on_file)) {
    const Field& field = file_schema.fields[static_cast<size_t>(f)];
    just_filter.columns.push_back(field.name);
    // Strings are compared as dictionaries where the chunk has one: the filter is then
    // evaluated once per distinct value, and no string is copied out of the dictionary.
    const auto id = field.type.id();
    if (id == DataType::Id::String || id == DataType::Id::Binary) just_filter.read_dictionary.push_back(field.name);
  }
  scan.filter = make_scan_plan(md, just_filter, reader.name());
  scan.bound = expr::bind(options.filter, scan.filter.schema());
  // An output field the filter reads in the same form is taken from the filter's arrays.
  scan.from_filter.assign(scan.output.fields.size(), -1);
  for (size_t o = 0; o < scan.output.fields.size(); ++o) {
    for (size_t f = 0; f < scan.filter.fields.size(); ++f) {
      const ReadField& a = scan.output.fields[o];
      const ReadField& b = scan.filter.fields[f];
      if (a.field_index == b.field_index && a.whole && b.whole && a.output.type == b.output.type) {
        scan.from_filter[o] = static_cast<int>(f);
      }
    }
  }
  filter_leaves(reader, scan.on_file, scan.compared);
  scan.located = leaves_of(scan.output);
  for (int32_t c : leaves_of(scan.filter)) scan.located.push_back(c);
  std::sort(scan.located.begin(), scan.located.end());
  scan.located.erase(std::unique(scan.located.begin(), scan.located.end()), scan.located.end());
  if (options.use_data_index) scan.indexed = rows_by_data_index(reader, options.filter);
  return scan;
}

bool may_match(const FileReader& reader, const FilterScan& scan, const ReadOptions& options, int32_t g,
               ScanCounts& counts) {
  const FileMetadata& md = reader.metadata();
  if (g < 0 || g >= md.num_row_groups()) {
    throw Error(ErrorKind::InvalidArgument, "no row group " + std::to_string(g) + " (the file has " +
                                                std::to_string(md.num_row_groups()) + ")",
                ErrorContext{reader.name(), {}, {}, {}});
  }
  const auto skipped = [&](int64_t& counter) {
    ++counter;
    counts.rows_skipped += md.row_group(g).num_rows();
    return false;
  };
  if (scan.indexed && (*scan.indexed)[static_cast<size_t>(g)].empty()) return skipped(counts.row_groups_skipped_by_data_index);
  if (options.use_statistics && !expr::outcomes(scan.on_file, facts_in(reader, g, true, false, false)).can_true) {
    return skipped(counts.row_groups_skipped);
  }
  if (options.use_bloom_filter &&
      !expr::outcomes(scan.on_file, facts_in(reader, g, options.use_statistics, true, false)).can_true) {
    return skipped(counts.row_groups_skipped_by_bloom_filter);
  }
  if (options.use_dictionary_filter &&
      !expr::outcomes(scan.on_file, facts_in(reader, g, options.use_statistics, options.use_bloom_filter, true))
           .can_true) {
    return skipped(counts.row_groups_skipped_by_dictionary);
  }
  return true;
}

column::RowSelection possible_rows(const FileReader& reader, const FilterScan& scan, const ReadOptions& options,
                                   int32_t g, RowGroupPageIndex& index) {
  const int64_t num_rows = reader.metadata().row_group(g).num_rows();
  const column::RowSelection by_index =
      scan.indexed ? (*scan.indexed)[static_cast<size_t>(g)] : column::RowSelection::all(num_rows);
  if (!options.use_page_index) return by_index;
  index = read_page_index(reader, g, scan.located, options.use_statistics ? scan.compared : std::vector<int32_t>{});
  if (!options.use_statistics) return by_index;
  return prune_pages(reader, g, scan.on_file, scan.compared, index).intersect(by_index);
}

Table read_filtered(const FileReader& reader, const ReadOptions& options, ScanCounts* counts) {
  const FileMetadata& md = reader.metadata();
  const FilterScan fs = plan_filter_scan(reader, options);
  const ReadOptions& plain = fs.plain;
  const ReadPlan& output = fs.output;
  const ReadPlan& filter_plan = fs.filter;
  const expr::Bound& bound = fs.bound;
  const std::vector<int>& from_filter = fs.from_filter;

  std::vector<int32_t> groups = options.row_groups;
  if (groups.empty()) {
    for (int32_t g = 0; g < md.num_row_groups(); ++g) groups.push_back(g);
  }
  ScanCounts scan;
  std::vector<int32_t> kept;
  for (int32_t g : groups) {
    if (may_match(reader, fs, options, g, scan)) kept.push_back(g);
  }

  // In phases, each parallel over row groups or (row group, field) pairs so that a file of
  // one row group still decodes its columns on every thread: the page index, the filter's
  // columns, the filter, the output's columns.
  std::vector<GroupResult> results(kept.size());
  std::vector<RowGroupPageIndex> indexes(kept.size());
  std::vector<column::RowSelection> possible(kept.size()), rows(kept.size());
  util::run_tasks(kept.size(), options.threads, [&](size_t i) {
    const int32_t g = kept[i];
    possible[i] = possible_rows(reader, fs, options, g, indexes[i]);
    results[i].pruned = possible[i].empty();
    results[i].batch.schema = output.schema();
  });
  // A selection of every row is no selection: chunks are then read whole.
  auto selection_of = [&](size_t i, const column::RowSelection& s) {
    return s.row_count() == md.row_group(kept[i]).num_rows() ? nullptr : &s;
  };
  const size_t num_filter = filter_plan.fields.size(), num_output = output.fields.size();
  std::vector<ReadTally> tallies(kept.size() * (num_filter + num_output));
  std::vector<RecordBatch> filter_batches(kept.size());
  for (size_t i = 0; i < kept.size(); ++i) {
    filter_batches[i].schema = filter_plan.schema();
    filter_batches[i].num_rows = possible[i].row_count();
    filter_batches[i].columns.resize(num_filter);
  }
  util::run_tasks(kept.size() * num_filter, options.threads, [&](size_t t) {
    const size_t i = t / num_filter, f = t % num_filter;
    if (results[i].pruned) return;
    filter_batches[i].columns[f] = read_field(reader, plain, filter_plan.fields[f],
                                              {kept[i], selection_of(i, possible[i]), &indexes[i]}, tallies[t]);
  });
  std::vector<std::vector<int64_t>> positions(kept.size());
  util::run_tasks(kept.size(), options.threads, [&](size_t i) {
    if (results[i].pruned) return;
    rows[i] = possible[i].compose(column::RowSelection::from_mask(expr::evaluate(bound, filter_batches[i])));
    results[i].batch.num_rows = rows[i].row_count();
    if (rows[i].row_count() != possible[i].row_count()) positions[i] = possible[i].positions_of(rows[i]);
    results[i].batch.columns.resize(num_output);
  });
  util::run_tasks(kept.size() * num_output, options.threads, [&](size_t t) {
    const size_t i = t / num_output, o = t % num_output;
    GroupResult& r = results[i];
    if (r.pruned || r.batch.num_rows == 0) return;
    if (from_filter[o] >= 0) {
      const ArrayPtr& a = filter_batches[i].columns[static_cast<size_t>(from_filter[o])];
      r.batch.columns[o] = positions[i].empty() ? a : table::take(*a, positions[i]);
    } else {
      // Rows kept in short runs are read as the filter's columns were, then taken.
      const bool take = !positions[i].empty() && possible[i].better_taken(rows[i]);
      const ArrayPtr a = read_field(reader, plain, output.fields[o],
                                    {kept[i], selection_of(i, take ? possible[i] : rows[i]), &indexes[i]},
                                    tallies[kept.size() * num_filter + t]);
      r.batch.columns[o] = take ? table::take(*a, positions[i]) : a;
    }
  });
  for (size_t t = 0; t < tallies.size(); ++t) {
    const size_t i = t < kept.size() * num_filter ? t / num_filter : (t - kept.size() * num_filter) / num_output;
    results[i].tally.add(tallies[t]);
  }

  Table data;
  data.schema = output.schema();
  for (size_t i = 0; i < kept.size(); ++i) {
    GroupResult& r = results[i];
    const int64_t num_rows = md.row_group(kept[i]).num_rows();
    scan.pages_read += r.tally.pages_read;
    scan.pages_skipped += r.tally.pages_skipped;
    scan.bytes_read += r.tally.bytes_read;
    scan.rows_skipped += num_rows - r.batch.num_rows;
    if (r.pruned) {
      ++scan.row_groups_skipped;
      continue;
    }
    ++scan.row_groups_read;
    if (r.batch.num_rows > 0) data.batches.push_back(std::move(r.batch));
  }
  widen_large_offsets(data);
  if (counts) *counts = scan;
  return data;
}

}  // namespace parkett::file
