#include "arrays.h"

#include <cstring>
#include <limits>

namespace parkett::test {
namespace {

using Id = DataType::Id;

std::shared_ptr<Buffer> bytes_buffer(const void* data, size_t size) {
  auto b = Buffer::allocate(size, true);
  if (size) std::memcpy(b->data(), data, size);
  return b;
}

// A validity bitmap from flags; nullptr when every value is valid.
std::shared_ptr<Buffer> validity(const std::vector<bool>& valid, int64_t& null_count) {
  null_count = 0;
  if (valid.empty()) return nullptr;
  auto b = Buffer::allocate((valid.size() + 7) / 8, true);
  for (size_t i = 0; i < valid.size(); ++i) {
    if (valid[i]) b->data()[i >> 3] |= static_cast<uint8_t>(1u << (i & 7));
    else ++null_count;
  }
  return null_count ? b : nullptr;
}

std::vector<bool> random_validity(bool nullable, int64_t length, double rate, std::mt19937_64& rng) {
  if (!nullable || rate <= 0) return {};
  std::bernoulli_distribution is_null(rate);
  std::vector<bool> v(static_cast<size_t>(length));
  for (size_t i = 0; i < v.size(); ++i) v[i] = !is_null(rng);
  return v;
}

uint64_t pick(std::mt19937_64& rng, uint64_t n) { return n ? rng() % n : 0; }

// Integers: extremes, small values (dictionary-friendly) and the full range.
template <class T>
T random_int(std::mt19937_64& rng) {
  switch (pick(rng, 6)) {
    case 0: return std::numeric_limits<T>::min();
    case 1: return std::numeric_limits<T>::max();
    case 2: return static_cast<T>(pick(rng, 3)) - static_cast<T>(std::is_signed_v<T> ? 1 : 0);
    case 3:
    case 4: return static_cast<T>(pick(rng, 50));
    default: return static_cast<T>(rng());
  }
}

template <class F, class U>
F random_float(std::mt19937_64& rng) {
  using L = std::numeric_limits<F>;
  switch (pick(rng, 14)) {
    case 0: return L::quiet_NaN();
    case 1: {  // a NaN with another payload and sign
      U bits;
      F nan = -L::quiet_NaN();
      std::memcpy(&bits, &nan, sizeof(U));
      bits ^= 1 + (rng() & 0xff);
      F out;
      std::memcpy(&out, &bits, sizeof(U));
      return out;
    }
    case 2: return F(-0.0);
    case 3: return F(0.0);
    case 4: return L::infinity();
    case 5: return -L::infinity();
    case 6: return L::denorm_min();
    case 7: return L::max();
    case 8: return L::lowest();
    case 9: return static_cast<F>(pick(rng, 20)) / 4;
    default: return static_cast<F>(std::uniform_real_distribution<double>(-1e6, 1e6)(rng));
  }
}

std::string random_text(std::mt19937_64& rng, bool utf8) {
  static const char* kPieces[] = {"a", "b", "zz", "é", "日本", "🙂", " ", "\"", "\\", "\n", "x"};
  size_t len;
  switch (pick(rng, 10)) {
    case 0: return "";
    case 1: len = 60 + pick(rng, 100); break;  // past the 64-byte statistics truncation
    case 2:
    case 3: return std::string(1, static_cast<char>('a' + pick(rng, 5)));
    default: len = pick(rng, 12);
  }
  std::string s;
  if (utf8) {
    while (s.size() < len) s += kPieces[pick(rng, std::size(kPieces))];
  } else {
    for (size_t i = 0; i < len; ++i) s += static_cast<char>(rng() & 0xff);
    if (len > 0 && pick(rng, 3) == 0) s[0] = '\xff';  // high bytes sort as unsigned
  }
  return s;
}

// Two's complement little-endian bytes of a random number of up to `digits` decimal digits.
std::string random_decimal(std::mt19937_64& rng, int32_t digits, size_t width) {
  std::vector<uint32_t> limbs(width / 4, 0);
  const int32_t n = pick(rng, 4) == 0 ? digits : static_cast<int32_t>(pick(rng, static_cast<uint64_t>(digits) + 1));
  for (int32_t d = 0; d < n; ++d) {
    uint64_t carry = n == digits ? 9 : pick(rng, 10);  // all nines: the largest value
    for (auto& l : limbs) {
      const uint64_t v = uint64_t{l} * 10 + carry;
      l = static_cast<uint32_t>(v);
      carry = v >> 32;
    }
  }
  if (pick(rng, 2)) {  // negate
    uint64_t carry = 1;
    for (auto& l : limbs) {
      const uint64_t v = uint64_t{static_cast<uint32_t>(~l)} + carry;
      l = static_cast<uint32_t>(v);
      carry = v >> 32;
    }
  }
  return std::string(reinterpret_cast<const char*>(limbs.data()), width);
}

int64_t units_per_second(TimeUnit u) {
  return u == TimeUnit::Second ? 1 : u == TimeUnit::Milli ? 1000 : u == TimeUnit::Micro ? 1000000 : 1000000000;
}

std::string int128_text(__int128 v) {
  if (v == 0) return "0";
  const bool neg = v < 0;
  unsigned __int128 u = neg ? -static_cast<unsigned __int128>(v) : static_cast<unsigned __int128>(v);
  std::string s;
  while (u) {
    s += static_cast<char>('0' + static_cast<int>(u % 10));
    u /= 10;
  }
  if (neg) s += '-';
  return std::string(s.rbegin(), s.rend());
}

std::string hex(const uint8_t* p, size_t n) {
  static const char* kDigits = "0123456789abcdef";
  std::string s;
  for (size_t i = 0; i < n; ++i) {
    s += kDigits[p[i] >> 4];
    s += kDigits[p[i] & 15];
  }
  return s;
}

// Offsets of a list-like array with random lengths (0 for nulls); returns the child length.
template <class O>
int64_t list_offsets(const std::vector<bool>& valid, int64_t length, std::mt19937_64& rng, std::shared_ptr<Buffer>& out) {
  out = Buffer::allocate(static_cast<size_t>(length + 1) * sizeof(O), true);
  O* o = out->as<O>();
  o[0] = 0;
  for (int64_t i = 0; i < length; ++i) {
    const bool is_null = !valid.empty() && !valid[static_cast<size_t>(i)];
    const O n = is_null ? 0 : static_cast<O>(pick(rng, 5) == 0 ? 0 : pick(rng, 5));
    o[i + 1] = o[i] + n;
  }
  return static_cast<int64_t>(o[length]);
}

}  // namespace

ArrayPtr fixed_array(const DataType& type, const void* values, int64_t length, const std::vector<bool>& valid) {
  auto a = std::make_shared<ArrayData>();
  a->type = type;
  a->length = length;
  a->buffers.push_back(validity(valid, a->null_count));
  if (type.id() == Id::Boolean) {
    auto bits = Buffer::allocate(static_cast<size_t>(length + 7) / 8, true);
    const auto* v = static_cast<const uint8_t*>(values);
    for (int64_t i = 0; i < length; ++i) {
      if (v[i]) bits->data()[i >> 3] |= static_cast<uint8_t>(1u << (i & 7));
    }
    a->buffers.push_back(bits);
  } else {
    const size_t width = static_cast<size_t>(type.id() == Id::FixedSizeBinary ? type.byte_width() : type.value_width());
    a->buffers.push_back(bytes_buffer(values, static_cast<size_t>(length) * width));
  }
  return a;
}

ArrayPtr string_array(const std::vector<std::optional<std::string>>& values, DataType type) {
  const bool large = type.id() == Id::LargeString || type.id() == Id::LargeBinary;
  std::vector<bool> valid;
  std::string data;
  std::vector<int64_t> offsets{0};
  for (const auto& v : values) {
    valid.push_back(v.has_value());
    if (v) data += *v;
    offsets.push_back(static_cast<int64_t>(data.size()));
  }
  auto a = std::make_shared<ArrayData>();
  a->type = type;
  a->length = static_cast<int64_t>(values.size());
  a->buffers.push_back(validity(valid, a->null_count));
  if (large) {
    a->buffers.push_back(bytes_buffer(offsets.data(), offsets.size() * 8));
  } else {
    std::vector<int32_t> narrow(offsets.begin(), offsets.end());
    a->buffers.push_back(bytes_buffer(narrow.data(), narrow.size() * 4));
  }
  a->buffers.push_back(bytes_buffer(data.data(), data.size()));
  return a;
}

Field field(std::string name, DataType type, bool nullable) { return Field{std::move(name), std::move(type), nullable, {}}; }

Table table_of(std::vector<Field> fields, std::vector<ArrayPtr> columns) {
  Table t;
  t.schema.fields = std::move(fields);
  RecordBatch b;
  b.schema = t.schema;
  b.num_rows = columns.empty() ? 0 : columns[0]->length;
  b.columns = std::move(columns);
  t.batches.push_back(std::move(b));
  return t;
}

ArrayPtr random_array(const DataType& type, bool nullable, int64_t length, double rate, std::mt19937_64& rng) {
  const std::vector<bool> valid = random_validity(nullable && type.id() != Id::Null, length, rate, rng);
  const auto n = static_cast<size_t>(length);
  auto fixed = [&](auto sample) {
    using T = decltype(sample(rng));
    std::vector<T> v(n);
    for (auto& x : v) x = sample(rng);
    return fixed_array(type, v.data(), length, valid);
  };
  switch (type.id()) {
    case Id::Null: {
      auto a = std::make_shared<ArrayData>();
      a->type = type;
      a->length = length;
      a->null_count = length;
      return a;
    }
    case Id::Boolean: return fixed([](std::mt19937_64& r) { return static_cast<uint8_t>(r() & 1); });
    case Id::Int8: return fixed(random_int<int8_t>);
    case Id::Int16: return fixed(random_int<int16_t>);
    case Id::Int32: return fixed(random_int<int32_t>);
    case Id::Int64: return fixed(random_int<int64_t>);
    case Id::UInt8: return fixed(random_int<uint8_t>);
    case Id::UInt16: return fixed(random_int<uint16_t>);
    case Id::UInt32: return fixed(random_int<uint32_t>);
    case Id::UInt64: return fixed(random_int<uint64_t>);
    case Id::Float16: return fixed([](std::mt19937_64& r) { return static_cast<uint16_t>(pick(r, 3) ? r() : (r() & 0x3c07)); });
    case Id::Float32: return fixed(random_float<float, uint32_t>);
    case Id::Float64: return fixed(random_float<double, uint64_t>);
    case Id::Date32: return fixed([](std::mt19937_64& r) { return static_cast<int32_t>(pick(r, 200001)) - 100000; });
    case Id::Time32: {
      const int32_t day = type.unit() == TimeUnit::Second ? 86400 : 86400000;
      return fixed([day](std::mt19937_64& r) { return static_cast<int32_t>(pick(r, static_cast<uint64_t>(day))); });
    }
    case Id::Time64: {
      const int64_t day = 86400 * units_per_second(type.unit());
      return fixed([day](std::mt19937_64& r) { return static_cast<int64_t>(pick(r, static_cast<uint64_t>(day))); });
    }
    case Id::Timestamp: {
      const int64_t per_s = units_per_second(type.unit());
      return fixed([per_s](std::mt19937_64& r) {
        // About 1843 to 2096, whole seconds often (coercion to coarser units must stay exact).
        const int64_t seconds = static_cast<int64_t>(pick(r, 8000000000)) - 4000000000;
        return seconds * per_s + (pick(r, 2) ? 0 : static_cast<int64_t>(pick(r, static_cast<uint64_t>(per_s))));
      });
    }
    case Id::IntervalMonthDayNano: {
      std::vector<uint8_t> v(n * 16);
      for (size_t i = 0; i < n; ++i) {
        const int32_t months = static_cast<int32_t>(pick(rng, 1000)), days = static_cast<int32_t>(pick(rng, 1000));
        const int64_t nanos = static_cast<int64_t>(pick(rng, 86400000)) * 1000000;
        std::memcpy(&v[i * 16], &months, 4);
        std::memcpy(&v[i * 16 + 4], &days, 4);
        std::memcpy(&v[i * 16 + 8], &nanos, 8);
      }
      return fixed_array(type, v.data(), length, valid);
    }
    case Id::Decimal128:
    case Id::Decimal256: {
      const size_t width = static_cast<size_t>(type.value_width());
      std::string v;
      for (size_t i = 0; i < n; ++i) v += random_decimal(rng, type.precision(), width);
      return fixed_array(type, v.data(), length, valid);
    }
    case Id::FixedSizeBinary: {
      std::string v;
      for (size_t i = 0; i < n * static_cast<size_t>(type.byte_width()); ++i) v += static_cast<char>(pick(rng, 4) ? rng() & 0xff : 0);
      return fixed_array(type, v.data(), length, valid);
    }
    case Id::String:
    case Id::LargeString:
    case Id::Binary:
    case Id::LargeBinary: {
      const bool utf8 = type.id() == Id::String || type.id() == Id::LargeString;
      std::vector<std::optional<std::string>> v(n);
      for (size_t i = 0; i < n; ++i) {
        if (!valid.empty() && !valid[i]) continue;
        v[i] = random_text(rng, utf8);
      }
      if (n > 0 && pick(rng, 4) == 0) v[pick(rng, n)] = std::string(300000 + pick(rng, 1000), 'h');  // a huge value
      return string_array(v, type);
    }
    case Id::List:
    case Id::LargeList:
    case Id::Map: {
      auto a = std::make_shared<ArrayData>();
      a->type = type;
      a->length = length;
      a->buffers.push_back(validity(valid, a->null_count));
      std::shared_ptr<Buffer> offsets;
      const int64_t children = type.id() == Id::LargeList ? list_offsets<int64_t>(valid, length, rng, offsets)
                                                          : list_offsets<int32_t>(valid, length, rng, offsets);
      a->buffers.push_back(offsets);
      const Field& child = type.children().at(0);
      a->children.push_back(random_array(child.type, child.nullable, children, rate, rng));
      return a;
    }
    case Id::Struct: {
      auto a = std::make_shared<ArrayData>();
      a->type = type;
      a->length = length;
      a->buffers.push_back(validity(valid, a->null_count));
      for (const Field& f : type.children()) a->children.push_back(random_array(f.type, f.nullable, length, rate, rng));
      return a;
    }
    case Id::Dictionary: {
      const int64_t size = 1 + static_cast<int64_t>(pick(rng, 20));
      std::vector<int32_t> idx(n);
      for (auto& i : idx) i = static_cast<int32_t>(pick(rng, static_cast<uint64_t>(size)));
      ArrayPtr a = fixed_array(DataType(Id::Int32), idx.data(), length, valid);
      a->type = type;
      a->dictionary = random_array(type.value_type(), false, size, 0, rng);
      return a;
    }
  }
  return nullptr;
}

std::string render_value(const ArrayData& a, int64_t row) {
  if (a.type.id() == Id::Null || !a.is_valid(row)) return "null";
  const int64_t i = a.offset + row;
  auto at = [&](auto zero) {
    decltype(zero) v;
    std::memcpy(&v, a.buffers[1]->data() + static_cast<size_t>(i) * sizeof(v), sizeof(v));
    return v;
  };
  switch (a.type.id()) {
    case Id::Null: return "null";
    case Id::Boolean: return (a.buffers[1]->data()[i >> 3] >> (i & 7)) & 1 ? "true" : "false";
    case Id::Int8: return std::to_string(at(int8_t{}));
    case Id::Int16: return std::to_string(at(int16_t{}));
    case Id::Int32:
    case Id::Date32: return std::to_string(at(int32_t{}));
    case Id::Int64: return std::to_string(at(int64_t{}));
    case Id::UInt8: return std::to_string(at(uint8_t{}));
    case Id::UInt16: return std::to_string(at(uint16_t{}));
    case Id::UInt32: return std::to_string(at(uint32_t{}));
    case Id::UInt64: return std::to_string(at(uint64_t{}));
    case Id::Float16:
    case Id::Float32:
    case Id::Float64:
    case Id::FixedSizeBinary:
    case Id::Decimal128:
    case Id::Decimal256:
    case Id::IntervalMonthDayNano: {
      const size_t w = static_cast<size_t>(a.type.id() == Id::FixedSizeBinary ? a.type.byte_width() : a.type.value_width());
      const uint8_t* p = a.buffers[1]->data() + static_cast<size_t>(i) * w;
      if (a.type.id() == Id::Decimal128 || a.type.id() == Id::Decimal256) {
        // Sign-extended to 32 bytes, so that 128- and 256-bit values compare.
        std::string wide(reinterpret_cast<const char*>(p), w);
        wide.resize(32, (p[w - 1] & 0x80) ? '\xff' : '\0');
        return "dec:" + hex(reinterpret_cast<const uint8_t*>(wide.data()), 32);
      }
      return "0x" + hex(p, w);
    }
    case Id::Time32:
    case Id::Time64:
    case Id::Timestamp: {
      const __int128 v = a.type.id() == Id::Time32 ? __int128{at(int32_t{})} : __int128{at(int64_t{})};
      return int128_text(v * (1000000000 / units_per_second(a.type.unit()))) + "ns";
    }
    case Id::String:
    case Id::Binary:
    case Id::LargeString:
    case Id::LargeBinary: {
      const bool large = a.type.id() == Id::LargeString || a.type.id() == Id::LargeBinary;
      const int64_t b = large ? a.buffers[1]->as<int64_t>()[i] : a.buffers[1]->as<int32_t>()[i];
      const int64_t e = large ? a.buffers[1]->as<int64_t>()[i + 1] : a.buffers[1]->as<int32_t>()[i + 1];
      return "\"" + hex(a.buffers[2]->data() + b, static_cast<size_t>(e - b)) + "\"";
    }
    case Id::List:
    case Id::LargeList:
    case Id::Map: {
      const bool large = a.type.id() == Id::LargeList;
      const int64_t b = large ? a.buffers[1]->as<int64_t>()[i] : a.buffers[1]->as<int32_t>()[i];
      const int64_t e = large ? a.buffers[1]->as<int64_t>()[i + 1] : a.buffers[1]->as<int32_t>()[i + 1];
      std::string s = "[";
      for (int64_t c = b; c < e; ++c) s += (c > b ? "," : "") + render_value(*a.children[0], c);
      return s + "]";
    }
    case Id::Struct: {
      std::string s = "{";
      for (size_t c = 0; c < a.children.size(); ++c) s += (c ? "," : "") + render_value(*a.children[c], i);
      return s + "}";
    }
    case Id::Dictionary: return render_value(*a.dictionary, at(int32_t{}));
  }
  return "?";
}

std::string table_difference(const Table& expected, const Table& got) {
  if (expected.num_rows() != got.num_rows()) {
    return "rows: expected " + std::to_string(expected.num_rows()) + ", got " + std::to_string(got.num_rows());
  }
  if (expected.schema.fields.size() != got.schema.fields.size()) return "the number of columns differs";
  size_t eb = 0, gb = 0;
  int64_t er = 0, gr = 0, row = 0;
  while (row < expected.num_rows()) {
    while (er >= expected.batches[eb].num_rows) ++eb, er = 0;
    while (gr >= got.batches[gb].num_rows) ++gb, gr = 0;
    for (size_t c = 0; c < expected.schema.fields.size(); ++c) {
      const std::string want = render_value(*expected.batches[eb].columns[c], er);
      const std::string have = render_value(*got.batches[gb].columns[c], gr);
      if (want != have) {
        return "column '" + expected.schema.fields[c].name + "' row " + std::to_string(row) + ": expected " +
               want.substr(0, 300) + ", got " + have.substr(0, 300);
      }
    }
    ++er, ++gr, ++row;
  }
  return {};
}

}  // namespace parkett::test
