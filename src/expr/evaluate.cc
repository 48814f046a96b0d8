#include "expr/evaluate.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <type_traits>
#include <string_view>

#include "parkett/error.h"
#include "util/value_text.h"

namespace parkett::expr {
namespace {

using Id = DataType::Id;
using Op = Expression::Op;

// Row states while evaluating.
constexpr uint8_t kFalse = 0, kTrue = 1, kNull = 2;

// The test a leaf condition applies to one non-null value, given how it compares.
struct Test {
  const Bound& b;
  bool any_null_key = false;

  explicit Test(const Bound& bound) : b(bound) {
    for (const Key& k : b.keys) any_null_key |= k.null;
  }

  // `cmp(key)` compares the value with a key: negative, 0, positive, or 2 (unordered).
  template <class Cmp>
  uint8_t operator()(Cmp&& cmp) const {
    switch (b.op) {
      case Op::IsNull: return kFalse;
      case Op::IsNotNull: return kTrue;
      case Op::IsIn: {
        for (const Key& k : b.keys) {
          if (!k.null && cmp(k) == 0) return kTrue;
        }
        return any_null_key ? kNull : kFalse;
      }
      default: break;
    }
    const Key& k = b.keys.at(0);
    if (k.null) return kNull;
    const int c = cmp(k);
    switch (b.op) {
      case Op::Equal: return c == 0;
      case Op::NotEqual: return c != 0;
      case Op::Less: return c == -1;
      case Op::LessEqual: return c == -1 || c == 0;
      case Op::Greater: return c == 1;
      case Op::GreaterEqual: return c == 1 || c == 0;
      default: return kFalse;
    }
  }
};

int sign(__int128 a, __int128 b) { return a < b ? -1 : a > b ? 1 : 0; }
int sign(double a, double b) {
  if (a != a || b != b) return 2;
  return a < b ? -1 : a > b ? 1 : 0;
}

// The value of row `at` (physical index) of a leaf in the Integer domain.
__int128 integer_at(const ArrayData& a, int64_t at, int64_t nanos_per_unit) {
  const uint8_t* p = a.buffers.at(1)->data();
  switch (a.type.id()) {
    case Id::Boolean: return (p[at >> 3] >> (at & 7)) & 1;
    case Id::Int8: return reinterpret_cast<const int8_t*>(p)[at];
    case Id::Int16: return reinterpret_cast<const int16_t*>(p)[at];
    case Id::Int32:
    case Id::Date32: return reinterpret_cast<const int32_t*>(p)[at];
    case Id::Int64: return reinterpret_cast<const int64_t*>(p)[at];
    case Id::UInt8: return p[at];
    case Id::UInt16: return reinterpret_cast<const uint16_t*>(p)[at];
    case Id::UInt32: return reinterpret_cast<const uint32_t*>(p)[at];
    case Id::UInt64: return reinterpret_cast<const uint64_t*>(p)[at];
    case Id::Time32: return static_cast<__int128>(reinterpret_cast<const int32_t*>(p)[at]) * nanos_per_unit;
    case Id::Time64:
    case Id::Timestamp: return static_cast<__int128>(reinterpret_cast<const int64_t*>(p)[at]) * nanos_per_unit;
    case Id::Decimal128: {
      __int128 v;
      std::memcpy(&v, p + at * 16, 16);
      return v;
    }
    default: throw Error(ErrorKind::Internal, "no integer comparison for " + a.type.to_string());
  }
}

double floating_at(const ArrayData& a, int64_t at) {
  const uint8_t* p = a.buffers.at(1)->data();
  switch (a.type.id()) {
    case Id::Float16: {
      uint16_t h;
      std::memcpy(&h, p + at * 2, 2);
      return util::half_to_float(h);
    }
    case Id::Float32: return reinterpret_cast<const float*>(p)[at];
    case Id::Float64: return reinterpret_cast<const double*>(p)[at];
    default: throw Error(ErrorKind::Internal, "no float comparison for " + a.type.to_string());
  }
}

std::string_view bytes_at(const ArrayData& a, int64_t at) {
  const auto* data = a.buffers.size() > 2 && a.buffers[2] ? reinterpret_cast<const char*>(a.buffers[2]->data()) : "";
  switch (a.type.id()) {
    case Id::String:
    case Id::Binary: {
      const int32_t* o = a.buffers.at(1)->as<int32_t>();
      return {data + o[at], static_cast<size_t>(o[at + 1] - o[at])};
    }
    case Id::LargeString:
    case Id::LargeBinary: {
      const int64_t* o = a.buffers.at(1)->as<int64_t>();
      return {data + o[at], static_cast<size_t>(o[at + 1] - o[at])};
    }
    case Id::FixedSizeBinary: {
      const auto w = static_cast<size_t>(a.type.byte_width());
      return {reinterpret_cast<const char*>(a.buffers.at(1)->data()) + static_cast<size_t>(at) * w, w};
    }
    default: throw Error(ErrorKind::Internal, "no byte comparison for " + a.type.to_string());
  }
}

int compare_bytes(std::string_view v, const std::string& key) {
  const int c = v.compare(key);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

// A comparison of values of type T with one key that T can hold, in a loop the compiler
// vectorises: the common case of a filter on an integer, date or decimal column.
template <class T>
bool compare_typed(Op op, const uint8_t* data, int64_t first, int64_t n, const Key& key, uint8_t* out) {
  if constexpr (std::is_same_v<T, __int128>) {
    // any key
  } else {
    if (key.integer < std::numeric_limits<T>::min() || key.integer > std::numeric_limits<T>::max()) return false;
  }
  const T k = static_cast<T>(key.integer);
  auto run = [&](auto relation) {
    for (int64_t i = 0; i < n; ++i) {
      T v;
      std::memcpy(&v, data + (first + i) * static_cast<int64_t>(sizeof(T)), sizeof(T));
      const uint8_t r = relation(v) ? kTrue : kFalse;
      out[i] = out[i] == kNull ? kNull : r;
    }
  };
  switch (op) {
    case Op::Equal: run([k](T v) { return v == k; }); return true;
    case Op::NotEqual: run([k](T v) { return v != k; }); return true;
    case Op::Less: run([k](T v) { return v < k; }); return true;
    case Op::LessEqual: run([k](T v) { return v <= k; }); return true;
    case Op::Greater: run([k](T v) { return v > k; }); return true;
    case Op::GreaterEqual: run([k](T v) { return v >= k; }); return true;
    default: return false;
  }
}

// compare_typed for the array's type, if it has a fast path; false otherwise.
bool compare_fast(const Bound& b, const ArrayData& leaf, int64_t first, int64_t n, uint8_t* out) {
  if (b.keys.size() != 1 || b.keys[0].null || b.column.domain != Domain::Integer) return false;
  const uint8_t* p = leaf.buffers.at(1)->data();
  const Key& k = b.keys[0];
  switch (leaf.type.id()) {
    case Id::Int8: return compare_typed<int8_t>(b.op, p, first, n, k, out);
    case Id::Int16: return compare_typed<int16_t>(b.op, p, first, n, k, out);
    case Id::Int32:
    case Id::Date32: return compare_typed<int32_t>(b.op, p, first, n, k, out);
    case Id::Int64: return compare_typed<int64_t>(b.op, p, first, n, k, out);
    case Id::UInt8: return compare_typed<uint8_t>(b.op, p, first, n, k, out);
    case Id::UInt16: return compare_typed<uint16_t>(b.op, p, first, n, k, out);
    case Id::UInt32: return compare_typed<uint32_t>(b.op, p, first, n, k, out);
    case Id::UInt64: return compare_typed<uint64_t>(b.op, p, first, n, k, out);
    case Id::Time64:
    case Id::Timestamp:
      return b.column.nanos_per_unit == 1 && compare_typed<int64_t>(b.op, p, first, n, k, out);
    case Id::Decimal128: return compare_typed<__int128>(b.op, p, first, n, k, out);
    default: return false;
  }
}

// The condition on values [first, first + n) of `leaf` (physical indices), into `out`
// where `out` is not already null.
void test_values(const Bound& b, const ArrayData& leaf, int64_t first, int64_t n, uint8_t* out) {
  const Test test(b);
  if (b.op == Op::IsNull || b.op == Op::IsNotNull) {
    for (int64_t i = 0; i < n; ++i) {
      if (out[i] != kNull) out[i] = b.op == Op::IsNotNull;
    }
    return;
  }
  if (b.op == Op::StartsWith) {
    const std::string& prefix = b.keys.at(0).bytes;
    for (int64_t i = 0; i < n; ++i) {
      if (out[i] != kNull) out[i] = bytes_at(leaf, first + i).starts_with(prefix);
    }
    return;
  }
  if (compare_fast(b, leaf, first, n, out)) return;
  switch (b.column.domain) {
    case Domain::Integer:
      for (int64_t i = 0; i < n; ++i) {
        if (out[i] == kNull) continue;
        const __int128 v = integer_at(leaf, first + i, b.column.nanos_per_unit);
        out[i] = test([v](const Key& k) { return sign(v, k.integer); });
      }
      return;
    case Domain::Float:
      for (int64_t i = 0; i < n; ++i) {
        if (out[i] == kNull) continue;
        const double v = floating_at(leaf, first + i);
        out[i] = test([v](const Key& k) { return sign(v, k.floating); });
      }
      return;
    case Domain::Bytes:
      for (int64_t i = 0; i < n; ++i) {
        if (out[i] == kNull) continue;
        const std::string_view v = bytes_at(leaf, first + i);
        out[i] = test([v](const Key& k) { return compare_bytes(v, k.bytes); });
      }
      return;
  }
}

// A leaf condition over the batch's rows: nulls of the field and of every struct above it
// first, then the values (for a dictionary: each dictionary value once).
void leaf_states(const Bound& b, const RecordBatch& batch, uint8_t* out) {
  const int64_t n = batch.num_rows;
  std::fill(out, out + n, kTrue);
  const ArrayData* level = batch.columns.at(static_cast<size_t>(b.column.indices.at(0))).get();
  int64_t base = 0;  // the sum of the offsets above `level`
  for (size_t depth = 0;; ++depth) {
    if (level->type.id() == Id::Null) {
      std::fill(out, out + n, kNull);  // a null-type array has no buffers: every row is null
    } else if (level->null_count != 0 && !level->buffers.empty() && level->buffers[0]) {
      for (int64_t r = 0; r < n; ++r) {
        if (!level->is_valid(base + r)) out[r] = kNull;
      }
    }
    if (depth + 1 == b.column.indices.size()) break;
    base += level->offset;
    level = level->children.at(static_cast<size_t>(b.column.indices[depth + 1])).get();
  }
  const int64_t first = level->offset + base;
  if (level->type.id() != Id::Dictionary) {
    test_values(b, *level, first, n, out);
    return;
  }
  const ArrayData& dict = *level->dictionary;
  std::vector<uint8_t> entries(static_cast<size_t>(dict.length), kTrue);
  for (int64_t e = 0; e < dict.length; ++e) {
    if (!dict.is_valid(e)) entries[static_cast<size_t>(e)] = kNull;
  }
  test_values(b, dict, dict.offset, dict.length, entries.data());
  const int32_t* idx = level->buffers.at(1)->as<int32_t>();
  for (int64_t r = 0; r < n; ++r) {
    if (out[r] == kNull) continue;
    const int32_t i = idx[first + r];
    if (i < 0 || i >= dict.length) throw Error(ErrorKind::Corrupt, "dictionary index " + std::to_string(i) + " out of range");
    out[r] = entries[static_cast<size_t>(i)];  // a null dictionary value is a null row
  }
}

void states(const Bound& b, const RecordBatch& batch, uint8_t* out) {
  const auto n = static_cast<size_t>(batch.num_rows);
  switch (b.op) {
    case Op::And:
    case Op::Or: {
      states(b.operands.at(0), batch, out);
      std::vector<uint8_t> other(n);
      states(b.operands.at(1), batch, other.data());
      const uint8_t dominant = b.op == Op::And ? kFalse : kTrue;
      for (size_t i = 0; i < n; ++i) {
        if (out[i] == dominant || other[i] == dominant) out[i] = dominant;
        else if (out[i] == kNull || other[i] == kNull) out[i] = kNull;
      }
      return;
    }
    case Op::Not:
      states(b.operands.at(0), batch, out);
      for (size_t i = 0; i < n; ++i) {
        if (out[i] != kNull) out[i] = out[i] == kTrue ? kFalse : kTrue;
      }
      return;
    default: break;
  }
  leaf_states(b, batch, out);
  if (b.op == Op::IsNull) {
    // leaf_states marked the nulls kNull and tested nothing else: null is what IS NULL asks.
    for (size_t i = 0; i < n; ++i) out[i] = out[i] == kNull ? kTrue : kFalse;
  } else if (b.op == Op::IsNotNull) {
    for (size_t i = 0; i < n; ++i) out[i] = out[i] == kNull ? kFalse : kTrue;
  }
}

}  // namespace

std::vector<uint8_t> evaluate(const Bound& bound, const RecordBatch& batch) {
  std::vector<uint8_t> out(static_cast<size_t>(batch.num_rows));
  states(bound, batch, out.data());
  for (uint8_t& s : out) s = s == kTrue;
  return out;
}

}  // namespace parkett::expr
