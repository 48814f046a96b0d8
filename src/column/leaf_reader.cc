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


// Of the next `n` RLE/bit-packed definition levels, those at `max_level` (present values).
size_t count_present(encoding::RleBitPackedDecoder& d, size_t n, int max_level) {
  const auto max = static_cast<uint32_t>(max_level);
  uint32_t tmp[1024];
  size_t present = 0;
  uint32_t over = 0;
  for (size_t done = 0; done < n;) {
    uint32_t level;
    if (size_t r = d.take_repeated(n - done, level)) {
      over |= level > max ? 1u : 0u;
      present += level == max ? r : 0;
      done += r;
      continue;
    }
    const size_t want = std::min({size_t{1024}, n - done, d.run_left()});
    if (want == 0 || d.get_batch(tmp, want) != want) corrupt("fewer levels than the page's value count");
    for (size_t i = 0; i < want; ++i) {
      over |= tmp[i] > max ? 1u : 0u;
      present += tmp[i] == max;
    }
    done += want;
  }
  if (over) corrupt("a level exceeds the maximum " + std::to_string(max_level));
  return present;
}

// A level segment of a page whose rows are either all selected or all not.
struct Segment {
  size_t begin, end;
  bool selected;
};

}  // namespace

// The decoder's place between calls: the page reader's position, and the page at hand:
//   None:   the next page's header is not read yet;
//   Header: a data page's header is read (its rows, for flat columns) but it is not loaded:
//           it starts at or after the window's end, or nothing before that end is selected;
//   Loaded: a data page is decompressed, its levels are in scratch and its values decoder
//           stands at level `level_` (it is partly consumed: the window ended inside it).
class LeafDecoder::Impl {
 public:
  Impl(const ChunkInfo& info, const page::PageReaderOptions& options)
      : info_(info),
        col_(*info.column),
        max_def_(col_.max_definition_level),
        max_rep_(col_.max_repetition_level),
        to_validity_(info.levels_as_validity && max_rep_ == 0 && max_def_ > 0),
        by_location_(!info.page_locations.empty()),
        pages_(info.file_offset, info.file_offset + info.size, info.codec, options) {
    dict_.width = physical_width(col_.physical_type, info.type_length);
    fallback_.width = dict_.width;
  }

  void supply(std::span<const uint8_t> bytes, int64_t file_offset) { pages_.supply(bytes, file_offset); }

  std::optional<ByteRange> read(int64_t end, const RowSelection* selection, LeafColumn& out) {
    out_ = &out;
    sel_ = selection;
    // Rows before the window (those of earlier calls) are never wanted again: a page left
    // unread because none of its rows was wanted then starts before the window.
    const int64_t window_begin = done_until_;
    if (next_row_ < window_begin && (!sel_ || sel_->intersects(next_row_, window_begin))) {
      const column::RowSelection from = RowSelection::of({{window_begin, info_.num_rows}});
      window_selection_ = sel_ ? sel_->intersect(from) : from;
      sel_ = &window_selection_;
    }
    // The last window takes every page left, whatever rows the pages claim.
    end_ = end >= info_.num_rows ? INT64_MAX : end;
    if (out.num_levels == 0 && out.values.count == 0) {
      out.values.width = dict_.width;
      out.has_validity = to_validity_;
      reserve();
    }
    const int64_t loaded_before = pages_.pages_loaded();
    std::optional<ByteRange> need = run();
    out.pages_decompressed += pages_.pages_loaded() - loaded_before;
    if (!need) done_until_ = end_;
    return need;
  }

  void finish(LeafColumn& out) {
    if (state_ != State::None) corrupt("a page is left undecoded past the row group's last row");
    // Pages found by location are not all visited: their count cannot be checked.
    if (!by_location_ && levels_seen_ != info_.num_values) {
      corrupt("the column chunk's pages hold " + std::to_string(levels_seen_) + " values, its metadata says " +
              std::to_string(info_.num_values));
    }
    if (info_.keep_dictionary) {
      check_dictionary_size();
      out.dictionary_encoded = true;
      out.dictionary = std::move(dict_);
      append_binary(out.dictionary, fallback_);
    }
  }

