#include "column/leaf_reader.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <string>

#include "column/page_values.h"
#include "column/physical_width.h"
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


// A level segment of a page whose rows are either all selected or all not.
struct Segment {
  size_t begin, end;
  bool selected;
};

// Decodes one column chunk: LeafColumn's levels and values for the selected rows.
class LeafDecoder {
 public:
  LeafDecoder(std::span<const uint8_t> chunk, const ChunkInfo& info, const page::PageReaderOptions& options)
      : info_(info),
        col_(*info.column),
        max_def_(col_.max_definition_level),
        max_rep_(col_.max_repetition_level),
        to_validity_(info.levels_as_validity && max_rep_ == 0 && max_def_ > 0),
        pages_(chunk, info.file_offset, info.codec, options) {
    out_.values.width = physical_width(col_.physical_type, info.type_length);
    dict_.width = out_.values.width;
    out_.has_validity = to_validity_;
    reserve(chunk.size());
  }

  LeafColumn run() {
    const RowSelection* sel = info_.selection;
    const auto locations = info_.page_locations;
    const bool by_location = sel != nullptr && !locations.empty();
    page::Page page;
    if (by_location) {
      // What lies before the first data page: the dictionary page, if any. Only the bytes
      // the offset index accounts for were read: no page is read past them.
      pages_.seek(info_.file_offset, locations[0].offset);
      while (pages_.position() < locations[0].offset && pages_.next_header(page)) {
        with_page_context(page, [&] {
          if (page.type != PageType::DictionaryPage) corrupt("a data page before the offset index's first page");
          read_dictionary(page);
        });
      }
    }
    size_t k = 0;  // by location: the next data page
    // Stop once the chunk's values are read: what may follow (padding added for writers
    // that under-reported chunk sizes) belongs to the next chunk.
    while (true) {
      int64_t page_rows = -1;  // unknown until the levels are decoded
      if (by_location) {
        for (; k < locations.size(); ++k, ++out_.pages_skipped) {
          const int64_t end = k + 1 < locations.size() ? locations[k + 1].first_row_index : info_.num_rows;
          if (sel->intersects(locations[k].first_row_index, end)) break;
        }
        if (k == locations.size()) break;
        const int64_t first = locations[k].first_row_index;
        const int64_t end = k + 1 < locations.size() ? locations[k + 1].first_row_index : info_.num_rows;
        if (first < next_row_ || end < first) corrupt("the offset index's first rows are not increasing");
        page_rows = end - first;
        next_row_ = first;
        pages_.seek(locations[k].offset, locations[k].offset + locations[k].compressed_page_size);
        ++k;
        const format::PageLocation& at = locations[k - 1];
        if (!pages_.next_header(page) || page.type == PageType::DictionaryPage) {
          throw Error(ErrorKind::Corrupt, "no data page where the offset index places one",
                      ErrorContext{{}, {}, {}, at.offset});
        }

      } else {
        if (levels_seen_ >= info_.num_values || !pages_.next_header(page)) break;
        if (page.type == PageType::DictionaryPage) {
          with_page_context(page, [&] { read_dictionary(page); });
          continue;
        }
        // Nested columns: rows are counted from the repetition levels, not from v2 headers
        // (Arrow C++ before 12 wrote num_rows = num_values for repeated columns).
        if (max_rep_ == 0) page_rows = page.num_values;
        if (sel && page_rows >= 0 && !sel->intersects(next_row_, next_row_ + page_rows)) {
          levels_seen_ += page.num_values;  // checked against the chunk's count at the end
          next_row_ += page_rows;
          ++out_.pages_skipped;
          continue;
        }
      }
      with_page_context(page, [&] { data_page(page, page_rows); });
    }
    out_.pages_decompressed = pages_.pages_loaded();
    if (info_.keep_dictionary) {
      if (dict_.count > static_cast<size_t>(INT32_MAX)) corrupt("dictionary larger than int32 indices reach");
      out_.dictionary_encoded = true;
      out_.dictionary = std::move(dict_);
    }
    // Pages found by location are not all visited: their count cannot be checked.
    if (!by_location && levels_seen_ != info_.num_values) {
      corrupt("the column chunk's pages hold " + std::to_string(levels_seen_) + " values, its metadata says " +
              std::to_string(info_.num_values));
    }
    return std::move(out_);
  }

