#include "encoding/rle_bit_packed_encoder.h"

#include <cstring>
#include <utility>

namespace parkett::encoding {

void put_varint(uint64_t v, std::vector<uint8_t>& out) {
  while (v >= 0x80) {
    out.push_back(static_cast<uint8_t>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<uint8_t>(v));
}

namespace {

// Eight values of Width bits into Width bytes, least significant bit first.
template <int Width, class T>
void pack_eight(const T* v, uint8_t* dst) {
  constexpr uint64_t kMask = Width == 32 ? 0xffffffffULL : ((uint64_t{1} << Width) - 1);
  uint64_t acc = 0;
  int bits = 0;
  for (int k = 0; k < 8; ++k) {  // unrolled: every shift is a constant
    acc |= (static_cast<uint64_t>(static_cast<uint32_t>(v[k])) & kMask) << bits;
    bits += Width;
    if (bits >= 32) {
      const auto word = static_cast<uint32_t>(acc);
      std::memcpy(dst, &word, 4);
      dst += 4;
      acc >>= 32;
      bits -= 32;
    }
  }
  for (; bits > 0; bits -= 8, acc >>= 8) *dst++ = static_cast<uint8_t>(acc);
}

template <int Width, class T>
void pack_groups_of(const T* values, size_t groups, uint8_t* dst) {
  for (size_t g = 0; g < groups; ++g) pack_eight<Width>(values + 8 * g, dst + static_cast<size_t>(Width) * g);
}

template <class T, int... Widths>
void pack_groups_by_width(int width, const T* values, size_t groups, uint8_t* dst,
                          std::integer_sequence<int, Widths...>) {
  ((width == Widths + 1 ? pack_groups_of<Widths + 1>(values, groups, dst) : void()), ...);
}

// Appends values[0, count) packed in groups of eight (count a multiple of 8, or the very end
// of the data, where the last group is padded with zeros): a group of eight is exactly
// bit_width bytes, so the output size is known up front and written through a pointer.
template <class T>
void pack_groups(const T* values, size_t count, int bit_width, std::vector<uint8_t>& out) {
  const size_t groups = (count + 7) / 8;
  const size_t at = out.size();
  out.resize(at + groups * static_cast<size_t>(bit_width));
  uint8_t* dst = out.data() + at;
  const size_t whole = count / 8;
  pack_groups_by_width(bit_width, values, whole, dst, std::make_integer_sequence<int, 32>());
  if (whole < groups) {  // the padded last group
    T last[8] = {};
    for (size_t k = 0; k < count - whole * 8; ++k) last[k] = values[whole * 8 + k];
    pack_groups_by_width(bit_width, last, 1, dst + whole * static_cast<size_t>(bit_width), std::make_integer_sequence<int, 32>());
  }
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
    if (i + 8 <= n && v[i] != v[i + 7]) {  // no run of eight starts here
      ++i;
      continue;
    }
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
