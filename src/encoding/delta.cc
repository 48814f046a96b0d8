#include "encoding/delta.h"

#include <cstring>
#include <string>

#include "parkett/error.h"
#include "util/bit_unpack.h"

namespace parkett::encoding {
namespace {

[[noreturn]] void corrupt(const std::string& what) {
  throw Error(ErrorKind::Corrupt, "DELTA data: " + what);
}

class Reader {
 public:
  explicit Reader(std::span<const uint8_t> in) : in_(in) {}
  uint64_t varint() {
    uint64_t v = 0;
    for (int shift = 0;; shift += 7) {
      if (pos_ >= in_.size()) corrupt("truncated header");
      if (shift > 63) corrupt("varint longer than 10 bytes");
      uint8_t b = in_[pos_++];
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
  }
  int64_t zigzag() {
    uint64_t v = varint();
    return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1);
  }
  size_t pos_ = 0;
  std::span<const uint8_t> in_;
};

}  // namespace

size_t decode_delta_binary_packed(std::span<const uint8_t> in, size_t n, std::vector<uint64_t>& out) {
  Reader r(in);
  const uint64_t block_size = r.varint();
  const uint64_t miniblocks = r.varint();
  const uint64_t total = r.varint();
  uint64_t value = static_cast<uint64_t>(r.zigzag());
  if (block_size == 0 || block_size % 128 != 0 || block_size > (1u << 20)) {
    corrupt("block size " + std::to_string(block_size));
  }
  if (miniblocks == 0 || block_size % miniblocks != 0 || (block_size / miniblocks) % 32 != 0) {
    corrupt(std::to_string(miniblocks) + " miniblocks in a block of " + std::to_string(block_size));
  }
  if (n > total) {
    corrupt("the stream holds " + std::to_string(total) + " values, " + std::to_string(n) + " are needed");
  }
  const size_t per_mini = static_cast<size_t>(block_size / miniblocks);
  out.resize(n);
  if (n == 0) return r.pos_;
  out[0] = value;
  size_t done = 1;
  std::vector<uint64_t> deltas(per_mini);
  std::vector<uint8_t> widths(static_cast<size_t>(miniblocks));
  while (done < n) {
    const uint64_t min_delta = static_cast<uint64_t>(r.zigzag());
    if (miniblocks > in.size() - r.pos_) corrupt("truncated miniblock bit widths");
    std::memcpy(widths.data(), in.data() + r.pos_, widths.size());
    r.pos_ += widths.size();
    for (size_t m = 0; m < widths.size() && done < n; ++m) {
      const int w = widths[m];
      if (w > 64) corrupt("miniblock bit width " + std::to_string(w));
      const size_t bytes = per_mini * static_cast<size_t>(w) / 8;
      if (bytes > in.size() - r.pos_) corrupt("truncated miniblock");
      util::unpack64(in.data() + r.pos_, bytes, deltas.data(), per_mini, w);
      r.pos_ += bytes;
      const size_t take = std::min(per_mini, n - done);
      for (size_t i = 0; i < take; ++i) {
        value += min_delta + deltas[i];
        out[done++] = value;
      }
    }
  }
  return r.pos_;
}

size_t decode_delta_integers(std::span<const uint8_t> in, size_t n, ValueBuffer& out) {
  std::vector<uint64_t> values;
  size_t used = decode_delta_binary_packed(in, n, values);
  const size_t start = out.fixed.size();
  out.fixed.resize(start + n * out.width);
  uint8_t* dst = out.fixed.data() + start;
  if (out.width == 4) {
    for (size_t i = 0; i < n; ++i) {
      uint32_t v = static_cast<uint32_t>(values[i]);
      std::memcpy(dst + i * 4, &v, 4);
    }
  } else if (out.width == 8) {
    if (n) std::memcpy(dst, values.data(), n * 8);
  } else {
    throw Error(ErrorKind::Corrupt, "DELTA_BINARY_PACKED is for INT32 and INT64 columns only");
  }
  out.count += n;
  return used;
}

namespace {

// Lengths from a DELTA_BINARY_PACKED stream, checked to be non-negative int32 values.
size_t decode_lengths(std::span<const uint8_t> in, size_t n, std::vector<uint64_t>& lengths) {
  size_t used = decode_delta_binary_packed(in, n, lengths);
  for (auto& l : lengths) {
    int32_t v = static_cast<int32_t>(l);
    if (v < 0) corrupt("negative length " + std::to_string(v));
    l = static_cast<uint32_t>(v);
  }
  return used;
}

void append_value(ValueBuffer& out, const uint8_t* p, size_t len) {
  if (out.is_binary()) {
    out.data.append(p, len);
    out.offsets.push_back(static_cast<int64_t>(out.data.size()));
  } else {
    if (len != out.width) {
      corrupt("value of " + std::to_string(len) + " bytes in a column of width " + std::to_string(out.width));
    }
    out.fixed.append(p, len);
  }
  ++out.count;
}

}  // namespace

size_t decode_delta_length_byte_array(std::span<const uint8_t> in, size_t n, ValueBuffer& out) {
  std::vector<uint64_t> lengths;
  size_t pos = decode_lengths(in, n, lengths);
  for (size_t i = 0; i < n; ++i) {
    if (lengths[i] > in.size() - pos) corrupt("byte array runs past the end of the page");
    append_value(out, in.data() + pos, static_cast<size_t>(lengths[i]));
    pos += static_cast<size_t>(lengths[i]);
  }
  return pos;
}

size_t decode_delta_byte_array(std::span<const uint8_t> in, size_t n, ValueBuffer& out) {
  std::vector<uint64_t> prefixes, suffixes;
  size_t pos = decode_lengths(in, n, prefixes);
  pos += decode_lengths(in.subspan(pos), n, suffixes);
  std::vector<uint8_t> previous, current;
  for (size_t i = 0; i < n; ++i) {
    if (prefixes[i] > previous.size()) {
      corrupt("prefix of " + std::to_string(prefixes[i]) + " bytes, the previous value has " +
              std::to_string(previous.size()));
    }
    if (suffixes[i] > in.size() - pos) corrupt("suffix runs past the end of the page");
    current.assign(previous.begin(), previous.begin() + static_cast<long>(prefixes[i]));
    current.insert(current.end(), in.begin() + static_cast<long>(pos),
                   in.begin() + static_cast<long>(pos + suffixes[i]));
    pos += static_cast<size_t>(suffixes[i]);
    append_value(out, current.data(), current.size());
    previous.swap(current);
  }
  return pos;
}

}  // namespace parkett::encoding
