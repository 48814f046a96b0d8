#include "column/chunk_writer.h"

#include <libdeflate.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <span>

#include "codec/codec.h"
#include "column/dictionary_builder.h"
#include "column/value_statistics.h"
#include "encoding/alp.h"
#include "encoding/encoders.h"
#include "encoding/rle_bit_packed_encoder.h"
#include "format/serde.h"
#include "parkett/bloom_filter.h"
#include "parkett/error.h"
#include "util/bit_unpack.h"

namespace parkett::column {
namespace {

// The levels and values one data page covers.
struct PageSpan {
  int64_t level_begin, level_end;
  int64_t value_begin, value_end;
  int64_t rows;
  int64_t first_row;
};

// Splits the chunk into pages at row boundaries: a page closes once its values take
// data_page_size bytes (PLAIN size, checked every write_batch_size rows) or it holds
// max_rows_per_page rows.
std::vector<PageSpan> plan_pages(const ChunkInput& in, const ChunkOptions& o) {
  std::vector<PageSpan> pages;
  const int16_t max_def = in.column->max_definition_level;
  const bool has_def = max_def > 0 && !in.def.empty(), has_rep = in.column->max_repetition_level > 0;
  const PhysicalValues& v = in.values;
  const int64_t fixed_bytes = v.width;
  if (!has_def && !has_rep && fixed_bytes > 0) {
    // Every level is a row and a value of the same size: pages by arithmetic.
    const int64_t by_size = (o.data_page_size + fixed_bytes - 1) / fixed_bytes;
    const int64_t batches = (by_size + o.write_batch_size - 1) / o.write_batch_size;
    const int64_t per_page = std::max<int64_t>(1, std::min(o.max_rows_per_page, batches * o.write_batch_size));
    for (int64_t b = 0; b < in.num_levels || pages.empty(); b += per_page) {
      const int64_t e = std::min(in.num_levels, b + per_page);
      pages.push_back({b, e, b, e, e - b, b});
    }
    return pages;
  }
  PageSpan cur{0, 0, 0, 0, 0, 0};
  int64_t bytes = 0, row = 0;
  int64_t value = 0;
  for (int64_t i = 0; i < in.num_levels; ++i) {
    const bool row_start = !has_rep || in.rep[static_cast<size_t>(i)] == 0;
    if (row_start && i > cur.level_begin &&
        ((bytes >= o.data_page_size && cur.rows % o.write_batch_size == 0) || cur.rows >= o.max_rows_per_page)) {
      cur.level_end = i;
      cur.value_end = value;
      pages.push_back(cur);
      cur = {i, i, value, value, 0, row};
      bytes = 0;
    }
    if (row_start) {
      ++cur.rows;
      ++row;
    }
    if (!has_def || in.def[static_cast<size_t>(i)] == max_def) {
      bytes += fixed_bytes ? fixed_bytes : 4 + static_cast<int64_t>(v.binary[static_cast<size_t>(value)].size());
      ++value;
    }
  }
  cur.level_end = in.num_levels;
  cur.value_end = value;
  if (cur.level_end > cur.level_begin || pages.empty()) pages.push_back(cur);
  return pages;
}

// A dictionary-encoded data page body: the indices' bit width in one byte, then the indices in the hybrid
// encoding.
void encode_indices(const DictionaryBuilder& dict, const std::vector<uint32_t>& indices, std::vector<uint8_t>& out) {
  const int width = std::max(1, util::bit_width_of(static_cast<uint64_t>(std::max<int64_t>(dict.size() - 1, 0))));
  out.push_back(static_cast<uint8_t>(width));
  encoding::encode_rle_bit_packed(std::span<const uint32_t>(indices), width, out);
}

void put_u32(std::vector<uint8_t>& out, size_t at, uint32_t v) { std::memcpy(out.data() + at, &v, 4); }

// Levels in the hybrid encoding; v1 pages prefix them with their length. Empty `levels`
// stand for max_level throughout: one RLE run.
void encode_levels(const std::vector<int16_t>& levels, int64_t begin, int64_t end, int16_t max_level,
                   bool length_prefix, std::vector<uint8_t>& out) {
  const size_t at = out.size();
  if (length_prefix) out.resize(at + 4);
  const int width = util::bit_width_of(static_cast<uint64_t>(max_level));
  if (levels.empty()) {
    if (end > begin) {
      encoding::put_varint(static_cast<uint64_t>(end - begin) << 1, out);
      for (int b = 0; b < (width + 7) / 8; ++b) out.push_back(static_cast<uint8_t>(max_level >> (8 * b)));
    }
  } else {
    encoding::encode_rle_bit_packed(std::span<const int16_t>(levels.data() + begin, static_cast<size_t>(end - begin)),
                                    width, out);
  }
  if (length_prefix) put_u32(out, at, static_cast<uint32_t>(out.size() - at - 4));
}

std::vector<std::string_view> fixed_views(const PhysicalValues& v, int64_t begin, int64_t end) {
  std::vector<std::string_view> out;
  out.reserve(static_cast<size_t>(end - begin));
  for (int64_t i = begin; i < end; ++i) {
    out.emplace_back(reinterpret_cast<const char*>(v.value(i)), static_cast<size_t>(v.width));
  }
  return out;
}

void encode_values(const PhysicalValues& v, int64_t begin, int64_t end, Encoding e, std::vector<uint8_t>& out) {
  const size_t n = static_cast<size_t>(end - begin);
  const size_t w = static_cast<size_t>(v.width);
  const uint8_t* fixed = w ? v.value(begin) : nullptr;
  std::span<const std::string_view> binary;
  if (!w) binary = std::span<const std::string_view>(v.binary.data() + begin, n);
  switch (e) {
    case Encoding::Plain:
      if (v.type == PhysicalType::Boolean) encoding::encode_plain_booleans(fixed, n, out);
      else if (w) encoding::encode_plain_fixed(fixed, n, w, out);
      else encoding::encode_plain_binary(binary, out);
      return;
    case Encoding::Rle: encoding::encode_rle_booleans(fixed, n, out); return;
    case Encoding::DeltaBinaryPacked: encoding::encode_delta_binary_packed(fixed, n, w, out); return;
    case Encoding::DeltaLengthByteArray: encoding::encode_delta_length_byte_array(binary, out); return;
    case Encoding::DeltaByteArray:
      if (w) encoding::encode_delta_byte_array(fixed_views(v, begin, end), out);
      else encoding::encode_delta_byte_array(binary, out);
      return;
    case Encoding::ByteStreamSplit: encoding::encode_byte_stream_split(fixed, n, w, out); return;
    case Encoding::Alp:
      if (v.type == PhysicalType::Float) {
        encoding::encode_alp(std::span<const float>(reinterpret_cast<const float*>(fixed), n), out);
      } else {
        encoding::encode_alp(std::span<const double>(reinterpret_cast<const double*>(fixed), n), out);
      }
      return;
    default:
      throw Error(ErrorKind::Internal, "no encoder for " + to_string(e));
  }
}

format::Statistics to_thrift(const MinMax& mm, int64_t null_count, SortOrder order, int32_t truncate) {
  format::Statistics s;
  s.null_count = null_count;
  if (is_floating(order)) s.nan_count = mm.nan_count;  // parquet.thrift ColumnOrder: mandatory for floats
  if (mm.present) {
    std::string lo = mm.min, hi = mm.max;
    if (order == SortOrder::Bytes) {
      s.is_min_value_exact = truncate_min(lo, truncate);
      s.is_max_value_exact = truncate_max(hi, truncate);
    }
    s.min_value = std::move(lo);
    s.max_value = std::move(hi);
  }
  return s;
}

// Pages with fewer values tell too little to drop a dictionary on (dictionary_pays_off).
constexpr int64_t kJudgedPageValues = 4096;

class ChunkWriter {
 public:
  ChunkWriter(const ChunkInput& in, const ChunkOptions& o, ChunkScratch& scratch, PageBufferPool& buffers)
      : in_(in),
        o_(o),
        values_(scratch.values),
        levels_(scratch.levels),
        used_(scratch.used),
        indices_(scratch.indices),
        dictionary_(scratch.dictionary),
        buffers_(buffers),
        codec_(codec::codec_for(o.codec)),
        order_(sort_order_of(*in.node, o.total_order)),
        // Format 1.0 names dictionary encoding PLAIN_DICTIONARY on both kinds of page.
        dictionary_data_encoding_(o.plain_dictionary ? Encoding::PlainDictionary : Encoding::RleDictionary),
        dictionary_page_encoding_(o.plain_dictionary ? Encoding::PlainDictionary : Encoding::Plain) {}