  void window_dictionary(LeafColumn& out) {
    check_dictionary_size();
    encoding::ValueBuffer& d = out.dictionary;
    d.clear();
    d.width = dict_.width;
    d.max_length = dict_.max_length;
    append_binary(d, dict_);
    append_binary(d, fallback_);
    fallback_.clear();
    out.dictionary_encoded = true;
  }

 private:
  enum class State { None, Header, Loaded };

  void check_dictionary_size() const {
    if (dict_.count + fallback_.count > static_cast<size_t>(INT32_MAX)) {
      corrupt("dictionary larger than int32 indices reach");
    }
  }

  // Appends the byte arrays of `from` to `to` (dictionaries kept as such are byte arrays).
  static void append_binary(encoding::ValueBuffer& to, const encoding::ValueBuffer& from) {
    if (from.count == 0) return;
    const int64_t base = static_cast<int64_t>(to.data.size()) - from.offsets[0];
    to.data.append(from.data.data() + from.offsets[0], static_cast<size_t>(from.offsets[from.count] - from.offsets[0]));
    for (size_t i = 1; i <= from.count; ++i) to.offsets.push_back(base + from.offsets[i]);
    to.count += from.count;
  }

  std::optional<ByteRange> run() {
    if (by_location_ && !started_) {
      // What lies before the first data page: the dictionary page, if any. Only the bytes
      // the offset index accounts for are read: no page is read past them.
      const int64_t first = info_.page_locations[0].offset;
      if (pages_.position() == info_.file_offset) pages_.seek(info_.file_offset, first, 0);
      while (pages_.position() < first) {
        const auto next = pages_.next_header(page_);
        if (next == Next::NeedBytes) return pages_.need();
        if (next == Next::End) break;
        with_page_context(page_, [&] {
          if (page_.type != PageType::DictionaryPage) corrupt("a data page before the offset index's first page");
          read_dictionary(page_);
        });
      }
      started_ = true;
    }
    while (true) {
      if (state_ == State::Loaded) {
        bool page_done = false;
        with_page_context(page_, [&] { page_done = consume_loaded(); });
        if (!page_done) return std::nullopt;
        state_ = State::None;
      }
      if (state_ == State::None) {
        const auto next = by_location_ ? next_located_page() : next_page();
        if (next == Next::NeedBytes) return pages_.need();
        if (next == Next::End) return std::nullopt;
        state_ = State::Header;
      }
      bool placed = false;
      with_page_context(page_, [&] { placed = place_page(); });
      if (!placed) return std::nullopt;
    }
  }

  using Next = page::PageReader::Next;

  // The next data page's header by the page headers (dictionary pages read on the way).
  Next next_page() {
    while (true) {
      // Stop once the chunk's values are read: what may follow (padding added for writers
      // that under-reported chunk sizes) belongs to the next chunk.
      if (levels_seen_ >= info_.num_values) return Next::End;
      const Next next = pages_.next_header(page_);
      if (next != Next::Page) return next;
      if (page_.type == PageType::DictionaryPage) {
        with_page_context(page_, [&] { read_dictionary(page_); });
        continue;
      }
      // Nested columns: rows are counted from the repetition levels, not from v2 headers
      // (Arrow C++ before 12 wrote num_rows = num_values for repeated columns).
      page_rows_ = max_rep_ == 0 ? page_.num_values : -1;
      return Next::Page;
    }
  }

  // The next data page holding a selected row before the window's end, by the offset
  // index's locations; pages passed have no selected row (they are never read). End when
  // the next page with a selected row lies past the window.
  Next next_located_page() {
    const auto locations = info_.page_locations;
    for (; next_location_ < locations.size(); ++next_location_) {
      const format::PageLocation& at = locations[next_location_];
      const int64_t first = at.first_row_index;
      const int64_t last = next_location_ + 1 < locations.size() ? locations[next_location_ + 1].first_row_index
                                                                 : info_.num_rows;
      if (first < next_row_ || last < first) {
        throw Error(ErrorKind::Corrupt, "the offset index's first rows are not increasing",
                    ErrorContext{{}, {}, {}, at.offset});
      }
      if (first >= end_) return Next::End;
      const int64_t until = std::min(last, end_);
      if (sel_ && !sel_->intersects(first, until)) {
        if (last > end_) return Next::End;  // rows after the window's end may be selected later
        ++out_->pages_skipped;
        next_row_ = last;
        continue;
      }
      pages_.seek(at.offset, at.offset + at.compressed_page_size, static_cast<int64_t>(next_location_));
      const Next next = pages_.next_header(page_);
      if (next == Next::NeedBytes) return next;
      if (next == Next::End || page_.type == PageType::DictionaryPage) {
        throw Error(ErrorKind::Corrupt, "no data page where the offset index places one",
                    ErrorContext{{}, {}, {}, at.offset});
      }
      next_row_ = first;
      page_rows_ = last - first;
      ++next_location_;
      return Next::Page;
    }
    return Next::End;
  }

