#include "encoding/encoders.h"

#include <algorithm>
#include <cstring>
#include <string_view>

#include "encoding/rle_bit_packed_encoder.h"
#include "util/bit_unpack.h"

namespace parkett::encoding {
namespace {

uint8_t* grow(std::vector<uint8_t>& out, size_t n) {
  const size_t at = out.size();
  out.resize(at + n);
  return out.data() + at;
}

uint64_t zigzag(int64_t v) { return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63); }

// `n` values of `width` bits (0..64), least significant bit first.
void pack64(const uint64_t* v, size_t n, int width, std::vector<uint8_t>& out) {
  if (width == 0) return;
  unsigned __int128 acc = 0;
  int bits = 0;
  const uint64_t mask = width == 64 ? ~uint64_t{0} : (uint64_t{1} << width) - 1;
  for (size_t i = 0; i < n; ++i) {
    acc |= static_cast<unsigned __int128>(v[i] & mask) << bits;
    bits += width;
    while (bits >= 64) {
      const uint64_t word = static_cast<uint64_t>(acc);
      std::memcpy(grow(out, 8), &word, 8);
      acc >>= 64;
      bits -= 64;
    }
  }
  while (bits > 0) {
    out.push_back(static_cast<uint8_t>(acc));
    acc >>= 8;
    bits -= 8;
  }
}

constexpr size_t kBlock = 128;
constexpr size_t kMiniblocks = 4;
constexpr size_t kMiniblock = kBlock / kMiniblocks;

// Values already widened to int64; `wrap32` makes deltas wrap at 32 bits (INT32 columns).
void delta_encode(const int64_t* v, size_t n, bool wrap32, std::vector<uint8_t>& out) {
  put_varint(kBlock, out);
  put_varint(kMiniblocks, out);
  put_varint(n, out);
  put_varint(zigzag(n ? v[0] : 0), out);
  uint64_t deltas[kBlock];
  for (size_t start = 1; start < n; start += kBlock) {
    const size_t count = std::min(kBlock, n - start);
    int64_t min_delta = INT64_MAX;
    int64_t raw[kBlock];
    for (size_t i = 0; i < count; ++i) {
      const uint64_t d = static_cast<uint64_t>(v[start + i]) - static_cast<uint64_t>(v[start + i - 1]);
      raw[i] = wrap32 ? static_cast<int64_t>(static_cast<int32_t>(static_cast<uint32_t>(d))) : static_cast<int64_t>(d);
      min_delta = std::min(min_delta, raw[i]);
    }
    for (size_t i = 0; i < count; ++i) {
      uint64_t d = static_cast<uint64_t>(raw[i]) - static_cast<uint64_t>(min_delta);
      deltas[i] = wrap32 ? static_cast<uint32_t>(d) : d;
    }
    std::fill(deltas + count, deltas + kBlock, 0);
    put_varint(zigzag(min_delta), out);
    int widths[kMiniblocks];
    const size_t used = (count + kMiniblock - 1) / kMiniblock;
    for (size_t m = 0; m < kMiniblocks; ++m) {
      uint64_t all = 0;
      if (m < used) {
        for (size_t i = m * kMiniblock; i < (m + 1) * kMiniblock; ++i) all |= deltas[i];
      }
      widths[m] = util::bit_width_of(all);
      out.push_back(static_cast<uint8_t>(widths[m]));
    }
    // Miniblocks past the last value are left out (their widths are 0).
    for (size_t m = 0; m < used; ++m) pack64(deltas + m * kMiniblock, kMiniblock, widths[m], out);
  }
}

// DELTA_LENGTH_BYTE_ARRAY of values[i] for i < n: the lengths, then the bytes.
template <class Values>
void delta_length_byte_array(const Values& values, size_t n, std::vector<uint8_t>& out) {
  std::vector<int64_t> lengths(n);
  size_t total = 0;
  for (size_t i = 0; i < n; ++i) {
    lengths[i] = static_cast<int64_t>(values[i].size());
    total += values[i].size();
  }
  delta_encode(lengths.data(), lengths.size(), true, out);
  uint8_t* dst = grow(out, total);
  for (size_t i = 0; i < n; ++i) {
    const std::string_view v = values[i];
    if (!v.empty()) std::memcpy(dst, v.data(), v.size());
    dst += v.size();
  }
}

}  // namespace

void encode_plain_fixed(const uint8_t* values, size_t n, size_t width, std::vector<uint8_t>& out) {
  if (n) std::memcpy(grow(out, n * width), values, n * width);
}

void encode_plain_booleans(const uint8_t* values, size_t n, std::vector<uint8_t>& out) {
  if (n == 0) return;  // an all-null page: no values (and no buffer to clear)
  uint8_t* dst = grow(out, (n + 7) / 8);
  std::memset(dst, 0, (n + 7) / 8);
  for (size_t i = 0; i < n; ++i) dst[i >> 3] |= static_cast<uint8_t>((values[i] & 1) << (i & 7));
}

void encode_plain_binary(const ByteArrays& values, std::vector<uint8_t>& out) {
  uint8_t* dst = grow(out, 4 * values.size() + values.total_bytes());
  for (size_t i = 0; i < values.size(); ++i) {
    const std::string_view v = values[i];
    const uint32_t len = static_cast<uint32_t>(v.size());
    std::memcpy(dst, &len, 4);
    if (len) std::memcpy(dst + 4, v.data(), len);
    dst += 4 + len;
  }
}

void encode_rle_booleans(const uint8_t* values, size_t n, std::vector<uint8_t>& out) {
  const size_t at = out.size();
  grow(out, 4);
  std::vector<uint32_t> bits(values, values + n);
  encode_rle_bit_packed(std::span<const uint32_t>(bits), 1, out);
  const uint32_t len = static_cast<uint32_t>(out.size() - at - 4);
  std::memcpy(out.data() + at, &len, 4);
}

void encode_delta_binary_packed(const uint8_t* values, size_t n, size_t width, std::vector<uint8_t>& out) {
  std::vector<int64_t> wide(n);
  if (width == 4) {
    for (size_t i = 0; i < n; ++i) {
      int32_t x;
      std::memcpy(&x, values + i * 4, 4);
      wide[i] = x;
    }
  } else if (n) {
    std::memcpy(wide.data(), values, n * 8);
  }
  delta_encode(wide.data(), n, width == 4, out);
}

void encode_delta_length_byte_array(const ByteArrays& values, std::vector<uint8_t>& out) {
  delta_length_byte_array(values, values.size(), out);
}

void encode_delta_byte_array(const ByteArrays& values, std::vector<uint8_t>& out) {
  std::vector<int64_t> prefixes(values.size());
  std::vector<std::string_view> suffixes(values.size());
  std::string_view previous;
  for (size_t i = 0; i < values.size(); ++i) {
    const std::string_view v = values[i];
    const size_t limit = std::min(previous.size(), v.size());
    size_t p = 0;
    while (p < limit && previous[p] == v[p]) ++p;
    prefixes[i] = static_cast<int64_t>(p);
    suffixes[i] = v.substr(p);
    previous = v;
  }
  delta_encode(prefixes.data(), prefixes.size(), true, out);
  delta_length_byte_array(suffixes, suffixes.size(), out);
}

void encode_byte_stream_split(const uint8_t* values, size_t n, size_t width, std::vector<uint8_t>& out) {
  uint8_t* dst = grow(out, n * width);
  for (size_t k = 0; k < width; ++k) {
    uint8_t* stream = dst + k * n;
    for (size_t i = 0; i < n; ++i) stream[i] = values[i * width + k];
  }
}

}  // namespace parkett::encoding
