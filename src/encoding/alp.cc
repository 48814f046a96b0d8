#include "encoding/alp.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <string>

#include "parkett/error.h"
#include "util/bit_unpack.h"

namespace parkett::encoding {
namespace {

[[noreturn]] void corrupt(const std::string& what) { throw Error(ErrorKind::Corrupt, "ALP: " + what); }

// Per-type constants. The powers of ten are the correctly rounded literals in the type's own
// precision, and all arithmetic stays in that precision (as the reference writers do), so
// decoding is bit-exact.
template <class T>
struct Traits;

template <>
struct Traits<float> {
  using Int = int32_t;
  using UInt = uint32_t;
  static constexpr int kMaxExponent = 10;
  static constexpr float kPow10[] = {1e0f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f, 1e8f, 1e9f, 1e10f};
  static constexpr float kNegPow10[] = {1e0f,  1e-1f, 1e-2f, 1e-3f, 1e-4f, 1e-5f,
                                        1e-6f, 1e-7f, 1e-8f, 1e-9f, 1e-10f};
  // The largest floats whose rounding fits int32, and the fast-rounding constant 2^22 + 2^23.
  static constexpr float kEncodeLimit = 2147483520.0f;
  static constexpr float kMagic = 12582912.0f;
};

template <>
struct Traits<double> {
  using Int = int64_t;
  using UInt = uint64_t;
  static constexpr int kMaxExponent = 18;
  static constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8, 1e9,
                                      1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18};
  static constexpr double kNegPow10[] = {1e0,   1e-1,  1e-2,  1e-3,  1e-4,  1e-5,  1e-6,
                                         1e-7,  1e-8,  1e-9,  1e-10, 1e-11, 1e-12, 1e-13,
                                         1e-14, 1e-15, 1e-16, 1e-17, 1e-18};
  static constexpr double kEncodeLimit = 9223372036854774784.0;
  static constexpr double kMagic = 6755399441055744.0;
};

constexpr size_t kHeaderSize = 7;

template <class U>
U load(const uint8_t* p) {
  U v;
  std::memcpy(&v, p, sizeof(U));
  return v;
}

template <class U>
void store(std::vector<uint8_t>& out, U v) {
  const size_t at = out.size();
  out.resize(at + sizeof(U));
  std::memcpy(out.data() + at, &v, sizeof(U));
}

template <class T>
T decode_one(typename Traits<T>::Int enc, int e, int f) {
  T v = static_cast<T>(enc) * Traits<T>::kPow10[f];
  return v * Traits<T>::kNegPow10[e];
}

template <class T>
void decode(std::span<const uint8_t> in, size_t n, ValueBuffer& out) {
  using Tr = Traits<T>;
  using UInt = typename Tr::UInt;
  if (in.size() < kHeaderSize) {
    if (n == 0 && in.empty()) return;  // some writers leave a page without values empty
    corrupt("section of " + std::to_string(in.size()) + " bytes is shorter than its header");
  }
  if (in[0] != 0) throw Error(ErrorKind::Unsupported, "ALP compression mode " + std::to_string(in[0]));
  if (in[1] != 0) throw Error(ErrorKind::Unsupported, "ALP integer encoding " + std::to_string(in[1]));
  const int log_vector = in[2];
  if (log_vector < 3 || log_vector > 15) corrupt("vector size 2^" + std::to_string(log_vector));
  const int32_t count = load<int32_t>(in.data() + 3);
  if (count < 0 || static_cast<size_t>(count) != n) {
    corrupt("page section holds " + std::to_string(count) + " values, its levels say " + std::to_string(n));
  }
  const size_t vector_size = size_t{1} << log_vector;
  const size_t vectors = (n + vector_size - 1) / vector_size;
  const std::span<const uint8_t> body = in.subspan(kHeaderSize);
  if (body.size() / 4 < vectors) corrupt("offsets of " + std::to_string(vectors) + " vectors run past the page");

  const size_t start = out.fixed.size();
  out.fixed.resize(start + n * sizeof(T));
  T* dst = reinterpret_cast<T*>(out.fixed.data() + start);
  std::vector<UInt> deltas(std::min(vector_size, n));
  constexpr size_t kForSize = sizeof(UInt) + 1;
  for (size_t v = 0; v < vectors; ++v) {
    auto bad = [&](const std::string& what) { corrupt("vector " + std::to_string(v) + ": " + what); };
    const size_t len = std::min(vector_size, n - v * vector_size);
    const size_t at = load<uint32_t>(body.data() + 4 * v);
    if (at > body.size() || body.size() - at < 4 + kForSize) bad("starts past the page");
    const uint8_t* p = body.data() + at;
    const int e = p[0], f = p[1];
    const size_t exceptions = load<uint16_t>(p + 2);
    if (e > Tr::kMaxExponent || f > e) bad("exponent " + std::to_string(e) + " and factor " + std::to_string(f));
    if (exceptions > len) bad(std::to_string(exceptions) + " exceptions among " + std::to_string(len) + " values");
    const UInt frame = load<UInt>(p + 4);
    const int bw = p[4 + sizeof(UInt)];
    if (bw > static_cast<int>(8 * sizeof(UInt))) bad("bit width " + std::to_string(bw));
    const size_t packed = util::bit_packed_bytes(len, bw);
    const size_t size = 4 + kForSize + packed + exceptions * (2 + sizeof(T));
    if (body.size() - at < size) bad("runs past the page");
    const uint8_t* bits = p + 4 + kForSize;
    if constexpr (sizeof(UInt) == 4) {
      util::unpack32(bits, packed, deltas.data(), len, bw);
    } else {
      util::unpack64(bits, packed, deltas.data(), len, bw);
    }
    T* d = dst + v * vector_size;
    for (size_t i = 0; i < len; ++i) {
      // Wrap-around addition, then the bits as a signed integer.
      const auto enc = static_cast<typename Tr::Int>(static_cast<UInt>(deltas[i] + frame));
      d[i] = decode_one<T>(enc, e, f);
    }
    const uint8_t* positions = bits + packed;
    const uint8_t* raw = positions + 2 * exceptions;
    for (size_t x = 0; x < exceptions; ++x) {
      const size_t pos = load<uint16_t>(positions + 2 * x);
      if (pos >= len) bad("exception position " + std::to_string(pos) + " of " + std::to_string(len) + " values");
      std::memcpy(d + pos, raw + x * sizeof(T), sizeof(T));
    }
  }
  out.count += n;
}

// ---- encoding ----

template <class T>
struct Choice {
  int e = 0, f = 0;
};

// Rounds to the nearest integer in T's precision (ties as the hardware rounds them; any
// mis-rounding is caught by the round-trip check).
template <class T>
T fast_round(T x) {
  using Tr = Traits<T>;
  return x >= 0 ? (x + Tr::kMagic) - Tr::kMagic : (x - Tr::kMagic) + Tr::kMagic;
}

// The integer for `v` under (e, f), or false when `v` must be an exception.
template <class T>
bool encode_one(T v, int e, int f, typename Traits<T>::Int& enc) {
  using Tr = Traits<T>;
  if (!std::isfinite(v) || (v == 0 && std::signbit(v))) return false;
  const T scaled = v * Tr::kPow10[e] * Tr::kNegPow10[f];
  if (!(scaled >= -Tr::kEncodeLimit && scaled <= Tr::kEncodeLimit)) return false;
  enc = static_cast<typename Tr::Int>(fast_round(scaled));
  const T back = decode_one<T>(enc, e, f);
  return std::memcmp(&back, &v, sizeof(T)) == 0;
}

// Estimated bits of `values` under (e, f): packed width times count plus exceptions.
template <class T>
uint64_t estimate(std::span<const T> values, int e, int f, size_t& good) {
  using Int = typename Traits<T>::Int;
  using UInt = typename Traits<T>::UInt;
  Int lo = std::numeric_limits<Int>::max(), hi = std::numeric_limits<Int>::min();
  size_t exceptions = 0;
  for (T v : values) {
    Int enc;
    if (encode_one(v, e, f, enc)) {
      lo = std::min(lo, enc);
      hi = std::max(hi, enc);
    } else {
      ++exceptions;
    }
  }
  good = values.size() - exceptions;
  const int width = good == 0 ? 0 : std::bit_width(static_cast<UInt>(static_cast<UInt>(hi) - static_cast<UInt>(lo)));
  return static_cast<uint64_t>(values.size()) * static_cast<uint64_t>(width) +
         exceptions * (8 * sizeof(T) + 16);
}

// Up to 256 evenly spaced values of `values`.
template <class T>
std::vector<T> sample(std::span<const T> values) {
  const size_t step = std::max<size_t>(1, (values.size() + 255) / 256);
  std::vector<T> out;
  for (size_t i = 0; i < values.size(); i += step) out.push_back(values[i]);
  return out;
}

// The best (e, f) for `values` over every pair, ties to the larger e then f.
template <class T>
Choice<T> exhaustive(std::span<const T> values, uint64_t& best_bits) {
  Choice<T> best;
  best_bits = UINT64_MAX;
  for (int e = Traits<T>::kMaxExponent; e >= 0; --e) {
    for (int f = e; f >= 0; --f) {
      size_t good = 0;
      const uint64_t bits = estimate<T>(values, e, f, good);
      if (good < 2 && values.size() >= 2) continue;
      if (bits < best_bits) {
        best_bits = bits;
        best = {e, f};
      }
    }
  }
  return best;
}

// Level one of ALP's sampling: the few (e, f) pairs that win on samples across the page.
template <class T>
std::vector<Choice<T>> candidates(std::span<const T> values, size_t vector_size) {
  const size_t vectors = (values.size() + vector_size - 1) / vector_size;
  const size_t step = std::max<size_t>(1, vectors / 8);
  std::map<std::pair<int, int>, std::pair<int, uint64_t>> wins;  // (e, f) -> (wins, bits)
  for (size_t v = 0; v < vectors; v += step) {
    const size_t begin = v * vector_size;
    const auto s = sample<T>(values.subspan(begin, std::min(vector_size, values.size() - begin)));
    uint64_t bits;
    const Choice<T> c = exhaustive<T>(s, bits);
    auto& w = wins[{c.e, c.f}];
    ++w.first;
    w.second += bits;
  }
  std::vector<std::pair<std::pair<int, int>, std::pair<int, uint64_t>>> ranked(wins.begin(), wins.end());
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    if (a.second.first != b.second.first) return a.second.first > b.second.first;
    if (a.second.second != b.second.second) return a.second.second < b.second.second;
    return a.first > b.first;
  });
  std::vector<Choice<T>> out;
  for (size_t i = 0; i < ranked.size() && i < 5; ++i) out.push_back({ranked[i].first.first, ranked[i].first.second});
  return out;
}