 private:
  template <class F>
  void with_page_context(const page::Page& page, F&& f) {
    try {
      f();
    } catch (Error& e) {
      e.set_page_offset(page.file_offset);
      throw;
    }
  }

  // Sizes the values once from the metadata when that is plausible (no more than the chunk
  // could hold at one byte per value, so a lying footer cannot make us allocate).
  void reserve(size_t chunk_size) {
    int64_t values = info_.num_values;
    if (info_.selection) {
      if (max_rep_ > 0) return;  // rows do not say how many values
      values = std::min(values, info_.selection->row_count());
    }
    const size_t expected =
        static_cast<size_t>(std::max<int64_t>(0, std::min<int64_t>(values, static_cast<int64_t>(chunk_size) * 8)));
    if (out_.values.width == 0 && !info_.keep_dictionary) out_.values.offsets.reserve(expected + 1);
    if (out_.values.width > 0) {
      out_.values.fixed.reserve(expected * out_.values.width);
    } else if (!info_.selection && col_.physical_type == PhysicalType::ByteArray &&
               info_.uncompressed_size > (int64_t{64} << 20)) {
      // Large string chunks: address space for the values the pages hold, so that growing
      // does not copy gigabytes (untouched pages of it cost no memory). Capped: it is a hint.
      out_.values.data.reserve(static_cast<size_t>(std::min<int64_t>(info_.uncompressed_size, int64_t{16} << 30)));
    }
  }

  void read_dictionary(page::Page& page) {
    if (have_dict_) corrupt("a second dictionary page in one column chunk");
    if (page.encoding != Encoding::Plain && page.encoding != Encoding::PlainDictionary) {
      throw Error(ErrorKind::Unsupported, "dictionary page encoding " + to_string(page.encoding));
    }
    pages_.load(page);
    const bool boolean = col_.physical_type == PhysicalType::Boolean;
    if (dict_.is_binary() && page.body.size() >= kInPlaceDictionaryBytes && pages_.holds(page.body)) {
      // Decoded over the decompressed page itself: a dictionary of gigabytes is not held twice.
      const std::span<const uint8_t> body = page.body;
      table::GrowableBuffer storage = pages_.take_buffer();
      const auto offset = static_cast<size_t>(body.data() - storage.data());
      encoding::decode_plain_in_place(std::move(storage), offset, body.size(), static_cast<size_t>(page.num_values),
                                      dict_);
    } else {
      encoding::decode_plain(page.body, static_cast<size_t>(page.num_values), boolean, dict_);
    }
    if (dict_.is_binary() && !info_.keep_dictionary) {
      // The longest entry, and 32 bytes of padding for the gather's fixed-size copies.
      dict_.max_length = 0;
      for (size_t i = 0; i < dict_.count; ++i) {
        dict_.max_length = std::max(dict_.max_length, static_cast<size_t>(dict_.offsets[i + 1] - dict_.offsets[i]));
      }
      const size_t size = dict_.data.size();
      dict_.data.resize(size + 32);
      std::memset(dict_.data.data() + size, 0, 32);
    }
    have_dict_ = true;
  }

