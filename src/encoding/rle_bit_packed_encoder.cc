#include "encoding/rle_bit_packed_encoder.h"

#include <algorithm>

namespace parkett::encoding {

void put_varint(uint64_t v, std::vector<uint8_t>& out) {
  while (v >= 0x80) {
    out.push_back(static_cast<uint8_t>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<uint8_t>(v));
}

namespace {

template <class T>
void encode(std::span<const T> v, int bit_width, std::vector<uint8_t>& out) {
  const size_t value_bytes = (static_cast<size_t>(bit_width) + 7) / 8;
  std::vector<uint32_t> literal;  // values of the pending bit-packed run
  auto flush_literal = [&]() {
    if (literal.empty()) return;
    const size_t groups = (literal.size() + 7) / 8;
    literal.resize(groups * 8, 0);  // only ever padded at the very end
    put_varint((static_cast<uint64_t>(groups) << 1) | 1, out);
    pack_bits(literal.data(), literal.size(), bit_width, out);
    literal.clear();
  };
  size_t i = 0;
  while (i < v.size()) {
    size_t run = 1;
    while (i + run < v.size() && v[i + run] == v[i]) ++run;
    if (run >= 8) {
      // A pending bit-packed run must hold whole groups of eight: lend it values of this run.
      const size_t lend = std::min(run, (8 - literal.size() % 8) % 8);
      literal.insert(literal.end(), lend, static_cast<uint32_t>(v[i]));
      i += lend;
      run -= lend;
      if (literal.size() % 8 != 0) continue;
      flush_literal();
      if (run == 0) continue;
      put_varint(static_cast<uint64_t>(run) << 1, out);
      const uint32_t value = static_cast<uint32_t>(v[i]);
      for (size_t k = 0; k < value_bytes; ++k) out.push_back(static_cast<uint8_t>(value >> (8 * k)));
      i += run;
    } else {
      for (size_t k = 0; k < run; ++k) literal.push_back(static_cast<uint32_t>(v[i + k]));
      i += run;
    }
  }
  flush_literal();
}

}  // namespace

void pack_bits(const uint32_t* values, size_t count, int bit_width, std::vector<uint8_t>& out) {
  if (bit_width == 0) return;
  uint64_t acc = 0;
  int bits = 0;
  const uint64_t mask = bit_width == 32 ? 0xffffffffULL : ((uint64_t{1} << bit_width) - 1);
  for (size_t i = 0; i < count; ++i) {
    acc |= (static_cast<uint64_t>(values[i]) & mask) << bits;
    bits += bit_width;
    while (bits >= 8) {
      out.push_back(static_cast<uint8_t>(acc));
      acc >>= 8;
      bits -= 8;
    }
  }
  if (bits > 0) out.push_back(static_cast<uint8_t>(acc));
}

void encode_rle_bit_packed(std::span<const uint32_t> values, int bit_width, std::vector<uint8_t>& out) {
  encode(values, bit_width, out);
}

void encode_rle_bit_packed(std::span<const int16_t> values, int bit_width, std::vector<uint8_t>& out) {
  encode(values, bit_width, out);
}

}  // namespace parkett::encoding
