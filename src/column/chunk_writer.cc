#include "column/chunk_writer.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <span>

#include "column/chunk_index.h"
#include "column/dictionary_builder.h"
#include "column/value_statistics.h"
#include "encoding/alp.h"
#include "encoding/encoders.h"
#include "encoding/rle_bit_packed_encoder.h"
#include "format/serde.h"
#include "page/page_writer.h"
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
  const encoding::ValueBuffer& v = in.values;
  const auto fixed_bytes = static_cast<int64_t>(v.width);
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
      bytes += fixed_bytes ? fixed_bytes : 4 + (v.offsets[static_cast<size_t>(value) + 1] - v.offsets[static_cast<size_t>(value)]);
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

void encode_values(const encoding::ValueBuffer& v, PhysicalType type, int64_t begin, int64_t end, Encoding e,
                   std::vector<uint8_t>& out) {
  const auto n = static_cast<size_t>(end - begin);
  const size_t w = v.width;
  const uint8_t* fixed = w ? v.value(static_cast<size_t>(begin)) : nullptr;
  const encoding::ByteArrays arrays = v.byte_arrays(static_cast<size_t>(begin), static_cast<size_t>(end));
  switch (e) {
    case Encoding::Plain:
      if (type == PhysicalType::Boolean) encoding::encode_plain_booleans(fixed, n, out);
      else if (w) encoding::encode_plain_fixed(fixed, n, w, out);
      else encoding::encode_plain_binary(arrays, out);
      return;
    case Encoding::Rle: encoding::encode_rle_booleans(fixed, n, out); return;
    case Encoding::DeltaBinaryPacked: encoding::encode_delta_binary_packed(fixed, n, w, out); return;
    case Encoding::DeltaLengthByteArray: encoding::encode_delta_length_byte_array(arrays, out); return;
    case Encoding::DeltaByteArray:
      encoding::encode_delta_byte_array(arrays, out);
      return;
    case Encoding::ByteStreamSplit: encoding::encode_byte_stream_split(fixed, n, w, out); return;
    case Encoding::Alp:
      if (type == PhysicalType::Float) {
        encoding::encode_alp(std::span<const float>(reinterpret_cast<const float*>(fixed), n), out);
      } else {
        encoding::encode_alp(std::span<const double>(reinterpret_cast<const double*>(fixed), n), out);
      }
      return;
    default:
      throw Error(ErrorKind::Internal, "no encoder for " + to_string(e));
  }
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
        pages_(o.codec, o.level, o.crc, in.column->dotted_path, o.cipher),
        order_(sort_order_of(*in.node, o.total_order)),
        // Format 1.0 names dictionary encoding PLAIN_DICTIONARY on both kinds of page.
        dictionary_data_encoding_(o.plain_dictionary ? Encoding::PlainDictionary : Encoding::RleDictionary),
        dictionary_page_encoding_(o.plain_dictionary ? Encoding::PlainDictionary : Encoding::Plain) {}

  EncodedChunk run() {
    const std::vector<PageSpan> pages = plan_pages(in_, o_);
    bool use_dictionary = o_.dictionary && in_.type != PhysicalType::Boolean;
    DictionaryBuilder* dict = nullptr;
    if (use_dictionary) {
      dictionary_.reset(in_.values.width, in_.dictionary_hint);
      dict = &dictionary_;
    }
    bool dict_active = use_dictionary;
    std::vector<EncodedPage> data_pages;
    int64_t data_bytes = 0;
    std::vector<uint32_t>& indices = indices_;
    ChunkIndexBuilder index(order_, o_.statistics, o_.truncate_length);

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
        encode_values(in_.values, in_.type, p.value_begin, p.value_end, encoding, values_);
      }
      const int64_t values = p.value_end - p.value_begin;
      const int64_t nulls = (p.level_end - p.level_begin) - values;
      MinMax mm;
      if (index.min_max()) {
        mm = encoding == dictionary_data_encoding_ ? dictionary_page_min_max(*dict, indices, p)
                                                   : min_max(in_.values, p.value_begin, p.value_end, order_);
      }
      const int64_t size = data_page(p, encoding, index.page_statistics(mm, nulls, values), data_pages.emplace_back());
      data_bytes += size;
      count_encoding(o_.data_page_version == 2 ? PageType::DataPageV2 : PageType::DataPage, encoding);
      index.add_page(mm, nulls, values, p.rows, size);
    }

    EncodedChunk out;
    format::ColumnMetaData& md = out.meta;
    md.type = static_cast<format::Type>(in_.type);
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
    for (EncodedPage& page : data_pages) out.pages.push_back(std::move(page));
    md.total_compressed_size = data_start + data_bytes;
    md.total_uncompressed_size = pages_.uncompressed_total();
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
    md.statistics = index.chunk_statistics();
    if (md.statistics && o_.distinct_count) md.statistics->distinct_count = distinct_count(dict, dict_active);
    if (o_.bloom_filter && in_.type != PhysicalType::Boolean) out.bloom_filter = bloom_filter(dict, dict_active);
    size_statistics(md);
    if (o_.page_index) {
      out.offset_index = index.offset_index(data_start);
      out.column_index = index.column_index();
    }
    return out;
  }

 private:
  // Exact: the dictionary's size when it held the whole chunk, else a count over the values.
  int64_t distinct_count(const DictionaryBuilder* dict, bool dict_whole) const {
    if (dict && dict_whole) return dict->size();
    if (in_.type == PhysicalType::Boolean) {
      bool seen[2] = {false, false};
      for (size_t i = 0; i < in_.values.count; ++i) seen[*in_.values.value(i) & 1] = true;
      return int64_t{seen[0]} + int64_t{seen[1]};
    }
    DictionaryBuilder all(in_.values.width);
    std::vector<uint32_t> ignored;
    all.map(in_.values, 0, static_cast<int64_t>(in_.values.count), ignored);
    return all.size();
  }

  // The chunk's split-block bloom filter, header first (BloomFilter.md "File Format").
  std::string bloom_filter(const DictionaryBuilder* dict, bool dict_whole) const {
    const encoding::ValueBuffer& v = dict && dict_whole ? dict->entries() : in_.values;
    const encoding::ByteArrays values = v.byte_arrays(0, v.count);
    std::vector<uint64_t> hashes(v.count);
    for (size_t i = 0; i < v.count; ++i) hashes[i] = BloomFilter::hash(values[i]);
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
    if (!o_.cipher) {
      out += filter.bitset();
      return out;
    }
    // Encryption.md: the header and the bitset are two modules.
    std::string sealed(o_.cipher->module_size(crypto::ModuleType::BloomFilterHeader, out.size()) +
                           o_.cipher->module_size(crypto::ModuleType::BloomFilterBitset, filter.bitset().size()),
                       '\0');
    auto* at = reinterpret_cast<uint8_t*>(sealed.data());
    const size_t header_module = o_.cipher->module_size(crypto::ModuleType::BloomFilterHeader, out.size());
    o_.cipher->encrypt(crypto::ModuleType::BloomFilterHeader, -1,
                       {reinterpret_cast<const uint8_t*>(out.data()), out.size()}, {at, header_module});
    o_.cipher->encrypt(crypto::ModuleType::BloomFilterBitset, -1,
                       {reinterpret_cast<const uint8_t*>(filter.bitset().data()), filter.bitset().size()},
                       {at + header_module, sealed.size() - header_module});
    return sealed;
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
    const double total = static_cast<double>(in_.values.count);
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
    auto compressed_size = [&](const std::vector<uint8_t>& bytes_in) { return pages_.compressed_size(bytes_in, compressed); };
    encode_indices(dict, indices_, raw);
    size_t with_dictionary = compressed_size(raw);
    raw.clear();
    encode_values(dict.entries(), in_.type, 0, dict.size(), Encoding::Plain, raw);
    with_dictionary += compressed_size(raw);
    raw.clear();
    encode_values(in_.values, in_.type, p.value_begin, p.value_end, o_.encoding, raw);
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
    const encoding::ValueBuffer& e = dict.entries();
    encoding::ValueBuffer subset;
    subset.width = e.width;
    for (size_t i = 0; i < used_.size(); ++i) {
      if (!used_[i]) continue;
      if (e.width == 0) {
        const std::string_view x = e.binary(i);
        subset.append_binary(reinterpret_cast<const uint8_t*>(x.data()), x.size());
      } else {
        subset.append_fixed(e.value(i));
      }
    }
    return min_max(subset, 0, static_cast<int64_t>(subset.count), order_);
  }

  void count_encoding(PageType t, Encoding e) { ++encoding_counts_[{static_cast<int32_t>(t), static_cast<int32_t>(e)}]; }

  void size_statistics(format::ColumnMetaData& md) const {
    format::SizeStatistics s;
    if (in_.type == PhysicalType::ByteArray) {
      s.unencoded_byte_array_data_bytes = in_.values.offsets.back() - in_.values.offsets.front();
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
    out.body = buffers_.take();
    page::DataPageInfo info;
    info.num_values = static_cast<int32_t>(p.level_end - p.level_begin);
    info.num_nulls = static_cast<int32_t>((p.level_end - p.level_begin) - (p.value_end - p.value_begin));
    info.num_rows = static_cast<int32_t>(p.rows);
    info.encoding = encoding;
    info.statistics = std::move(stats);
    if (o_.data_page_version == 2) {
      levels_.clear();
      const size_t rep_bytes = encode_page_levels(p, false, levels_);
      return pages_.data_page_v2(levels_, rep_bytes, values_, std::move(info), out);
    }
    return pages_.data_page_v1(values_, std::move(info), out);  // levels and values (see run)
  }

  // Returns the page's size in the file.
  int64_t dictionary_page(const DictionaryBuilder& dict, EncodedPage& out) {
    values_.clear();
    const encoding::ValueBuffer& e = dict.entries();
    encode_values(e, in_.type, 0, static_cast<int64_t>(e.count), Encoding::Plain, values_);
    out.body = buffers_.take();
    return pages_.dictionary_page(values_, static_cast<int32_t>(dict.size()), dictionary_page_encoding_, out);
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
  page::PageWriter pages_;
  SortOrder order_;
  Encoding dictionary_data_encoding_, dictionary_page_encoding_;
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
  held_ -= b.capacity();
  b.clear();
  return b;
}

void PageBufferPool::give(std::vector<uint8_t>&& buffer) {
  std::lock_guard lock(mutex_);
  if (held_ + buffer.capacity() > max_bytes_) return;  // freed
  held_ += buffer.capacity();
  spare_.push_back(std::move(buffer));
}

PageBufferPool& shared_page_buffers() {
  static PageBufferPool* pool = new PageBufferPool(size_t{64} << 20);  // never destroyed: used until exit
  return *pool;
}

void reset_input(ChunkInput& in) {
  in.column = nullptr;
  in.node = nullptr;
  in.def.clear();
  in.rep.clear();
  in.num_levels = 0;
  in.dictionary_hint = 0;
  in.values.clear();
  in.values.data = table::GrowableBuffer();  // a chunk's copied strings are not kept for the next
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