  EncodedChunk run() {
    const std::vector<PageSpan> pages = plan_pages(in_, o_);
    bool use_dictionary = o_.dictionary && in_.values.type != PhysicalType::Boolean;
    DictionaryBuilder* dict = nullptr;
    if (use_dictionary) {
      dictionary_.reset(in_.values.type, in_.values.width, in_.dictionary_hint);
      dict = &dictionary_;
    }
    bool dict_active = use_dictionary;
    std::vector<EncodedPage> data_pages;
    std::vector<int64_t> page_starts;
    int64_t data_bytes = 0;
    std::vector<uint32_t>& indices = indices_;
    MinMax chunk_stats;
    int64_t chunk_nulls = 0;
    bool page_stats_complete = true;
    const bool stats = o_.statistics != StatisticsLevel::None && order_ != SortOrder::None;
    format::ColumnIndex ci;
    ci.null_counts.emplace();
    if (is_floating(order_)) ci.nan_counts.emplace();
    format::OffsetIndex oi;
    std::vector<MinMax> page_minmax;

    for (const PageSpan& p : pages) {
      values_.clear();
      // A v1 page is levels then values, compressed together: the values follow the levels
      // in one buffer.
      if (o_.data_page_version == 1) encode_page_levels(p, true, values_);
      Encoding encoding;
      if (dict_active) {
        indices.clear();
        if (&p == &pages.front() && p.value_end - p.value_begin >= kJudgedPageValues) {
          const int64_t middle = p.value_begin + (p.value_end - p.value_begin) / 2;
          dict->map(in_.values, p.value_begin, middle, indices);
          const int64_t first_half_entries = dict->size();
          dict->map(in_.values, middle, p.value_end, indices);
          if (!dictionary_pays_off(p, first_half_entries)) use_dictionary = dict_active = false, dict = nullptr;
        } else {
          dict->map(in_.values, p.value_begin, p.value_end, indices);
        }
      }
      if (dict_active) {
        encode_indices(*dict, indices, values_);
        encoding = dictionary_data_encoding_;
        // Fallback (parquet-format: dictionary size limits): later pages use the plain encoding.
        if (dict->size() > o_.max_dictionary_keys || dict->plain_size() > o_.max_dictionary_bytes) dict_active = false;
      } else {
        encoding = o_.encoding;
        encode_values(in_.values, p.value_begin, p.value_end, encoding, values_);
      }
      const int64_t nulls = (p.level_end - p.level_begin) - (p.value_end - p.value_begin);
      chunk_nulls += nulls;
      MinMax mm;
      if (stats) {
        mm = encoding == dictionary_data_encoding_ ? dictionary_page_min_max(*dict, indices, p)
                                                   : min_max(in_.values, p.value_begin, p.value_end, order_);
        merge(chunk_stats, mm, order_);
        if (!mm.present && p.value_end > p.value_begin) page_stats_complete = false;  // all NaN
      }
      std::optional<format::Statistics> header_stats;
      if (stats && o_.statistics == StatisticsLevel::Page) header_stats = to_thrift(mm, nulls, order_, o_.truncate_length);
      page_starts.push_back(data_bytes);
      data_bytes += data_page(p, encoding, header_stats, data_pages.emplace_back());
      count_encoding(o_.data_page_version == 2 ? PageType::DataPageV2 : PageType::DataPage, encoding);
      page_minmax.push_back(mm);
      ci.null_pages.push_back(p.value_end == p.value_begin);
      ci.null_counts->push_back(nulls);
      if (ci.nan_counts) ci.nan_counts->push_back(mm.nan_count);
    }

    EncodedChunk out;
    format::ColumnMetaData& md = out.meta;
    md.type = static_cast<format::Type>(in_.values.type);
    md.path_in_schema = in_.column->path;
    md.codec = static_cast<format::CompressionCodec>(o_.codec);
    md.num_values = in_.num_levels;
    int64_t data_start = 0;
    if (use_dictionary) {
      data_start = dictionary_page(*dict, out.pages.emplace_back());
      out.dictionary_size = dict->size();
      md.dictionary_page_offset = 0;
      count_encoding(PageType::DictionaryPage, dictionary_page_encoding_);
    }
    md.data_page_offset = data_start;
    int64_t first_row = 0;
    page_starts.push_back(data_bytes);
    for (size_t i = 0; i < pages.size(); ++i) {
      format::PageLocation loc;
      loc.offset = data_start + page_starts[i];
      loc.compressed_page_size = static_cast<int32_t>(page_starts[i + 1] - page_starts[i]);
      loc.first_row_index = first_row;
      first_row += pages[i].rows;
      oi.page_locations.push_back(loc);
    }
    for (EncodedPage& page : data_pages) out.pages.push_back(std::move(page));
    md.total_compressed_size = data_start + data_bytes;
    md.total_uncompressed_size = uncompressed_total_;
    // Encodings used: levels (RLE), the dictionary page (PLAIN) and the data pages.
    std::vector<format::Encoding> encodings;
    if (in_.column->max_definition_level > 0 || in_.column->max_repetition_level > 0 || o_.data_page_version == 1) {
      encodings.push_back(format::Encoding::RLE);
    }
    for (const auto& [key, count] : encoding_counts_) {
      const auto e = static_cast<format::Encoding>(key.second);
      if (std::find(encodings.begin(), encodings.end(), e) == encodings.end()) encodings.push_back(e);
    }
    md.encodings = std::move(encodings);
    std::vector<format::PageEncodingStats> es;
    for (const auto& [key, count] : encoding_counts_) {
      format::PageEncodingStats s;
      s.page_type = static_cast<format::PageType>(key.first);
      s.encoding = static_cast<format::Encoding>(key.second);
      s.count = count;
      es.push_back(s);
    }
    md.encoding_stats = std::move(es);
    if (o_.statistics != StatisticsLevel::None) {
      if (stats) {
        md.statistics = to_thrift(chunk_stats, chunk_nulls, order_, o_.truncate_length);
      } else {
        format::Statistics s;
        s.null_count = chunk_nulls;
        md.statistics = s;
      }
      if (o_.distinct_count) md.statistics->distinct_count = distinct_count(dict, dict_active);
    }
    if (o_.bloom_filter && in_.values.type != PhysicalType::Boolean) out.bloom_filter = bloom_filter(dict, dict_active);
    size_statistics(md);
    if (o_.page_index) {
      out.offset_index = std::move(oi);
      if (stats && o_.statistics == StatisticsLevel::Page && page_stats_complete) {
        for (size_t i = 0; i < page_minmax.size(); ++i) {
          format::Statistics s = to_thrift(page_minmax[i], 0, order_, o_.truncate_length);
          ci.min_values.push_back(s.min_value.value_or(""));
          ci.max_values.push_back(s.max_value.value_or(""));
        }
        ci.boundary_order = boundary_order(ci);
        out.column_index = std::move(ci);
      }
    }
    return out;
  }

