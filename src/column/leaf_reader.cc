#include "column/leaf_reader.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <string>

#include "column/physical_width.h"
#include "encoding/alp.h"
#include "encoding/byte_stream_split.h"
#include "encoding/delta.h"
#include "encoding/rle_bit_packed.h"
#include "parkett/error.h"
#include "util/bit_unpack.h"

namespace parkett::column {
namespace {

using encoding::ValueBuffer;

// Dictionary pages from this size on are decoded over their own decompressed bytes; smaller
// ones are copied, and the page buffer is reused for the data pages.
constexpr size_t kInPlaceDictionaryBytes = size_t{4} << 20;

[[noreturn]] void corrupt(const std::string& what) { throw Error(ErrorKind::Corrupt, what); }

// Decodes `n` levels from the hybrid decoder into `out`, in slices, checking each.
void decode_levels(encoding::RleBitPackedDecoder& d, int max_level, size_t n, std::vector<int16_t>& out) {
  const size_t start = out.size();
  out.resize(start + n);
  uint32_t tmp[1024];
  uint32_t over = 0;
  for (size_t done = 0; done < n;) {
    const size_t want = std::min<size_t>(1024, n - done);
    if (d.get_batch(tmp, want) != want) corrupt("fewer levels than the page's value count");
    int16_t* dst = out.data() + start + done;
    for (size_t i = 0; i < want; ++i) {
      over |= tmp[i] > static_cast<uint32_t>(max_level) ? 1u : 0u;
      dst[i] = static_cast<int16_t>(tmp[i]);
    }
    done += want;
  }
  if (over) corrupt("a level exceeds the maximum " + std::to_string(max_level));
}

// The RLE levels of a v1 page: a 4-byte length, then that many bytes.
std::span<const uint8_t> rle_levels_v1(std::span<const uint8_t> in) {
  if (in.size() < 4) corrupt("level section shorter than its 4-byte length");
  uint32_t len;
  std::memcpy(&len, in.data(), 4);
  if (len > in.size() - 4) corrupt("level section of " + std::to_string(len) + " bytes exceeds the page");
  return in.subspan(4, len);
}

// Decodes `n` levels of a v1 page section (RLE with a 4-byte length, or BIT_PACKED) and
// returns the bytes used.
size_t decode_levels_v1(std::span<const uint8_t> in, Encoding enc, int max_level, size_t n,
                        std::vector<int16_t>& out) {
  const int bw = util::bit_width_of(static_cast<uint64_t>(max_level));
  if (enc == Encoding::Rle) {
    const std::span<const uint8_t> section = rle_levels_v1(in);
    encoding::RleBitPackedDecoder d(section.data(), section.size(), bw);
    decode_levels(d, max_level, n, out);
    return 4 + section.size();
  }
  if (enc != Encoding::BitPacked) throw Error(ErrorKind::Unsupported, "level encoding " + to_string(enc));
  // Checked before allocating: the count comes from the page header.
  if (bw > 0 && n > in.size() * 8 / static_cast<size_t>(bw)) {
    corrupt("BIT_PACKED levels: " + std::to_string(n) + " levels of " + std::to_string(bw) + " bits need more than the " +
            std::to_string(in.size()) + " bytes of the page");
  }
  std::vector<uint32_t> tmp(n);
  encoding::decode_bit_packed_levels(in.data(), in.size(), bw, tmp.data(), n);
  const size_t used = (n * static_cast<size_t>(bw) + 7) / 8;
  const size_t start = out.size();
  out.resize(start + n);
  for (size_t i = 0; i < n; ++i) {
    if (tmp[i] > static_cast<uint32_t>(max_level)) {
      corrupt("level " + std::to_string(tmp[i]) + " exceeds the maximum " + std::to_string(max_level));
    }
    out[start + i] = static_cast<int16_t>(tmp[i]);
  }
  return used;
}

void decode_levels_v2(std::span<const uint8_t> in, int max_level, size_t n, std::vector<int16_t>& out) {
  encoding::RleBitPackedDecoder d(in.data(), in.size(), util::bit_width_of(static_cast<uint64_t>(max_level)));
  decode_levels(d, max_level, n, out);
}

// Sets bits [at, at + count) of a bitmap.
void set_bits(uint8_t* b, size_t at, size_t count) {
  for (; count > 0 && (at & 7) != 0; ++at, --count) b[at >> 3] |= static_cast<uint8_t>(1u << (at & 7));
  std::memset(b + (at >> 3), 0xff, count / 8);
  at += count / 8 * 8;
  for (count &= 7; count > 0; ++at, --count) b[at >> 3] |= static_cast<uint8_t>(1u << (at & 7));
}

// The bitmap of a flat column's validity while its pages are decoded: one bit per level
// entry, set where the definition level is the maximum.
class ValidityWriter {
 public:
  ValidityWriter(table::GrowableBuffer& bits, int64_t first, size_t n, int max_level)
      : at_(static_cast<size_t>(first)), max_(static_cast<uint32_t>(max_level)) {
    const size_t old_bytes = bits.size();
    bits.resize((at_ + n + 7) / 8);
    b_ = bits.data();
    std::memset(b_ + old_bytes, 0, bits.size() - old_bytes);
  }
  size_t present() const { return present_; }