  // Decides what to do with the data page whose header is at hand: skip it, decode it whole
  // or in part, or leave it for a later window (false: the window is done).
  bool place_page() {
    const size_t n = static_cast<size_t>(page_.num_values);
    if (page_rows_ >= 0) {
      if (static_cast<int64_t>(n) != page_rows_) {
        corrupt("the page holds " + std::to_string(n) + " values, its offset index entry " + std::to_string(page_rows_) +
                " rows");
      }
      const int64_t first = next_row_, last = first + page_rows_;
      if (first >= end_) return false;
      if (last <= end_) {
        state_ = State::None;
        if (sel_ && !sel_->intersects(first, last)) {
          count_levels(n);  // checked against the chunk's count at the end
          next_row_ = last;
          ++out_->pages_skipped;
          return true;
        }
        load_page(n);
        if (!sel_ || covers(*sel_, first, last)) {
          whole_page(n);
          next_row_ = last;
        } else {
          load_levels(n);
          consume_loaded();
        }
        return true;
      }
      // The page runs past the window's end.
      if (sel_ && !sel_->intersects(first, end_)) return false;
    } else if (end_ == INT64_MAX && !sel_) {
      // A nested page in the last window, every row wanted: all its levels go.
      state_ = State::None;
      load_page(n);
      whole_page(n);
      return true;
    }
    load_page(n);
    load_levels(n);
    state_ = State::Loaded;
    return true;
  }

  void count_levels(size_t n) {
    if (levels_seen_ + static_cast<int64_t>(n) > info_.num_values) {
      corrupt("pages hold more values than the column chunk's " + std::to_string(info_.num_values));
    }
    levels_seen_ += static_cast<int64_t>(n);
  }

  void load_page(size_t n) {
    count_levels(n);
    pages_.load(page_);
  }

  // The loaded page's levels and its values decoder, for consume_loaded. Flat columns with
  // RLE definition levels keep a decoder over them, consumed run by run as rows go (no
  // level is stored); the others decode them into scratch.
  void load_levels(size_t n) {
    level_ = 0;
    page_levels_ = n;
    flat_levels_.reset();
    if (max_rep_ == 0) {
      std::span<const uint8_t> values = page_.body;
      std::span<const uint8_t> section;
      bool rle = max_def_ == 0;
      if (max_def_ > 0 && page_.type == PageType::DataPageV2) {
        section = page_.def_levels;
        rle = true;
      } else if (max_def_ > 0 && page_.def_level_encoding == Encoding::Rle) {
        section = rle_levels_v1(page_.body);
        values = page_.body.subspan(4 + section.size());
        rle = true;
      }
      if (rle) {
        size_t present = n;
        if (max_def_ > 0) {
          flat_levels_.emplace(section.data(), section.size(), util::bit_width_of(static_cast<uint64_t>(max_def_)));
          encoding::RleBitPackedDecoder counter = *flat_levels_;
          present = count_present(counter, n, max_def_);
        }
        check_nulls(n, present);
        values_.emplace(values_of(page_, values, present));
        return;
      }
    }
    scratch_rep_.clear();
    scratch_def_.clear();
    const std::span<const uint8_t> values = levels_of(page_, n, scratch_rep_, scratch_def_);
    size_t present = n;
    if (max_def_ > 0) {
      present = 0;
      for (size_t i = 0; i < n; ++i) present += scratch_def_[i] == max_def_;
    }
    check_nulls(n, present);
    values_.emplace(values_of(page_, values, present));
  }