 private:
  // Exact: the dictionary's size when it held the whole chunk, else a count over the values.
  int64_t distinct_count(const DictionaryBuilder* dict, bool dict_whole) const {
    if (dict && dict_whole) return dict->size();
    if (in_.values.type == PhysicalType::Boolean) {
      bool seen[2] = {false, false};
      for (int64_t i = 0; i < in_.values.count(); ++i) seen[*in_.values.value(i) & 1] = true;
      return int64_t{seen[0]} + int64_t{seen[1]};
    }
    DictionaryBuilder all(in_.values.type, in_.values.width);
    std::vector<uint32_t> ignored;
    all.map(in_.values, 0, in_.values.count(), ignored);
    return all.size();
  }

  // The chunk's split-block bloom filter, header first (BloomFilter.md "File Format").
  std::string bloom_filter(const DictionaryBuilder* dict, bool dict_whole) const {
    const PhysicalValues& v = dict && dict_whole ? dict->entries() : in_.values;
    std::vector<uint64_t> hashes(static_cast<size_t>(v.count()));
    for (int64_t i = 0; i < v.count(); ++i) {
      hashes[static_cast<size_t>(i)] =
          v.width ? BloomFilter::hash(std::string_view(reinterpret_cast<const char*>(v.value(i)), static_cast<size_t>(v.width)))
                  : BloomFilter::hash(v.binary[static_cast<size_t>(i)]);
    }
    std::sort(hashes.begin(), hashes.end());
    hashes.erase(std::unique(hashes.begin(), hashes.end()), hashes.end());
    const int64_t ndv = o_.bloom_filter->ndv.value_or(static_cast<int64_t>(hashes.size()));
    BloomFilter filter(BloomFilter::optimal_num_bytes(ndv, o_.bloom_filter->fpp));
    for (uint64_t h : hashes) filter.insert(h);
    format::BloomFilterHeader header;
    header.numBytes = static_cast<int32_t>(filter.num_bytes());
    header.algorithm.BLOCK.emplace();
    header.hash.XXHASH.emplace();
    header.compression.UNCOMPRESSED.emplace();
    std::string out;
    format::serialize(header, out);
    out += filter.bitset();
    return out;
  }

