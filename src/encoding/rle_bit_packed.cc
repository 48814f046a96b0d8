#include "encoding/rle_bit_packed.h"

#include <algorithm>
#include <string>

#include "parkett/error.h"
#include "util/bit_unpack.h"

namespace parkett::encoding {
namespace {

[[noreturn]] void corrupt(const std::string& what) {
  throw Error(ErrorKind::Corrupt, "RLE/bit-packed data: " + what);
}

}  // namespace

RleBitPackedDecoder::RleBitPackedDecoder(const uint8_t* data, size_t size, int bit_width)
    : data_(data), size_(size), bit_width_(bit_width) {
  if (bit_width < 0 || bit_width > 32) corrupt("bit width " + std::to_string(bit_width));
}

bool RleBitPackedDecoder::next_run() {
  if (pos_ >= size_) return false;
  uint64_t header = 0;
  for (int shift = 0;; shift += 7) {
    if (pos_ >= size_ || shift > 63) corrupt("truncated run header");
    uint8_t b = data_[pos_++];
    header |= static_cast<uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) break;
  }
  if (header & 1) {
    // Bit-packed: (header >> 1) groups of 8 values. A last group may be cut short by the
    // end of the page: only the values whose bits are present are usable.
    const uint64_t groups = header >> 1;
    const size_t avail = size_ - pos_;
    // 8 values of bit_width bits are bit_width bytes; saturate instead of overflowing.
    const uint64_t bytes = bit_width_ == 0 ? 0
                           : groups > avail ? avail
                                            : groups * static_cast<uint64_t>(bit_width_);
    const size_t take = static_cast<size_t>(std::min<uint64_t>(bytes, avail));
    rle_ = false;
    packed_ = data_ + pos_;
    packed_bytes_ = take;
    packed_index_ = 0;
    left_ = bit_width_ == 0 ? static_cast<size_t>(std::min<uint64_t>(groups * 8, SIZE_MAX / 2))
                            : take * 8 / static_cast<size_t>(bit_width_);
    pos_ += take;
  } else {
    const size_t value_bytes = (static_cast<size_t>(bit_width_) + 7) / 8;
    if (value_bytes > size_ - pos_) corrupt("truncated RLE value");
    uint32_t v = 0;
    for (size_t k = 0; k < value_bytes; ++k) v |= uint32_t{data_[pos_ + k]} << (8 * k);
    pos_ += value_bytes;
    rle_ = true;
    value_ = v;
    left_ = static_cast<size_t>(std::min<uint64_t>(header >> 1, SIZE_MAX / 2));
  }
  return true;
}

size_t RleBitPackedDecoder::get_batch(uint32_t* out, size_t n) {
  size_t done = 0;
  while (done < n) {
    if (left_ == 0) {
      if (!next_run()) break;
      continue;
    }
    size_t take = std::min(left_, n - done);
    if (rle_) {
      std::fill(out + done, out + done + take, value_);
    } else {
      // Unpack from the start of the run so bit offsets stay byte-aligned per value index.
      const size_t bit = packed_index_ * static_cast<size_t>(bit_width_);
      const size_t byte = bit / 8;
      if (bit % 8 == 0) {
        util::unpack32(packed_ + byte, packed_bytes_ - byte, out + done, take, bit_width_);
      } else {
        // Not byte-aligned (a batch ended mid-byte): realign on the group of 8 values.
        const size_t group_start = packed_index_ & ~size_t{7};
        const size_t lead = packed_index_ - group_start;
        uint32_t tmp[8];
        const size_t gbyte = group_start * static_cast<size_t>(bit_width_) / 8;
        const size_t in_group = std::min<size_t>(8, lead + left_);
        util::unpack32(packed_ + gbyte, packed_bytes_ - gbyte, tmp, in_group, bit_width_);
        take = std::min(take, in_group - lead);
        std::copy(tmp + lead, tmp + lead + take, out + done);
      }
      packed_index_ += take;
    }
    left_ -= take;
    done += take;
  }
  return done;
}

size_t RleBitPackedDecoder::get_batch_checked(uint32_t* out, size_t n, uint32_t limit) {
  size_t got = get_batch(out, n);
  uint32_t bad = 0;
  for (size_t i = 0; i < got; ++i) bad |= out[i] >= limit ? 1u : 0u;
  if (bad) {
    for (size_t i = 0; i < got; ++i) {
      if (out[i] >= limit) {
        corrupt("dictionary index " + std::to_string(out[i]) + " out of range for a dictionary of " +
                std::to_string(limit) + " values");
      }
    }
  }
  return got;
}

size_t RleBitPackedDecoder::skip(size_t n) {
  size_t done = 0;
  while (done < n) {
    if (left_ == 0) {
      if (!next_run()) break;
      continue;
    }
    size_t take = std::min(left_, n - done);
    if (!rle_) packed_index_ += take;
    left_ -= take;
    done += take;
  }
  return done;
}

size_t RleBitPackedDecoder::take_repeated(size_t n, uint32_t& value) {
  while (left_ == 0) {
    if (!next_run()) return 0;
  }
  if (!rle_) return 0;
  const size_t take = std::min(left_, n);
  value = value_;
  left_ -= take;
  return take;
}

void decode_bit_packed_levels(const uint8_t* data, size_t size, int bit_width, uint32_t* out,
                              size_t n) {
  if (bit_width < 0 || bit_width > 32) corrupt("bit width " + std::to_string(bit_width));
  if (util::bit_packed_bytes(n, bit_width) > size) {
    corrupt("BIT_PACKED levels need " + std::to_string(util::bit_packed_bytes(n, bit_width)) +
            " bytes, the page has " + std::to_string(size));
  }
  size_t bit = 0;
  for (size_t i = 0; i < n; ++i) {
    uint32_t v = 0;
    for (int k = 0; k < bit_width; ++k, ++bit) {
      v = (v << 1) | ((data[bit / 8] >> (7 - bit % 8)) & 1u);
    }
    out[i] = v;
  }
}

}  // namespace parkett::encoding