  // `count` entries of one level (a repeated run).
  void run(uint32_t level, size_t count) {
    if (level > max_) corrupt("a level exceeds the maximum " + std::to_string(max_));
    if (level == max_) {
      set_bits(b_, at_, count);
      present_ += count;
    }
    at_ += count;
  }
  template <class Level>
  void levels(const Level* v, size_t count) {
    uint32_t over = 0;
    for (size_t i = 0; i < count; ++i, ++at_) {
      const uint32_t level = static_cast<uint32_t>(v[i]);
      over |= level > max_ ? 1u : 0u;
      const unsigned bit = level == max_ ? 1u : 0u;
      present_ += bit;
      b_[at_ >> 3] |= static_cast<uint8_t>(bit << (at_ & 7));
    }
    if (over) corrupt("a level exceeds the maximum " + std::to_string(max_));
  }

 private:
  uint8_t* b_;
  size_t at_;
  uint32_t max_;
  size_t present_ = 0;
};

// `n` RLE/bit-packed definition levels into `out`: repeated runs become bit ranges.
void decode_validity(encoding::RleBitPackedDecoder& d, size_t n, ValidityWriter& out) {
  uint32_t tmp[1024];
  for (size_t done = 0; done < n;) {
    uint32_t level;
    if (size_t r = d.take_repeated(n - done, level)) {
      out.run(level, r);
      done += r;
      continue;
    }
    const size_t want = std::min({size_t{1024}, n - done, d.run_left()});
    if (want == 0 || d.get_batch(tmp, want) != want) corrupt("fewer levels than the page's value count");
    out.levels(tmp, want);
    done += want;
  }
}

// Appends dictionary entries `indices` to `out`.
void gather(const ValueBuffer& dict, const uint32_t* indices, size_t n, ValueBuffer& out) {
  if (!dict.is_binary()) {
    const size_t w = dict.width;
    const size_t start = out.fixed.size();
    out.fixed.resize(start + n * w);
    uint8_t* dst = out.fixed.data() + start;
    const uint8_t* src = dict.fixed.data();
    auto typed = [&](auto tag) {
      using T = decltype(tag);
      T* d = reinterpret_cast<T*>(dst);
      for (size_t i = 0; i < n; ++i) std::memcpy(d + i, src + indices[i] * sizeof(T), sizeof(T));
    };
    if (w == 4) typed(uint32_t{});
    else if (w == 8) typed(uint64_t{});
    else for (size_t i = 0; i < n; ++i) std::memcpy(dst + i * w, src + indices[i] * w, w);
  } else if (dict.max_length <= 32) {
    // Short entries (the usual dictionary of codes and names): copy 32 bytes each, from a
    // dictionary padded by 32 bytes into an output with 32 bytes of slack.
    size_t at = out.data.size();
    out.data.resize(at + n * dict.max_length + 32);
    uint8_t* dst = out.data.data();
    const uint8_t* src = dict.data.data();
    const size_t first_offset = out.offsets.size();
    out.offsets.resize(first_offset + n);
    int64_t* offsets = out.offsets.data() + first_offset;
    for (size_t i = 0; i < n; ++i) {
      const int64_t b = dict.offsets[indices[i]];
      std::memcpy(dst + at, src + b, 32);
      at += static_cast<size_t>(dict.offsets[indices[i] + 1] - b);
      offsets[i] = static_cast<int64_t>(at);
    }
    out.data.resize(at);
  } else {
    // Size the output once, then copy each entry.
    size_t bytes = 0;
    for (size_t i = 0; i < n; ++i) {
      bytes += static_cast<size_t>(dict.offsets[indices[i] + 1] - dict.offsets[indices[i]]);
    }
    size_t at = out.data.size();
    out.data.resize(at + bytes);
    const size_t first_offset = out.offsets.size();
    out.offsets.resize(first_offset + n);
    for (size_t i = 0; i < n; ++i) {
      const int64_t b = dict.offsets[indices[i]], e = dict.offsets[indices[i] + 1];
      std::memcpy(out.data.data() + at, dict.data.data() + b, static_cast<size_t>(e - b));
      at += static_cast<size_t>(e - b);
      out.offsets[first_offset + i] = static_cast<int64_t>(at);
    }
  }
  out.count += n;
}

// Dictionary indices of a page into `out` (int32 each), checked against the dictionary.
void decode_indices(std::span<const uint8_t> in, size_t n, size_t dictionary_size,
                    table::GrowableBuffer& out) {
  if (n == 0) return;
  if (in.empty()) corrupt("dictionary-encoded page without its bit width");
  const int bw = in[0];
  if (bw > 32) corrupt("dictionary index bit width " + std::to_string(bw));
  const size_t at = out.size();
  out.resize(at + n * 4);
  encoding::RleBitPackedDecoder d(in.data() + 1, in.size() - 1, bw);
  if (d.get_batch_checked(reinterpret_cast<uint32_t*>(out.data() + at), n,
                          static_cast<uint32_t>(dictionary_size)) != n) {
    corrupt("fewer dictionary indices than values in the page");
  }
}

void decode_values(const page::Page& page, std::span<const uint8_t> in, size_t n, PhysicalType physical,
                   const ValueBuffer* dict, ValueBuffer& out) {
  const bool boolean = physical == PhysicalType::Boolean;
  const bool floating = physical == PhysicalType::Float || physical == PhysicalType::Double;
  switch (page.encoding) {
    case Encoding::Plain:
      encoding::decode_plain(in, n, boolean, out);
      return;
    case Encoding::PlainDictionary:
    case Encoding::RleDictionary: {
      if (!dict) corrupt("dictionary-encoded page without a dictionary page");
      if (n == 0) return;
      if (in.empty()) corrupt("dictionary-encoded page without its bit width");
      const int bw = in[0];
      if (bw > 32) corrupt("dictionary index bit width " + std::to_string(bw));
      std::vector<uint32_t> idx(n);
      encoding::RleBitPackedDecoder d(in.data() + 1, in.size() - 1, bw);
      if (d.get_batch_checked(idx.data(), n, static_cast<uint32_t>(dict->count)) != n) {
        corrupt("fewer dictionary indices than values in the page");
      }
      gather(*dict, idx.data(), n, out);
      return;
    }
    case Encoding::Rle: {
      if (!boolean) throw Error(ErrorKind::Unsupported, "RLE encoding of non-boolean values");
      // Booleans: a 4-byte length, then the hybrid with bit width 1 (Encodings.md).
      if (in.size() < 4) corrupt("RLE boolean data shorter than its 4-byte length");
      uint32_t len;
      std::memcpy(&len, in.data(), 4);
      if (len > in.size() - 4) corrupt("RLE boolean data longer than the page");
      std::vector<uint32_t> bits(n);
      encoding::RleBitPackedDecoder d(in.data() + 4, len, 1);
      if (d.get_batch(bits.data(), n) != n) corrupt("fewer booleans than values in the page");
      for (uint32_t b : bits) out.fixed.push_back(static_cast<uint8_t>(b));
      out.count += n;
      return;
    }
    case Encoding::DeltaBinaryPacked:
      if (boolean || out.is_binary()) corrupt("DELTA_BINARY_PACKED on a non-integer column");
      encoding::decode_delta_integers(in, n, out);
      return;
    case Encoding::DeltaLengthByteArray:
      if (!out.is_binary()) corrupt("DELTA_LENGTH_BYTE_ARRAY on a non-BYTE_ARRAY column");
      encoding::decode_delta_length_byte_array(in, n, out);
      return;
    case Encoding::DeltaByteArray:
      if (boolean) corrupt("DELTA_BYTE_ARRAY on a BOOLEAN column");
      encoding::decode_delta_byte_array(in, n, out);
      return;
    case Encoding::ByteStreamSplit:
      if (boolean || out.is_binary()) corrupt("BYTE_STREAM_SPLIT on a variable-length column");
      encoding::decode_byte_stream_split(in, n, out);
      return;
    case Encoding::Alp:
      if (!floating) corrupt("ALP encoding on a column that is neither FLOAT nor DOUBLE");
      encoding::decode_alp(in, n, out);
      return;
    default:
      throw Error(ErrorKind::Unsupported, "encoding " + to_string(page.encoding) + " is not supported");
  }
}

}  // namespace

LeafColumn read_leaf(std::span<const uint8_t> chunk, const ChunkInfo& info,
                     const page::PageReaderOptions& options) {
  const ColumnDescriptor& col = *info.column;
  const int max_def = col.max_definition_level;
  const int max_rep = col.max_repetition_level;
  const bool boolean = col.physical_type == PhysicalType::Boolean;
  LeafColumn out;
  out.values.width = physical_width(col.physical_type, info.type_length);
  // Size the values once from the metadata when that is plausible (no more than the chunk
  // could hold at one byte per value, so a lying footer cannot make us allocate).
  if (out.values.width > 0) {
    const size_t expected = static_cast<size_t>(std::max<int64_t>(0, std::min<int64_t>(
        info.num_values, static_cast<int64_t>(chunk.size()) * 8)));
    out.values.fixed.reserve(expected * out.values.width);
  } else if (col.physical_type == PhysicalType::ByteArray && info.uncompressed_size > (int64_t{64} << 20)) {
    // Large string chunks: address space for the values the pages hold, so that growing
    // does not copy gigabytes (untouched pages of it cost no memory). Capped: it is a hint.
    out.values.data.reserve(static_cast<size_t>(std::min<int64_t>(info.uncompressed_size, int64_t{16} << 30)));
  }
  ValueBuffer dict;
  dict.width = out.values.width;
  bool have_dict = false;

  const bool to_validity = info.levels_as_validity && max_rep == 0 && max_def > 0;
  out.has_validity = to_validity;
  std::vector<int16_t> page_levels;  // deprecated BIT_PACKED levels on their way to the bitmap

  page::PageReader pages(chunk, info.file_offset, info.codec, options);
  page::Page page;
  // Stop once the chunk's values are read: what may follow (padding added for writers that
  // under-reported chunk sizes) belongs to the next chunk.
  while (out.num_levels < info.num_values && pages.next(page)) {
    try {
      if (page.type == PageType::DictionaryPage) {
        if (have_dict) corrupt("a second dictionary page in one column chunk");
        if (page.encoding != Encoding::Plain && page.encoding != Encoding::PlainDictionary) {
          throw Error(ErrorKind::Unsupported, "dictionary page encoding " + to_string(page.encoding));
        }
        if (dict.is_binary() && page.body.size() >= kInPlaceDictionaryBytes && pages.holds(page.body)) {
          // Decoded over the decompressed page itself: a dictionary of gigabytes is not
          // held twice.
          const std::span<const uint8_t> body = page.body;
          table::GrowableBuffer storage = pages.take_buffer();
          const auto offset = static_cast<size_t>(body.data() - storage.data());
          encoding::decode_plain_in_place(std::move(storage), offset, body.size(), static_cast<size_t>(page.num_values),
                                          dict);
        } else {
          encoding::decode_plain(page.body, static_cast<size_t>(page.num_values), boolean, dict);
        }
        if (dict.is_binary() && !info.keep_dictionary) {
          // The longest entry, and 32 bytes of padding for gather's fixed-size copies.
          dict.max_length = 0;
          for (size_t i = 0; i < dict.count; ++i) {
            dict.max_length = std::max(dict.max_length, static_cast<size_t>(dict.offsets[i + 1] - dict.offsets[i]));
          }
          const size_t size = dict.data.size();
          dict.data.resize(size + 32);
          std::memset(dict.data.data() + size, 0, 32);
        }
        have_dict = true;
        continue;
      }
      const size_t n = static_cast<size_t>(page.num_values);
      if (out.num_levels + static_cast<int64_t>(n) > info.num_values) {
        corrupt("pages hold more values than the column chunk's " + std::to_string(info.num_values));
      }
      std::span<const uint8_t> values;
      size_t present = n;
      if (to_validity) {
        ValidityWriter validity(out.validity, out.num_levels, n, max_def);
        const int bw = util::bit_width_of(static_cast<uint64_t>(max_def));
        if (page.type == PageType::DataPage && page.def_level_encoding == Encoding::Rle) {
          const std::span<const uint8_t> section = rle_levels_v1(page.body);
          encoding::RleBitPackedDecoder d(section.data(), section.size(), bw);
          decode_validity(d, n, validity);
          values = page.body.subspan(4 + section.size());
        } else if (page.type == PageType::DataPage) {
          page_levels.clear();
          values = page.body.subspan(decode_levels_v1(page.body, page.def_level_encoding, max_def, n, page_levels));
          validity.levels(page_levels.data(), n);
        } else {
          encoding::RleBitPackedDecoder d(page.def_levels.data(), page.def_levels.size(), bw);
          decode_validity(d, n, validity);
          values = page.body;
        }
        present = validity.present();
        out.null_count += static_cast<int64_t>(n - present);
      } else if (page.type == PageType::DataPage) {
        std::span<const uint8_t> rest = page.body;
        if (max_rep > 0) rest = rest.subspan(decode_levels_v1(rest, page.rep_level_encoding, max_rep, n, out.rep_levels));
        if (max_def > 0) rest = rest.subspan(decode_levels_v1(rest, page.def_level_encoding, max_def, n, out.def_levels));
        values = rest;
      } else {
        if (max_rep > 0) decode_levels_v2(page.rep_levels, max_rep, n, out.rep_levels);
        if (max_def > 0) decode_levels_v2(page.def_levels, max_def, n, out.def_levels);
        values = page.body;
      }
      if (!to_validity && max_def > 0) {
        present = 0;
        for (size_t i = out.def_levels.size() - n; i < out.def_levels.size(); ++i) {
          present += out.def_levels[i] == max_def;
        }
      }
      if (page.num_nulls >= 0 && max_rep == 0 && present != n - static_cast<size_t>(page.num_nulls)) {
        corrupt("v2 page says " + std::to_string(page.num_nulls) + " nulls, its levels say " +
                std::to_string(n - present));
      }
      if (info.keep_dictionary) {
        if (page.encoding == Encoding::PlainDictionary || page.encoding == Encoding::RleDictionary) {
          if (!have_dict) corrupt("dictionary-encoded page without a dictionary page");
          decode_indices(values, present, dict.count, out.indices);
        } else {
          // A page that fell back from the dictionary: its values join the dictionary.
          ValueBuffer plain;
          plain.width = dict.width;
          decode_values(page, values, present, col.physical_type, nullptr, plain);
          const size_t first = dict.count;
          const size_t at = dict.data.size();
          dict.data.append(plain.data.data(), plain.data.size());
          for (size_t i = 1; i < plain.offsets.size(); ++i) {
            dict.offsets.push_back(static_cast<int64_t>(at) + plain.offsets[i]);
          }
          dict.count += plain.count;
          const size_t base = out.indices.size();
          out.indices.resize(base + present * 4);
          int32_t* idx = reinterpret_cast<int32_t*>(out.indices.data() + base);
          for (size_t i = 0; i < present; ++i) idx[i] = static_cast<int32_t>(first + i);
        }
      } else {
        decode_values(page, values, present, col.physical_type, have_dict ? &dict : nullptr, out.values);
      }
      out.num_levels += static_cast<int64_t>(n);
    } catch (Error& e) {
      e.set_page_offset(page.file_offset);
      throw;
    }
  }
  if (info.keep_dictionary) {
    if (dict.count > static_cast<size_t>(INT32_MAX)) corrupt("dictionary larger than int32 indices reach");
    out.dictionary_encoded = true;
    out.dictionary = std::move(dict);
  }
  if (out.num_levels != info.num_values) {
    corrupt("the column chunk's pages hold " + std::to_string(out.num_levels) +
            " values, its metadata says " + std::to_string(info.num_values));
  }
  return out;
}

}  // namespace parkett::column