template <class T>
void encode_vector(std::span<const T> values, const std::vector<Choice<T>>& preset, std::vector<uint8_t>& out) {
  using Tr = Traits<T>;
  using Int = typename Tr::Int;
  using UInt = typename Tr::UInt;
  // Level two: the best preset pair on a sample of this vector.
  Choice<T> best = preset.front();
  if (preset.size() > 1) {
    const auto s = sample<T>(values);
    uint64_t best_bits = UINT64_MAX;
    int worse = 0;
    for (const auto& c : preset) {
      size_t good;
      const uint64_t bits = estimate<T>(s, c.e, c.f, good);
      if (bits < best_bits) {
        best_bits = bits;
        best = c;
        worse = 0;
      } else if (++worse >= 4) {
        break;
      }
    }
  }
  std::vector<Int> enc(values.size());
  std::vector<uint16_t> positions;
  // Exception slots take the first encodable value's integer, so they widen nothing; the
  // decoder overwrites them with the raw exception values.
  bool have_filler = false;
  Int filler = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    if (encode_one(values[i], best.e, best.f, enc[i])) {
      if (!have_filler) {
        filler = enc[i];
        have_filler = true;
      }
    } else {
      positions.push_back(static_cast<uint16_t>(i));
    }
  }
  for (uint16_t p : positions) enc[p] = filler;
  const Int frame = values.empty() ? 0 : *std::min_element(enc.begin(), enc.end());
  UInt max_delta = 0;
  for (Int v : enc) max_delta = std::max(max_delta, static_cast<UInt>(static_cast<UInt>(v) - static_cast<UInt>(frame)));
  const int bw = std::bit_width(max_delta);

  out.push_back(static_cast<uint8_t>(best.e));
  out.push_back(static_cast<uint8_t>(best.f));
  store<uint16_t>(out, static_cast<uint16_t>(positions.size()));
  store<UInt>(out, static_cast<UInt>(frame));
  out.push_back(static_cast<uint8_t>(bw));
  // Bit-pack the deltas, least significant bit first.
  const size_t at = out.size();
  out.resize(at + util::bit_packed_bytes(values.size(), bw), 0);
  uint8_t* bits = out.data() + at;
  size_t bit = 0;
  for (Int v : enc) {
    const UInt d = static_cast<UInt>(static_cast<UInt>(v) - static_cast<UInt>(frame));
    for (int k = 0; k < bw;) {
      const int take = std::min(bw - k, 8 - static_cast<int>(bit & 7));
      bits[bit >> 3] |= static_cast<uint8_t>(((d >> k) & ((UInt{1} << take) - 1)) << (bit & 7));
      k += take;
      bit += static_cast<size_t>(take);
    }
  }
  for (uint16_t p : positions) store<uint16_t>(out, p);
  for (uint16_t p : positions) {
    const size_t x = out.size();
    out.resize(x + sizeof(T));
    std::memcpy(out.data() + x, &values[p], sizeof(T));
  }
}