  // The next `present` values of `values` into the output.
  void emit_values(PageValues& values, size_t present) {
    if (!info_.keep_dictionary) {
      values.read(present, out_.values);
      return;
    }
    if (values.dictionary_encoded()) {
      values.read_indices(present, out_.indices);
      return;
    }
    // A page that fell back from the dictionary: its values join the dictionary.
    encoding::ValueBuffer plain;
    plain.width = dict_.width;
    values.read(present, plain);
    const size_t first = dict_.count;
    const size_t at = dict_.data.size();
    dict_.data.append(plain.data.data(), plain.data.size());
    for (size_t i = 1; i < plain.offsets.size(); ++i) dict_.offsets.push_back(static_cast<int64_t>(at) + plain.offsets[i]);
    dict_.count += plain.count;
    const size_t base = out_.indices.size();
    out_.indices.resize(base + present * 4);
    int32_t* idx = reinterpret_cast<int32_t*>(out_.indices.data() + base);
    for (size_t i = 0; i < present; ++i) idx[i] = static_cast<int32_t>(first + i);
  }

  PageValues values_of(const page::Page& page, std::span<const uint8_t> in, size_t present) {
    return PageValues(page.encoding, in, present, col_.physical_type, out_.values.width,
                      have_dict_ ? &dict_ : nullptr);
  }

  void data_page(page::Page& page, int64_t page_rows) {
    const size_t n = static_cast<size_t>(page.num_values);
    if (page_rows >= 0 && static_cast<int64_t>(n) != page_rows) {
      corrupt("the page holds " + std::to_string(n) + " values, its offset index entry " + std::to_string(page_rows) +
              " rows");
    }
    if (levels_seen_ + static_cast<int64_t>(n) > info_.num_values) {
      corrupt("pages hold more values than the column chunk's " + std::to_string(info_.num_values));
    }
    pages_.load(page);
    levels_seen_ += static_cast<int64_t>(n);
    const RowSelection* sel = info_.selection;
    const bool whole = sel == nullptr || (page_rows >= 0 && covers(*sel, next_row_, next_row_ + page_rows));
    if (whole) {
      whole_page(page, n);
      if (page_rows >= 0) next_row_ += page_rows;
    } else {
      partial_page(page, n);
    }
  }

  static bool covers(const RowSelection& sel, int64_t begin, int64_t end) {
    if (begin >= end) return true;
    const auto& r = sel.ranges();
    auto it = std::upper_bound(r.begin(), r.end(), begin, [](int64_t row, const RowRange& x) { return row < x.end; });
    return it != r.end() && it->begin <= begin && it->end >= end;
  }

  // Every level and value of the page into the output.
  void whole_page(const page::Page& page, size_t n) {
    std::span<const uint8_t> values;
    size_t present = n;
    if (to_validity_) {
      ValidityWriter validity(out_.validity, out_.num_levels, n, max_def_);
      const int bw = util::bit_width_of(static_cast<uint64_t>(max_def_));
      if (page.type == PageType::DataPage && page.def_level_encoding == Encoding::Rle) {
        const std::span<const uint8_t> section = rle_levels_v1(page.body);
        encoding::RleBitPackedDecoder d(section.data(), section.size(), bw);
        decode_validity(d, n, validity);
        values = page.body.subspan(4 + section.size());
      } else if (page.type == PageType::DataPage) {
        scratch_def_.clear();
        values = page.body.subspan(decode_levels_v1(page.body, page.def_level_encoding, max_def_, n, scratch_def_));
        validity.levels(scratch_def_.data(), n);
      } else {
        encoding::RleBitPackedDecoder d(page.def_levels.data(), page.def_levels.size(), bw);
        decode_validity(d, n, validity);
        values = page.body;
      }
      present = validity.present();
      out_.null_count += static_cast<int64_t>(n - present);
    } else {
      values = levels_of(page, n, out_.rep_levels, out_.def_levels);
      if (max_def_ > 0) {
        present = 0;
        for (size_t i = out_.def_levels.size() - n; i < out_.def_levels.size(); ++i) present += out_.def_levels[i] == max_def_;
      }
    }
    if (page.num_nulls >= 0 && max_rep_ == 0 && present != n - static_cast<size_t>(page.num_nulls)) {
      corrupt("v2 page says " + std::to_string(page.num_nulls) + " nulls, its levels say " + std::to_string(n - present));
    }
    PageValues decoder = values_of(page, values, present);
    emit_values(decoder, present);
    out_.num_levels += static_cast<int64_t>(n);
  }