  // Judged on the first page of a chunk (its values mapped, `first_half_entries` after its
  // first half): a dictionary expected to outgrow its limits before the chunk ends, and that
  // compresses no better than the fallback encoding on this page, is dropped (DuckDB also
  // drops dictionaries that do not pay): sorted keys and timestamps, prices and free text
  // are written without one. A dictionary expected to fit is kept, however large.
  //
  // The expected size takes values to be drawn at random from K distinct ones: after m
  // values d(m) = K (1 - e^(-m/K)), so d(n) / d(n/2) = 1 + e^(-n/2K) gives K, and the chunk's
  // N values are expected to hold K (1 - e^(-N/K)) of them. Keys that only grow (each value
  // new, or new at a steady rate) double d from the first half to the page: K is unbounded.
  bool dictionary_pays_off(const PageSpan& p, int64_t first_half_entries) {
    const DictionaryBuilder& dict = dictionary_;
    const double n = static_cast<double>(p.value_end - p.value_begin);
    const double total = static_cast<double>(in_.values.count());
    const double d = static_cast<double>(dict.size());
    const double growth = d / static_cast<double>(std::max<int64_t>(1, first_half_entries));
    double entries = total;  // unbounded K: every value may be new
    if (growth <= 1.0) {
      entries = d;
    } else if (growth < 2.0) {
      const double k = (n / 2) / -std::log(growth - 1);
      entries = k * (1 - std::exp(-total / k));
    }
    const double bytes = entries * static_cast<double>(dict.plain_size()) / std::max(1.0, d);
    if (entries <= static_cast<double>(o_.max_dictionary_keys) && bytes <= static_cast<double>(o_.max_dictionary_bytes)) return true;
    std::vector<uint8_t> raw, compressed;
    auto compressed_size = [&](const std::vector<uint8_t>& bytes_in) {
      if (o_.codec == Compression::Uncompressed) return bytes_in.size();
      compressed.clear();
      codec_.compress(bytes_in, o_.level, compressed);
      return compressed.size();
    };
    encode_indices(dict, indices_, raw);
    size_t with_dictionary = compressed_size(raw);
    raw.clear();
    encode_values(dict.entries(), 0, dict.size(), Encoding::Plain, raw);
    with_dictionary += compressed_size(raw);
    raw.clear();
    encode_values(in_.values, p.value_begin, p.value_end, o_.encoding, raw);
    return with_dictionary < compressed_size(raw);
  }

