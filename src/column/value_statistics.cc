#include "column/value_statistics.h"

#include <cmath>
#include <cstring>

namespace parkett::column {
namespace {

using K = LogicalType::Kind;

template <class T>
T load(const std::string& s) {
  T v;
  std::memcpy(&v, s.data(), sizeof(T));
  return v;
}

template <class T>
std::string store(T v) {
  return std::string(reinterpret_cast<const char*>(&v), sizeof(T));
}

float half_to_float(uint16_t h) {
  const uint32_t sign = (h >> 15) & 1, exp = (h >> 10) & 0x1f, frac = h & 0x3ff;
  float v;
  if (exp == 0) v = std::ldexp(static_cast<float>(frac), -24);
  else if (exp == 31) v = frac ? NAN : INFINITY;
  else v = std::ldexp(static_cast<float>(frac | 0x400), static_cast<int>(exp) - 25);
  return sign ? -v : v;
}

float half_at(const uint8_t* p) {
  uint16_t h;
  std::memcpy(&h, p, 2);
  return half_to_float(h);
}

// Big-endian two's complement numbers of equal width.
bool less_signed_big_endian(const std::string& a, const std::string& b) {
  if (a.empty() || b.empty()) return a.size() < b.size();
  const bool na = static_cast<uint8_t>(a[0]) & 0x80, nb = static_cast<uint8_t>(b[0]) & 0x80;
  if (na != nb) return na;
  return std::memcmp(a.data(), b.data(), std::min(a.size(), b.size())) < 0;
}

// Integers: four independent running bounds, so the loop is not one long dependency chain.
template <class T>
MinMax typed(const encoding::ValueBuffer& v, int64_t begin, int64_t end) {
  MinMax out;
  if (begin >= end) return out;
  const uint8_t* p = v.value(static_cast<size_t>(begin));
  const auto n = static_cast<size_t>(end - begin);
  auto at = [p](size_t i) {
    T x;
    std::memcpy(&x, p + i * sizeof(T), sizeof(T));
    return x;
  };
  T lo[4], hi[4];
  for (int k = 0; k < 4; ++k) lo[k] = hi[k] = at(0);
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    for (size_t k = 0; k < 4; ++k) {
      const T x = at(i + k);
      lo[k] = x < lo[k] ? x : lo[k];
      hi[k] = hi[k] < x ? x : hi[k];
    }
  }
  for (; i < n; ++i) {
    const T x = at(i);
    lo[0] = x < lo[0] ? x : lo[0];
    hi[0] = hi[0] < x ? x : hi[0];
  }
  for (int k = 1; k < 4; ++k) {
    lo[0] = lo[k] < lo[0] ? lo[k] : lo[0];
    hi[0] = hi[0] < hi[k] ? hi[k] : hi[0];
  }
  out.present = true;
  out.min = store(lo[0]);
  out.max = store(hi[0]);
  return out;
}

// Floats: NaN fails every comparison, so it never becomes a bound and is only counted.
template <class T>
MinMax floating(const encoding::ValueBuffer& v, int64_t begin, int64_t end) {
  MinMax out;
  T lo = INFINITY, hi = -INFINITY;
  int64_t nans = 0;
  const uint8_t* p = begin < end ? v.value(static_cast<size_t>(begin)) : nullptr;
  for (int64_t i = 0, n = end - begin; i < n; ++i) {
    T x;
    std::memcpy(&x, p + static_cast<size_t>(i) * sizeof(T), sizeof(T));
    nans += x != x;
    lo = x < lo ? x : lo;
    hi = x > hi ? x : hi;
  }
  out.nan_count = nans;
  if (nans < end - begin) {
    out.present = true;
    // parquet.thrift ColumnOrder: a zero min is written as -0.0, a zero max as +0.0.
    if (lo == 0) lo = -T{0};
    if (hi == 0) hi = T{0};
    out.min = store(lo);
    out.max = store(hi);
  }
  return out;
}

// Unsigned lexicographic a < b, deciding most pairs on their first eight bytes.
bool bytes_less(std::string_view a, std::string_view b) {
  if (a.size() >= 8 && b.size() >= 8) {
    uint64_t x, y;
    std::memcpy(&x, a.data(), 8);
    std::memcpy(&y, b.data(), 8);
    if (x != y) return __builtin_bswap64(x) < __builtin_bswap64(y);
  }
  return a < b;
}

// totalOrder of W-byte floats as unsigned keys: negatives (sign set) reversed below the
// positives.
template <class U>
U total_key(U bits) {
  constexpr U kSign = U{1} << (sizeof(U) * 8 - 1);
  return (bits & kSign) ? static_cast<U>(~bits) : static_cast<U>(bits | kSign);
}

template <class U>
bool is_nan_bits(U bits) {
  constexpr uint64_t kExp = sizeof(U) == 2 ? 0x7C00 : sizeof(U) == 4 ? 0x7F800000 : 0x7FF0000000000000;
  constexpr uint64_t kMantissa = sizeof(U) == 2 ? 0x03FF : sizeof(U) == 4 ? 0x007FFFFF : 0x000FFFFFFFFFFFFF;
  return (bits & kExp) == kExp && (bits & kMantissa) != 0;
}

// Min/max in totalOrder: of the non-NaN values, or of the NaNs when there are only NaNs.
template <class U>
MinMax total_order(const encoding::ValueBuffer& v, int64_t begin, int64_t end) {
  MinMax out;
  bool have = false, have_nan = false;
  U lo = 0, hi = 0, nan_lo = 0, nan_hi = 0;
  for (int64_t i = begin; i < end; ++i) {
    U bits;
    std::memcpy(&bits, v.value(static_cast<size_t>(i)), sizeof(U));
    const U key = total_key(bits);
    if (is_nan_bits(bits)) {
      ++out.nan_count;
      if (!have_nan || key < total_key(nan_lo)) nan_lo = bits;
      if (!have_nan || key > total_key(nan_hi)) nan_hi = bits;
      have_nan = true;
    } else {
      if (!have || key < total_key(lo)) lo = bits;
      if (!have || key > total_key(hi)) hi = bits;
      have = true;
    }
  }
  if (have || have_nan) {
    out.present = true;
    out.nan_bounds = !have;
    out.min = store(have ? lo : nan_lo);
    out.max = store(have ? hi : nan_hi);
  }
  return out;
}

template <class U>
bool total_less(const std::string& a, const std::string& b) {
  return total_key(load<U>(a)) < total_key(load<U>(b));
}

}  // namespace