  // Decodes the page's levels, appending them to `rep` and `def`; returns its values section.
  std::span<const uint8_t> levels_of(const page::Page& page, size_t n, std::vector<int16_t>& rep,
                                     std::vector<int16_t>& def) {
    if (page.type == PageType::DataPage) {
      std::span<const uint8_t> rest = page.body;
      if (max_rep_ > 0) rest = rest.subspan(decode_levels_v1(rest, page.rep_level_encoding, max_rep_, n, rep));
      if (max_def_ > 0) rest = rest.subspan(decode_levels_v1(rest, page.def_level_encoding, max_def_, n, def));
      return rest;
    }
    if (max_rep_ > 0) decode_levels_v2(page.rep_levels, max_rep_, n, rep);
    if (max_def_ > 0) decode_levels_v2(page.def_levels, max_def_, n, def);
    return page.body;
  }

  // The selected rows of the page: its levels decoded into scratch, then copied or skipped
  // segment by segment, the values likewise.
  void partial_page(const page::Page& page, size_t n) {
    if (uniform_page(page, n)) return;
    scratch_rep_.clear();
    scratch_def_.clear();
    const std::span<const uint8_t> values = levels_of(page, n, scratch_rep_, scratch_def_);
    segments(n);
    const int16_t* def = max_def_ > 0 ? scratch_def_.data() : nullptr;
    size_t present_total = 0;
    if (def) {
      for (size_t i = 0; i < n; ++i) present_total += def[i] == max_def_;
    } else {
      present_total = n;
    }
    PageValues decoder = values_of(page, values, present_total);
    for (const Segment& s : segments_) {
      size_t present = s.end - s.begin;
      if (def) {
        present = 0;
        for (size_t i = s.begin; i < s.end; ++i) present += def[i] == max_def_;
      }
      if (!s.selected) {
        decoder.skip(present);
        continue;
      }
      const size_t count = s.end - s.begin;
      if (to_validity_) {
        ValidityWriter validity(out_.validity, out_.num_levels, count, max_def_);
        validity.levels(def + s.begin, count);
        out_.null_count += static_cast<int64_t>(count - present);
      } else {
        if (max_rep_ > 0) out_.rep_levels.insert(out_.rep_levels.end(), scratch_rep_.begin() + s.begin, scratch_rep_.begin() + s.end);
        if (max_def_ > 0) out_.def_levels.insert(out_.def_levels.end(), scratch_def_.begin() + s.begin, scratch_def_.begin() + s.end);
      }
      emit_values(decoder, present);
      out_.num_levels += static_cast<int64_t>(count);
    }
  }

  // A flat column's page whose definition levels are one repeated run (no nulls, the usual
  // case, or only nulls): its selected rows are taken without decoding a level each. False
  // when the page is not like that.
  bool uniform_page(const page::Page& page, size_t n) {
    if (max_rep_ > 0) return false;
    uint32_t level = 0;
    std::span<const uint8_t> values = page.body;
    if (max_def_ > 0) {
      std::span<const uint8_t> section;
      if (page.type == PageType::DataPageV2) {
        section = page.def_levels;
      } else if (page.def_level_encoding == Encoding::Rle) {
        section = rle_levels_v1(page.body);
        values = page.body.subspan(4 + section.size());
      } else {
        return false;
      }
      encoding::RleBitPackedDecoder d(section.data(), section.size(), util::bit_width_of(static_cast<uint64_t>(max_def_)));
      if (d.take_repeated(n, level) != n) return false;
      if (level > static_cast<uint32_t>(max_def_)) corrupt("a level exceeds the maximum " + std::to_string(max_def_));
    }
    const bool present = max_def_ == 0 || level == static_cast<uint32_t>(max_def_);
    if (page.num_nulls >= 0 && static_cast<size_t>(page.num_nulls) != (present ? 0 : n)) {
      corrupt("v2 page says " + std::to_string(page.num_nulls) + " nulls, its levels say " + std::to_string(present ? 0 : n));
    }
    segments(n);
    PageValues decoder = values_of(page, values, present ? n : 0);
    for (const Segment& s : segments_) {
      const size_t count = s.end - s.begin;
      if (!s.selected) {
        if (present) decoder.skip(count);
        continue;
      }
      if (to_validity_) {
        ValidityWriter validity(out_.validity, out_.num_levels, count, max_def_);
        validity.run(level, count);
        if (!present) out_.null_count += static_cast<int64_t>(count);
      } else if (max_def_ > 0) {
        out_.def_levels.insert(out_.def_levels.end(), count, static_cast<int16_t>(level));
      }
      emit_values(decoder, present ? count : 0);
      out_.num_levels += static_cast<int64_t>(count);
    }
    return true;
  }