  // Min/max of a dictionary-encoded page: over the entries it uses when they are few (a
  // byte-array comparison per entry instead of per value). Floats count NaN values, so they
  // take the values themselves.
  MinMax dictionary_page_min_max(const DictionaryBuilder& dict, const std::vector<uint32_t>& indices, const PageSpan& p) {
    const int64_t n = p.value_end - p.value_begin;
    if (is_floating(order_) || dict.size() * 4 > n) return min_max(in_.values, p.value_begin, p.value_end, order_);
    used_.assign(static_cast<size_t>(dict.size()), 0);
    for (uint32_t i : indices) used_[i] = 1;
    const PhysicalValues& e = dict.entries();
    PhysicalValues subset;
    subset.type = e.type;
    subset.width = e.width;
    for (size_t i = 0; i < used_.size(); ++i) {
      if (!used_[i]) continue;
      if (e.width == 0) subset.binary.push_back(e.binary[i]);
      else subset.fixed.append(e.value(static_cast<int64_t>(i)), static_cast<size_t>(e.width));
    }
    return min_max(subset, 0, subset.count(), order_);
  }

  void count_encoding(PageType t, Encoding e) { ++encoding_counts_[{static_cast<int32_t>(t), static_cast<int32_t>(e)}]; }

  format::BoundaryOrder boundary_order(const format::ColumnIndex& ci) const {
    bool ascending = true, descending = true;
    int64_t prev = -1;
    for (size_t i = 0; i < ci.null_pages.size(); ++i) {
      if (ci.null_pages[i]) continue;
      if (prev >= 0) {
        const auto p = static_cast<size_t>(prev);
        if (less(ci.min_values[i], ci.min_values[p], order_) || less(ci.max_values[i], ci.max_values[p], order_)) ascending = false;
        if (less(ci.min_values[p], ci.min_values[i], order_) || less(ci.max_values[p], ci.max_values[i], order_)) descending = false;
      }
      prev = static_cast<int64_t>(i);
    }
    if (ascending) return format::BoundaryOrder::ASCENDING;
    if (descending) return format::BoundaryOrder::DESCENDING;
    return format::BoundaryOrder::UNORDERED;
  }