bool is_floating(SortOrder order) {
  switch (order) {
    case SortOrder::Float:
    case SortOrder::Double:
    case SortOrder::Float16:
    case SortOrder::FloatTotal:
    case SortOrder::DoubleTotal:
    case SortOrder::Float16Total: return true;
    default: return false;
  }
}

SortOrder sort_order_of(const SchemaNode& node, bool total) {
  const LogicalType& lt = node.logical_type;
  switch (*node.physical_type) {
    case PhysicalType::Boolean: return SortOrder::Boolean;
    case PhysicalType::Int32:
      return lt.kind == K::Integer && !lt.is_signed ? SortOrder::Unsigned32 : SortOrder::Signed32;
    case PhysicalType::Int64:
      return lt.kind == K::Integer && !lt.is_signed ? SortOrder::Unsigned64 : SortOrder::Signed64;
    case PhysicalType::Int96: return SortOrder::None;
    case PhysicalType::Float: return total ? SortOrder::FloatTotal : SortOrder::Float;
    case PhysicalType::Double: return total ? SortOrder::DoubleTotal : SortOrder::Double;
    case PhysicalType::ByteArray:
      return lt.kind == K::Decimal ? SortOrder::SignedBigEndian : SortOrder::Bytes;
    case PhysicalType::FixedLenByteArray:
      if (lt.kind == K::Decimal) return SortOrder::SignedBigEndian;
      if (lt.kind == K::Float16) return total ? SortOrder::Float16Total : SortOrder::Float16;
      if (node.converted_type == ConvertedType::Interval) return SortOrder::None;
      return SortOrder::Bytes;
  }
  return SortOrder::None;
}

bool less(const std::string& a, const std::string& b, SortOrder order) {
  switch (order) {
    case SortOrder::None: return false;
    case SortOrder::Boolean: return a < b;
    case SortOrder::Signed32: return load<int32_t>(a) < load<int32_t>(b);
    case SortOrder::Unsigned32: return load<uint32_t>(a) < load<uint32_t>(b);
    case SortOrder::Signed64: return load<int64_t>(a) < load<int64_t>(b);
    case SortOrder::Unsigned64: return load<uint64_t>(a) < load<uint64_t>(b);
    case SortOrder::Float: {
      const float x = load<float>(a), y = load<float>(b);
      return x < y || (x == 0 && y == 0 && std::signbit(x) && !std::signbit(y));
    }
    case SortOrder::Double: {
      const double x = load<double>(a), y = load<double>(b);
      return x < y || (x == 0 && y == 0 && std::signbit(x) && !std::signbit(y));
    }
    case SortOrder::Bytes:
      return std::string_view(a).compare(std::string_view(b)) < 0;  // char_traits<char> compares as unsigned
    case SortOrder::SignedBigEndian: return less_signed_big_endian(a, b);
    case SortOrder::Float16: {
      const float x = half_at(reinterpret_cast<const uint8_t*>(a.data()));
      const float y = half_at(reinterpret_cast<const uint8_t*>(b.data()));
      return x < y || (x == 0 && y == 0 && std::signbit(x) && !std::signbit(y));
    }
    case SortOrder::FloatTotal: return total_less<uint32_t>(a, b);
    case SortOrder::DoubleTotal: return total_less<uint64_t>(a, b);
    case SortOrder::Float16Total: return total_less<uint16_t>(a, b);
  }
  return false;
}