  void check_nulls(size_t n, size_t present) const {
    if (page_.num_nulls >= 0 && max_rep_ == 0 && present != n - static_cast<size_t>(page_.num_nulls)) {
      corrupt("v2 page says " + std::to_string(page_.num_nulls) + " nulls, its levels say " + std::to_string(n - present));
    }
  }

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
  void reserve() {
    int64_t values = info_.num_values;
    if (sel_ || end_ != INT64_MAX || next_row_ > 0) {
      if (max_rep_ > 0) return;  // rows do not say how many values
      const int64_t window = std::min(end_, info_.num_rows) - next_row_;
      values = std::min(values, sel_ ? std::min(window, sel_->row_count()) : window);
    }
    const size_t expected =
        static_cast<size_t>(std::max<int64_t>(0, std::min<int64_t>(values, info_.size * 8)));
    LeafColumn& out = *out_;
    if (out.values.width == 0 && !info_.keep_dictionary) out.values.offsets.reserve(expected + 1);
    if (out.values.width > 0) {
      out.values.fixed.reserve(expected * out.values.width);
    } else if (!sel_ && end_ == INT64_MAX && col_.physical_type == PhysicalType::ByteArray &&
               info_.uncompressed_size > (int64_t{64} << 20)) {
      // Large string chunks: address space for the values the pages hold, so that growing
      // does not copy gigabytes (untouched pages of it cost no memory). Capped: it is a hint.
      out.values.data.reserve(static_cast<size_t>(std::min<int64_t>(info_.uncompressed_size, int64_t{16} << 30)));
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
    LeafColumn& out = *out_;
    if (!info_.keep_dictionary) {
      values.read(present, out.values);
      return;
    }
    if (values.dictionary_encoded()) {
      values.read_indices(present, out.indices);
      return;
    }
    // A page that fell back from the dictionary: its values join the dictionary of this
    // window (not the chunk's, which a stream would otherwise copy ever longer).
    const size_t first = dict_.count + fallback_.count;
    values.read(present, fallback_);
    const size_t base = out.indices.size();
    out.indices.resize(base + present * 4);
    int32_t* idx = reinterpret_cast<int32_t*>(out.indices.data() + base);
    for (size_t i = 0; i < present; ++i) idx[i] = static_cast<int32_t>(first + i);
  }

  PageValues values_of(const page::Page& page, std::span<const uint8_t> in, size_t present) {
    return PageValues(page.encoding, in, present, col_.physical_type, dict_.width, have_dict_ ? &dict_ : nullptr);
  }

  static bool covers(const RowSelection& sel, int64_t begin, int64_t end) {
    if (begin >= end) return true;
    const auto& r = sel.ranges();
    auto it = std::upper_bound(r.begin(), r.end(), begin, [](int64_t row, const RowRange& x) { return row < x.end; });
    return it != r.end() && it->begin <= begin && it->end >= end;
  }

  // Every level and value of the loaded page into the output.
  void whole_page(size_t n) {
    const page::Page& page = page_;
    LeafColumn& out = *out_;
    std::span<const uint8_t> values;
    size_t present = n;
    if (to_validity_) {
      ValidityWriter validity(out.validity, out.num_levels, n, max_def_);
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
      out.null_count += static_cast<int64_t>(n - present);
    } else {
      values = levels_of(page, n, out.rep_levels, out.def_levels);
      if (max_def_ > 0) {
        present = 0;
        for (size_t i = out.def_levels.size() - n; i < out.def_levels.size(); ++i) present += out.def_levels[i] == max_def_;
      }
    }
    if (page.num_nulls >= 0 && max_rep_ == 0 && present != n - static_cast<size_t>(page.num_nulls)) {
      corrupt("v2 page says " + std::to_string(page.num_nulls) + " nulls, its levels say " + std::to_string(n - present));
    }
    PageValues decoder = values_of(page, values, present);
    emit_values(decoder, present);
    out.num_levels += static_cast<int64_t>(n);
    if (max_rep_ > 0) count_rows(out.rep_levels.data() + out.rep_levels.size() - n, n);
  }

  // Nested columns: advances next_row_ over the rows that `n` levels start.
  void count_rows(const int16_t* rep, size_t n) {
    for (size_t i = 0; i < n; ++i) next_row_ += rep[i] == 0;
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

  // The loaded page's levels from level_ on, up to the first one of a row at or past the
  // window's end: those of selected rows are copied, their values read, the others'
  // values skipped. True when the page is used up.
  bool consume_loaded() {
    const size_t n = page_levels_;
    const size_t to = segments(level_, n);
    if (max_rep_ == 0 && (max_def_ == 0 || flat_levels_)) {
      consume_flat();
    } else {
      consume_scratch();
    }
    level_ = to;
    if (to < n) return false;
    values_.reset();
    return true;
  }

  // The segments of a flat page whose definition levels are read run by run.
  void consume_flat() {
    LeafColumn& out = *out_;
    PageValues& decoder = *values_;
    for (const Segment& s : segments_) {
      const size_t count = s.end - s.begin;
      size_t present = count;
      if (!s.selected) {
        if (max_def_ > 0) present = count_present(*flat_levels_, count, max_def_);
        decoder.skip(present);
        continue;
      }
      if (to_validity_) {
        ValidityWriter validity(out.validity, out.num_levels, count, max_def_);
        decode_validity(*flat_levels_, count, validity);
        present = validity.present();
        out.null_count += static_cast<int64_t>(count - present);
      } else if (max_def_ > 0) {
        decode_levels(*flat_levels_, max_def_, count, out.def_levels);
        present = static_cast<size_t>(std::count(out.def_levels.end() - static_cast<ptrdiff_t>(count), out.def_levels.end(),
                                                 static_cast<int16_t>(max_def_)));
      }
      emit_values(decoder, present);
      out.num_levels += static_cast<int64_t>(count);
    }
  }

  // The segments of a page whose levels are in scratch.
  void consume_scratch() {
    const int16_t* def = max_def_ > 0 ? scratch_def_.data() : nullptr;
    LeafColumn& out = *out_;
    PageValues& decoder = *values_;
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
        ValidityWriter validity(out.validity, out.num_levels, count, max_def_);
        validity.levels(def + s.begin, count);
        out.null_count += static_cast<int64_t>(count - present);
      } else {
        if (max_rep_ > 0) out.rep_levels.insert(out.rep_levels.end(), scratch_rep_.begin() + s.begin, scratch_rep_.begin() + s.end);
        if (max_def_ > 0) out.def_levels.insert(out.def_levels.end(), scratch_def_.begin() + s.begin, scratch_def_.begin() + s.end);
      }
      emit_values(decoder, present);
      out.num_levels += static_cast<int64_t>(count);
    }
  }