template <class T>
void encode(std::span<const T> values, std::vector<uint8_t>& out, int log_vector_size) {
  if (log_vector_size < 3 || log_vector_size > 15) {
    throw Error(ErrorKind::InvalidArgument, "ALP vector size 2^" + std::to_string(log_vector_size) + " (3..15)");
  }
  if (values.size() > static_cast<size_t>(INT32_MAX)) throw Error(ErrorKind::InvalidArgument, "ALP page over 2^31 values");
  const size_t vector_size = size_t{1} << log_vector_size;
  const size_t base = out.size();
  out.push_back(0);  // compression mode: ALP
  out.push_back(0);  // integer encoding: frame of reference + bit packing
  out.push_back(static_cast<uint8_t>(log_vector_size));
  store<int32_t>(out, static_cast<int32_t>(values.size()));
  const size_t vectors = (values.size() + vector_size - 1) / vector_size;
  const size_t offsets_at = out.size();
  out.resize(offsets_at + 4 * vectors);
  if (vectors == 0) return;
  const std::vector<Choice<T>> preset = candidates<T>(values, vector_size);
  for (size_t v = 0; v < vectors; ++v) {
    const uint32_t offset = static_cast<uint32_t>(out.size() - offsets_at);
    std::memcpy(out.data() + offsets_at + 4 * v, &offset, 4);
    const size_t begin = v * vector_size;
    encode_vector<T>(values.subspan(begin, std::min(vector_size, values.size() - begin)), preset, out);
  }
  (void)base;
}

}  // namespace

void decode_alp(std::span<const uint8_t> in, size_t n, ValueBuffer& out) {
  if (out.width == 4) return decode<float>(in, n, out);
  if (out.width == 8) return decode<double>(in, n, out);
  corrupt("ALP encoding on a column that is neither FLOAT nor DOUBLE");
}

void encode_alp(std::span<const float> values, std::vector<uint8_t>& out, int log_vector_size) {
  encode<float>(values, out, log_vector_size);
}

void encode_alp(std::span<const double> values, std::vector<uint8_t>& out, int log_vector_size) {
  encode<double>(values, out, log_vector_size);
}

}  // namespace parkett::encoding
