#include "encoding/rle_bit_packed_encoder.h"

#include <cstring>

namespace parkett::encoding {

void put_varint(uint64_t v, std::vector<uint8_t>& out) {
  while (v >= 0x80) {
    out.push_back(static_cast<uint8_t>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<uint8_t>(v));
}

namespace {

// Appends values[0, count) packed in groups of eight (count a multiple of 8, or the very end
// of the data, where the last group is padded with zeros): a group of eight is exactly
// bit_width bytes, so the output size is known up front and written through a pointer.
template <class T>
void pack_groups(const T* values, size_t count, int bit_width, std::vector<uint8_t>& out) {
  const size_t groups = (count + 7) / 8;
  const size_t at = out.size();
  out.resize(at + groups * static_cast<size_t>(bit_width));
  uint8_t* dst = out.data() + at;
  const uint64_t mask = bit_width == 32 ? 0xffffffffULL : ((uint64_t{1} << bit_width) - 1);
  uint64_t acc = 0;
  int bits = 0;
  for (size_t i = 0; i < groups * 8; ++i) {
    const uint64_t v = i < count ? static_cast<uint64_t>(static_cast<uint32_t>(values[i])) & mask : 0;
    acc |= v << bits;
    bits += bit_width;
    if (bits >= 32) {  // bits was below 32 and bit_width is at most 32: acc holds all of them
      const auto word = static_cast<uint32_t>(acc);
      std::memcpy(dst, &word, 4);
      dst += 4;
      acc >>= 32;
      bits -= 32;
    }
  }
  for (; bits > 0; bits -= 8, acc >>= 8) *dst++ = static_cast<uint8_t>(acc);
}

// Runs of eight or more equal values become RLE runs; the values between them are bit-packed.
// A bit-packed run holds whole groups of eight, so it borrows the first values of the RLE run
// that ends it when its length is not a multiple of eight. The pending bit-packed values are
// always v[literal, i), so they are packed straight from the input.
template <class T>
void encode(std::span<const T> v, int bit_width, std::vector<uint8_t>& out) {
  const size_t n = v.size();
  const size_t value_bytes = (static_cast<size_t>(bit_width) + 7) / 8;
  size_t literal = 0;  // start of the pending bit-packed values
  auto flush_literal = [&](size_t end) {
    if (end == literal) return;
    put_varint((static_cast<uint64_t>((end - literal + 7) / 8) << 1) | 1, out);
    if (bit_width > 0) pack_groups(v.data() + literal, end - literal, bit_width, out);
    literal = end;
  };
  size_t i = 0;
  while (i < n) {
    const T x = v[i];
    size_t run = 1;
    while (i + run < n && v[i + run] == x) ++run;
    if (run < 8) {
      i += run;
      continue;
    }
    const size_t lend = (8 - (i - literal) % 8) % 8;  // completes the pending group
    if (run - lend < 8) {  // what is left after lending is too short for its own run
      i += run;
      continue;
    }
    i += lend;
    run -= lend;
    flush_literal(i);
    put_varint(static_cast<uint64_t>(run) << 1, out);
    const auto value = static_cast<uint32_t>(x);
    for (size_t k = 0; k < value_bytes; ++k) out.push_back(static_cast<uint8_t>(value >> (8 * k)));
    i += run;
    literal = i;
  }
  flush_literal(n);
}

}  // namespace

void encode_rle_bit_packed(std::span<const uint32_t> values, int bit_width, std::vector<uint8_t>& out) {
  encode(values, bit_width, out);
}

void encode_rle_bit_packed(std::span<const int16_t> values, int bit_width, std::vector<uint8_t>& out) {
  encode(values, bit_width, out);
}

}  // namespace parkett::encoding