  bool selected(int64_t row, const RowRange*& r, const RowRange* end) const {
    if (!sel_) return true;
    while (r != end && r->end <= row) ++r;
    return r != end && r->begin <= row;
  }

  // Splits levels [from, n) of the page at hand into selected and unselected segments,
  // stopping at the first level of a row at or past the window's end; returns where it
  // stopped, and advances next_row_ past the rows started before there. Flat columns:
  // level i is row next_row_ + (i - from). Nested ones: a level with repetition level 0
  // starts a row; the others continue the current one (which may have begun on an earlier
  // page, or in the last window).
  size_t segments(size_t from, size_t n) {
    segments_.clear();
    auto add = [&](size_t begin, size_t end, bool selected) {
      if (begin == end) return;
      if (!segments_.empty() && segments_.back().selected == selected) segments_.back().end = end;
      else segments_.push_back({begin, end, selected});
    };
    static const std::vector<RowRange> kNone;
    const auto& ranges = sel_ ? sel_->ranges() : kNone;
    const RowRange* const ranges_end = ranges.data() + ranges.size();
    // The first range that ends after `row` (earlier levels passed the others).
    const auto first_range = [&ranges](int64_t row) {
      const auto it =
          std::upper_bound(ranges.begin(), ranges.end(), row, [](int64_t x, const RowRange& r) { return x < r.end; });
      return ranges.data() + (it - ranges.begin());
    };
    if (max_rep_ == 0) {
      const int64_t first = next_row_;
      const int64_t last = first + static_cast<int64_t>(std::min<uint64_t>(n - from, static_cast<uint64_t>(end_ - first)));
      const size_t to = from + static_cast<size_t>(last - first);
      if (!sel_) {
        add(from, to, true);
      } else {
        // Two segments per range at most, and one after: sized once, not grown (and copied).
        const RowRange* const begin = first_range(first);
        const auto past = std::lower_bound(begin, ranges_end, last, [](const RowRange& x, int64_t row) { return x.begin < row; });
        segments_.reserve(2 * static_cast<size_t>(past - begin) + 1);
        size_t at = from;
        for (const RowRange* r = begin; r != ranges_end; ++r) {
          if (r->begin >= last) break;
          const auto b = from + static_cast<size_t>(std::max(r->begin, first) - first);
          const auto e = from + static_cast<size_t>(std::min(r->end, last) - first);
          add(at, b, false);
          add(b, e, true);
          at = e;
        }
        add(at, to, false);
      }
      next_row_ = last;
      return to;
    }
    const int16_t* rep = scratch_rep_.data();
    int64_t row = next_row_ - 1;  // the row level `from` continues, if it does
    const RowRange* r = first_range(std::max<int64_t>(0, row));
    bool is_selected = row >= 0 && selected(row, r, ranges_end);
    size_t begin = from, i = from;
    for (; i < n; ++i) {
      if (rep[i] != 0) {
        if (row < 0) corrupt("the column chunk's first level continues a row (repetition level > 0)");
        continue;
      }
      if (row + 1 >= end_) break;
      ++row;
      const bool s = selected(row, r, ranges_end);
      if (s != is_selected) {
        add(begin, i, is_selected);
        begin = i;
        is_selected = s;
      }
    }
    add(begin, i, is_selected);
    next_row_ = row + 1;
    return i;
  }