  void size_statistics(format::ColumnMetaData& md) const {
    format::SizeStatistics s;
    if (in_.values.type == PhysicalType::ByteArray) {
      int64_t bytes = 0;
      for (auto v : in_.values.binary) bytes += static_cast<int64_t>(v.size());
      s.unencoded_byte_array_data_bytes = bytes;
    }
    auto histogram = [&](const std::vector<int16_t>& levels, int16_t max_level) {
      std::vector<int64_t> h(static_cast<size_t>(max_level) + 1, 0);
      if (levels.empty()) h[static_cast<size_t>(max_level)] = in_.num_levels;
      for (int16_t l : levels) ++h[static_cast<size_t>(l)];
      return h;
    };
    // SizeStatistics: histograms are left out when the max level is 0.
    if (in_.column->max_definition_level > 0) s.definition_level_histogram = histogram(in_.def, in_.column->max_definition_level);
    if (in_.column->max_repetition_level > 0) s.repetition_level_histogram = histogram(in_.rep, in_.column->max_repetition_level);
    if (s.unencoded_byte_array_data_bytes || s.definition_level_histogram || s.repetition_level_histogram) {
      md.size_statistics = s;
    }
  }

  // The page's repetition then definition levels (v1: each with its length); returns the
  // bytes of the repetition levels.
  size_t encode_page_levels(const PageSpan& p, bool v1, std::vector<uint8_t>& out) const {
    const int16_t max_def = in_.column->max_definition_level, max_rep = in_.column->max_repetition_level;
    const size_t at = out.size();
    if (max_rep > 0) encode_levels(in_.rep, p.level_begin, p.level_end, max_rep, v1, out);
    const size_t rep_bytes = out.size() - at;
    if (max_def > 0) encode_levels(in_.def, p.level_begin, p.level_end, max_def, v1, out);
    return rep_bytes;
  }

