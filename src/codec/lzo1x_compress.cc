// LZO1X compression, written for parkett (liblzo2 is GPL): greedy matching through a hash of
// 4-byte sequences, emitting the M2 / M3 / M4 match forms and literal runs of the LZO1X
// stream format (the layout lzo1x_decompress reads), never the M1 forms.
#include <cstring>
#include <vector>

#include "codec/lzo1x.h"

namespace parkett::codec {
namespace {

constexpr size_t kMaxM2Distance = 0x800;   // 2 KiB
constexpr size_t kMaxM3Distance = 0x4000;  // 16 KiB
constexpr size_t kMaxM4Distance = 0xbfff;  // 48 KiB - 1
constexpr int kHashBits = 14;

uint32_t load32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

uint32_t hash(uint32_t v) { return (v * 2654435761u) >> (32 - kHashBits); }

// A length beyond what an instruction's bits hold: zero bytes of 255 each, then the rest.
void put_extension(size_t extra, std::vector<uint8_t>& out) {
  while (extra > 255) {
    out.push_back(0);
    extra -= 255;
  }
  out.push_back(static_cast<uint8_t>(extra));
}

class Emitter {
 public:
  explicit Emitter(std::vector<uint8_t>& out) : out_(out), start_(out.size()) {}

  void literals(const uint8_t* p, size_t n) {
    if (n == 0) return;
    if (out_.size() == start_ && n <= 238) {
      out_.push_back(static_cast<uint8_t>(17 + n));
    } else if (n <= 3) {
      out_[last_match_state_] |= static_cast<uint8_t>(n);  // the previous match's trailing literals
    } else if (n <= 18) {
      out_.push_back(static_cast<uint8_t>(n - 3));
    } else {
      out_.push_back(0);
      put_extension(n - 18, out_);
    }
    out_.insert(out_.end(), p, p + n);
  }

  // A match of `len` (>= 3) bytes at `dist` (1..kMaxM4Distance).
  void match(size_t len, size_t dist) {
    if (len <= 8 && dist <= kMaxM2Distance) {
      const size_t d = dist - 1;
      last_match_state_ = out_.size();
      out_.push_back(static_cast<uint8_t>(((len - 1) << 5) | ((d & 7) << 2)));
      out_.push_back(static_cast<uint8_t>(d >> 3));
      return;
    }
    size_t d;
    if (dist <= kMaxM3Distance) {
      d = dist - 1;
      if (len <= 33) {
        out_.push_back(static_cast<uint8_t>(32 | (len - 2)));
      } else {
        out_.push_back(32);
        put_extension(len - 33, out_);
      }
    } else {
      d = dist - 0x4000;
      const uint8_t high = static_cast<uint8_t>((d >> 11) & 8);
      if (len <= 9) {
        out_.push_back(static_cast<uint8_t>(16 | high | (len - 2)));
      } else {
        out_.push_back(static_cast<uint8_t>(16 | high));
        put_extension(len - 9, out_);
      }
    }
    last_match_state_ = out_.size();
    out_.push_back(static_cast<uint8_t>((d & 0x3fff) << 2));
    out_.push_back(static_cast<uint8_t>((d & 0x3fff) >> 6));
  }

  void end() {
    out_.push_back(16 | 1);  // M4 at distance 0x4000: the end-of-stream marker
    out_.push_back(0);
    out_.push_back(0);
  }

 private:
  std::vector<uint8_t>& out_;
  size_t start_;
  size_t last_match_state_ = 0;
};

}  // namespace

void lzo1x_compress(std::span<const uint8_t> in, std::vector<uint8_t>& out) {
  Emitter emit(out);
  const uint8_t* p = in.data();
  const size_t n = in.size();
  std::vector<int64_t> table(size_t{1} << kHashBits, -1);
  size_t literal_start = 0;
  size_t i = 0;
  while (n >= 8 && i + 4 <= n - 4) {
    const uint32_t v = load32(p + i);
    const uint32_t h = hash(v);
    const int64_t candidate = table[h];
    table[h] = static_cast<int64_t>(i);
    if (candidate >= 0) {
      const size_t dist = i - static_cast<size_t>(candidate);
      if (dist <= kMaxM4Distance && load32(p + candidate) == v) {
        size_t len = 4;
        while (i + len < n && p[i + len] == p[candidate + len]) ++len;
        emit.literals(p + literal_start, i - literal_start);
        emit.match(len, dist);
        i += len;
        literal_start = i;
        continue;
      }
    }
    ++i;
  }
  emit.literals(p + literal_start, n - literal_start);
  emit.end();
}

}  // namespace parkett::codec