MinMax min_max(const encoding::ValueBuffer& v, int64_t begin, int64_t end, SortOrder order) {
  switch (order) {
    case SortOrder::None: return {};
    case SortOrder::Boolean: return typed<uint8_t>(v, begin, end);
    case SortOrder::Signed32: return typed<int32_t>(v, begin, end);
    case SortOrder::Unsigned32: return typed<uint32_t>(v, begin, end);
    case SortOrder::Signed64: return typed<int64_t>(v, begin, end);
    case SortOrder::Unsigned64: return typed<uint64_t>(v, begin, end);
    case SortOrder::Float: return floating<float>(v, begin, end);
    case SortOrder::Double: return floating<double>(v, begin, end);
    case SortOrder::FloatTotal: return total_order<uint32_t>(v, begin, end);
    case SortOrder::DoubleTotal: return total_order<uint64_t>(v, begin, end);
    case SortOrder::Float16Total: return total_order<uint16_t>(v, begin, end);
    default: break;
  }
  MinMax out;
  if (v.width == 0) {
    std::string_view lo, hi;
    for (int64_t i = begin; i < end; ++i) {
      const std::string_view x = v.binary(static_cast<size_t>(i));
      if (!out.present) {
        lo = hi = x;
        out.present = true;
      } else if (order == SortOrder::Bytes) {
        if (bytes_less(x, lo)) lo = x;
        if (bytes_less(hi, x)) hi = x;
      } else {
        const std::string xs(x);
        if (less(xs, std::string(lo), order)) lo = x;
        if (less(std::string(hi), xs, order)) hi = x;
      }
    }
    if (out.present) {
      out.min = std::string(lo);
      out.max = std::string(hi);
    }
    return out;
  }
  // FIXED_LEN_BYTE_ARRAY
  const size_t w = v.width;
  std::string lo, hi, x(w, '\0');
  for (int64_t i = begin; i < end; ++i) {
    std::memcpy(x.data(), v.value(static_cast<size_t>(i)), w);
    if (order == SortOrder::Float16 && std::isnan(half_at(v.value(static_cast<size_t>(i))))) {
      ++out.nan_count;
      continue;
    }
    if (!out.present) {
      lo = hi = x;
      out.present = true;
    } else {
      if (less(x, lo, order)) lo = x;
      if (less(hi, x, order)) hi = x;
    }
  }
  if (out.present) {
    if (order == SortOrder::Float16) {
      if (half_at(reinterpret_cast<const uint8_t*>(lo.data())) == 0) lo = std::string("\x00\x80", 2);
      if (half_at(reinterpret_cast<const uint8_t*>(hi.data())) == 0) hi = std::string("\x00\x00", 2);
    }
    out.min = lo;
    out.max = hi;
  }
  return out;
}

void merge(MinMax& chunk, const MinMax& page, SortOrder order) {
  chunk.nan_count += page.nan_count;
  if (!page.present) return;
  if (page.nan_bounds && chunk.present && !chunk.nan_bounds) return;  // NaNs bound only all-NaN data
  if (!chunk.present || (chunk.nan_bounds && !page.nan_bounds)) {
    chunk.present = true;
    chunk.nan_bounds = page.nan_bounds;
    chunk.min = page.min;
    chunk.max = page.max;
    return;
  }
  if (less(page.min, chunk.min, order)) chunk.min = page.min;
  if (less(chunk.max, page.max, order)) chunk.max = page.max;
}

bool truncate_min(std::string& value, int32_t length) {
  if (length <= 0 || value.size() <= static_cast<size_t>(length)) return true;
  value.resize(static_cast<size_t>(length));
  return false;
}

bool truncate_max(std::string& value, int32_t length) {
  if (length <= 0 || value.size() <= static_cast<size_t>(length)) return true;
  // Increment the last byte that can be incremented; a prefix of 0xFF bytes cannot bound
  // the value from above, so such a value stays whole.
  for (size_t i = static_cast<size_t>(length); i-- > 0;) {
    if (static_cast<uint8_t>(value[i]) != 0xFF) {
      value.resize(i + 1);
      value[i] = static_cast<char>(static_cast<uint8_t>(value[i]) + 1);
      return false;
    }
  }
  return true;
}

}  // namespace parkett::column