  // Splits the page's `n` levels (in scratch) into selected and unselected segments, and
  // advances next_row_ past the rows the page starts.
  void segments(size_t n) {
    segments_.clear();
    const auto& ranges = info_.selection->ranges();
    auto add = [&](size_t begin, size_t end, bool selected) {
      if (begin == end) return;
      if (!segments_.empty() && segments_.back().selected == selected) segments_.back().end = end;
      else segments_.push_back({begin, end, selected});
    };
    // The first range that ends after the page's first row (earlier pages passed the others).
    const auto from = [&ranges](int64_t row) {
      return std::upper_bound(ranges.begin(), ranges.end(), row, [](int64_t x, const RowRange& r) { return x < r.end; });
    };
    if (max_rep_ == 0) {  // level i is row next_row_ + i
      const int64_t first = next_row_, end = next_row_ + static_cast<int64_t>(n);
      size_t at = 0;
      for (auto it = from(first); it != ranges.end(); ++it) {
        const RowRange& r = *it;
        if (r.begin >= end) break;
        const auto b = static_cast<size_t>(std::max(r.begin, first) - first);
        const auto e = static_cast<size_t>(std::min(r.end, end) - first);
        add(at, b, false);
        add(b, e, true);
        at = e;
      }
      add(at, n, false);
      next_row_ = end;
      return;
    }
    // A level with repetition level 0 starts a row; the others continue the current one
    // (which may have begun on an earlier page).
    const int16_t* rep = scratch_rep_.data();
    int64_t row = next_row_ - 1;
    auto r = from(std::max<int64_t>(0, row));
    auto is_selected = [&](int64_t x) {
      while (r != ranges.end() && r->end <= x) ++r;
      return r != ranges.end() && r->begin <= x;
    };
    bool selected = row >= 0 && is_selected(row);
    size_t begin = 0;
    for (size_t i = 0; i < n; ++i) {
      if (rep[i] != 0) {
        if (row < 0) corrupt("the column chunk's first level continues a row (repetition level > 0)");
        continue;
      }
      ++row;
      const bool s = is_selected(row);
      if (s != selected) {
        add(begin, i, selected);
        begin = i;
        selected = s;
      }
    }
    add(begin, n, selected);
    next_row_ = row + 1;
  }

  const ChunkInfo& info_;
  const ColumnDescriptor& col_;
  const int max_def_, max_rep_;
  const bool to_validity_;
  page::PageReader pages_;
  LeafColumn out_;
  encoding::ValueBuffer dict_;
  bool have_dict_ = false;
  int64_t levels_seen_ = 0;  // levels of the data pages passed (read or skipped)
  int64_t next_row_ = 0;     // the first row of the next data page
  std::vector<int16_t> scratch_rep_, scratch_def_;
  std::vector<Segment> segments_;
};

}  // namespace

LeafColumn read_leaf(std::span<const uint8_t> chunk, const ChunkInfo& info, const page::PageReaderOptions& options) {
  return LeafDecoder(chunk, info, options).run();
}

}  // namespace parkett::column