  const ChunkInfo info_;
  const ColumnDescriptor& col_;
  const int max_def_, max_rep_;
  const bool to_validity_;
  const bool by_location_;
  page::PageReader pages_;
  // The current call's output, selection and window end.
  LeafColumn* out_ = nullptr;
  const RowSelection* sel_ = nullptr;
  RowSelection window_selection_;  // the caller's, less rows of earlier calls
  int64_t done_until_ = 0;         // rows before this were the last call's
  int64_t end_ = 0;
  bool started_ = false;   // by location: the dictionary is read
  encoding::ValueBuffer dict_;
  encoding::ValueBuffer fallback_;  // keep_dictionary: values of fallback pages, this window
  bool have_dict_ = false;
  State state_ = State::None;
  page::Page page_;              // the page at hand (state_ Header or Loaded)
  int64_t page_rows_ = -1;       // its rows, if known before its levels (flat columns)
  std::optional<PageValues> values_;  // Loaded: its values, from level_ on
  // Loaded flat pages with RLE definition levels: the levels from level_ on (else scratch).
  std::optional<encoding::RleBitPackedDecoder> flat_levels_;
  size_t level_ = 0;
  size_t page_levels_ = 0;
  size_t next_location_ = 0;  // by location: the next page's entry
  int64_t levels_seen_ = 0;   // levels of the data pages passed (read or skipped)
  int64_t next_row_ = 0;      // the row of the next level (at level_ of a loaded page, else
                              // the first row of the next page); nested: rows started so far
  std::vector<int16_t> scratch_rep_, scratch_def_;
  std::vector<Segment> segments_;
};

LeafDecoder::LeafDecoder(const ChunkInfo& info, const page::PageReaderOptions& options)
    : impl_(std::make_unique<Impl>(info, options)) {}
LeafDecoder::~LeafDecoder() = default;
void LeafDecoder::supply(std::span<const uint8_t> bytes, int64_t file_offset) { impl_->supply(bytes, file_offset); }
std::optional<LeafDecoder::ByteRange> LeafDecoder::read(int64_t end, const RowSelection* selection, LeafColumn& out) {
  return impl_->read(end, selection, out);
}
void LeafDecoder::finish(LeafColumn& out) { impl_->finish(out); }
void LeafDecoder::window_dictionary(LeafColumn& out) { impl_->window_dictionary(out); }

LeafColumn read_leaf(std::span<const uint8_t> chunk, const ChunkInfo& info, const RowSelection* selection,
                     const page::PageReaderOptions& options) {
  LeafDecoder decoder(info, options);
  decoder.supply(chunk, info.file_offset);
  LeafColumn out;
  if (const auto need = decoder.read(INT64_MAX, selection, out)) {
    throw Error(ErrorKind::Corrupt, "the column chunk ends inside a page",
                ErrorContext{{}, {}, {}, need->offset});
  }
  decoder.finish(out);
  return out;
}

}  // namespace parkett::column