  // Header + body of one data page; returns its size in the file.
  int64_t data_page(const PageSpan& p, Encoding encoding, std::optional<format::Statistics> stats, EncodedPage& out) {
    format::PageHeader h;
    out.body = buffers_.take();
    std::vector<uint8_t>& body = out.body;
    levels_.clear();
    if (o_.data_page_version == 2) {
      const size_t rep_bytes = encode_page_levels(p, false, levels_);
      const size_t def_bytes = levels_.size() - rep_bytes;
      format::DataPageHeaderV2 v2;
      v2.num_values = static_cast<int32_t>(p.level_end - p.level_begin);
      v2.num_nulls = static_cast<int32_t>((p.level_end - p.level_begin) - (p.value_end - p.value_begin));
      v2.num_rows = static_cast<int32_t>(p.rows);
      v2.encoding = static_cast<format::Encoding>(encoding);
      v2.definition_levels_byte_length = static_cast<int32_t>(def_bytes);
      v2.repetition_levels_byte_length = static_cast<int32_t>(rep_bytes);
      const bool compress = o_.codec != Compression::Uncompressed;
      v2.is_compressed = compress;
      v2.statistics = std::move(stats);
      body = levels_;
      if (compress) codec_.compress(values_, o_.level, body);
      else body.insert(body.end(), values_.begin(), values_.end());
      h.type = format::PageType::DATA_PAGE_V2;
      h.uncompressed_page_size = static_cast<int32_t>(levels_.size() + values_.size());
      h.data_page_header_v2 = std::move(v2);
    } else {
      format::DataPageHeader v1;
      v1.num_values = static_cast<int32_t>(p.level_end - p.level_begin);
      v1.encoding = static_cast<format::Encoding>(encoding);
      v1.definition_level_encoding = format::Encoding::RLE;
      v1.repetition_level_encoding = format::Encoding::RLE;
      v1.statistics = std::move(stats);
      compress_into(values_, body);  // levels and values (see run)
      h.type = format::PageType::DATA_PAGE;
      h.uncompressed_page_size = static_cast<int32_t>(values_.size());
      h.data_page_header = std::move(v1);
    }
    return finish_page(h, out);
  }

  // Returns the page's size in the file.
  int64_t dictionary_page(const DictionaryBuilder& dict, EncodedPage& out) {
    values_.clear();
    const PhysicalValues& e = dict.entries();
    encode_values(e, 0, e.count(), Encoding::Plain, values_);
    format::PageHeader h;
    h.type = format::PageType::DICTIONARY_PAGE;
    h.uncompressed_page_size = static_cast<int32_t>(values_.size());
    format::DictionaryPageHeader d;
    d.num_values = static_cast<int32_t>(dict.size());
    d.encoding = static_cast<format::Encoding>(dictionary_page_encoding_);
    d.is_sorted = false;
    h.dictionary_page_header = d;
    out.body = buffers_.take();
    compress_into(values_, out.body);
    return finish_page(h, out);
  }

  void compress_into(const std::vector<uint8_t>& raw, std::vector<uint8_t>& body) {
    body.clear();
    if (o_.codec == Compression::Uncompressed) body = raw;
    else codec_.compress(raw, o_.level, body);
  }

  // Completes the header of the page whose body `out` holds; returns the page's size.
  int64_t finish_page(format::PageHeader& h, EncodedPage& out) {
    const std::vector<uint8_t>& body = out.body;
    if (body.size() > INT32_MAX || static_cast<size_t>(h.uncompressed_page_size) > INT32_MAX) {
      throw Error(ErrorKind::InvalidArgument, "a page of column '" + in_.column->dotted_path + "' exceeds 2 GiB");
    }
    h.compressed_page_size = static_cast<int32_t>(body.size());
    if (o_.crc) h.crc = static_cast<int32_t>(libdeflate_crc32(0, body.data(), body.size()));
    format::serialize(h, out.header);
    uncompressed_total_ += static_cast<int64_t>(out.header.size()) + h.uncompressed_page_size;
    return static_cast<int64_t>(out.header.size() + body.size());
  }

  const ChunkInput& in_;
  const ChunkOptions& o_;
  // Working memory lent by the caller (ChunkScratch), reused from chunk to chunk.
  std::vector<uint8_t>& values_;
  std::vector<uint8_t>& levels_;
  std::vector<uint8_t>& used_;
  std::vector<uint32_t>& indices_;
  DictionaryBuilder& dictionary_;
  PageBufferPool& buffers_;
  const codec::Codec& codec_;
  SortOrder order_;
  Encoding dictionary_data_encoding_, dictionary_page_encoding_;
  int64_t uncompressed_total_ = 0;
  std::map<std::pair<int32_t, int32_t>, int32_t> encoding_counts_;
};

}  // namespace

void check_encoding(Encoding encoding, PhysicalType type, const std::string& path) {
  bool ok = false;
  switch (encoding) {
    case Encoding::Plain: ok = true; break;
    case Encoding::Rle: ok = type == PhysicalType::Boolean; break;
    case Encoding::DeltaBinaryPacked: ok = type == PhysicalType::Int32 || type == PhysicalType::Int64; break;
    case Encoding::DeltaLengthByteArray: ok = type == PhysicalType::ByteArray; break;
    case Encoding::DeltaByteArray: ok = type == PhysicalType::ByteArray || type == PhysicalType::FixedLenByteArray; break;
    case Encoding::ByteStreamSplit:
      ok = type == PhysicalType::Int32 || type == PhysicalType::Int64 || type == PhysicalType::Float ||
           type == PhysicalType::Double || type == PhysicalType::FixedLenByteArray;
      break;
    case Encoding::Alp: ok = type == PhysicalType::Float || type == PhysicalType::Double; break;
    default: ok = false;
  }
  if (!ok) {
    throw Error(ErrorKind::InvalidArgument, "column '" + path + "' is " + to_string(type) + ", which the " +
                                                to_string(encoding) + " encoding cannot encode");
  }
}

std::vector<uint8_t> PageBufferPool::take() {
  std::lock_guard lock(mutex_);
  if (spare_.empty()) return {};
  std::vector<uint8_t> b = std::move(spare_.back());
  spare_.pop_back();
  b.clear();
  return b;
}

void PageBufferPool::give(std::vector<uint8_t>&& buffer) {
  std::lock_guard lock(mutex_);
  spare_.push_back(std::move(buffer));
}

void reset_input(ChunkInput& in) {
  in.column = nullptr;
  in.node = nullptr;
  in.def.clear();
  in.rep.clear();
  in.num_levels = 0;
  in.dictionary_hint = 0;
  in.values.fixed.clear();
  in.values.binary.clear();
}

EncodedChunk write_chunk(const ChunkInput& input, const ChunkOptions& options, ChunkScratch& scratch,
                         PageBufferPool& buffers) {
  try {
    return ChunkWriter(input, options, scratch, buffers).run();
  } catch (Error& e) {
    e.set_column(input.column->dotted_path);
    throw;
  }
}

}  // namespace parkett::column
