#include "schema/arrow_ipc.h"

#include <cstring>
#include <functional>

#include "parkett/error.h"
#include "util/base64.h"

namespace parkett::schema {
namespace {

using Id = DataType::Id;

[[noreturn]] void corrupt(const std::string& what) {
  throw Error(ErrorKind::Corrupt, "ARROW:schema metadata: " + what);
}

// ---------------------------------------------------------------------------------------
// FlatBuffers writing, front to back: each table's vtable right before it, its children
// (strings, vectors, tables) after it, uoffsets patched once a child's place is known.

class FlatWriter {
 public:
  struct Scalar {
    int slot;
    int size;  // 1, 2, 4 or 8
    uint64_t value;
  };
  // A reference field: `write` appends the child and returns its position.
  struct Ref {
    int slot;
    std::function<size_t()> write;
  };

  std::string buf;

  void pad_to(size_t alignment) {
    while (buf.size() % alignment) buf += '\0';
  }
  void put(uint64_t v, int size) { buf.append(reinterpret_cast<const char*>(&v), static_cast<size_t>(size)); }
  void patch_u32(size_t at, uint32_t v) { std::memcpy(buf.data() + at, &v, 4); }

  size_t table(std::vector<Scalar> scalars, std::vector<Ref> refs) {
    int slots = 0;
    for (const auto& s : scalars) slots = std::max(slots, s.slot + 1);
    for (const auto& r : refs) slots = std::max(slots, r.slot + 1);
    // Inline layout after the soffset: references and scalars by decreasing size.
    std::vector<uint16_t> offsets(static_cast<size_t>(slots), 0);
    size_t inline_size = 4;
    auto place = [&](int slot, int size) {
      inline_size = (inline_size + static_cast<size_t>(size) - 1) / static_cast<size_t>(size) * static_cast<size_t>(size);
      offsets[static_cast<size_t>(slot)] = static_cast<uint16_t>(inline_size);
      inline_size += static_cast<size_t>(size);
    };
    for (int size : {8, 4}) {
      for (const auto& s : scalars) {
        if (s.size == size) place(s.slot, size);
      }
      if (size == 4) {
        for (const auto& r : refs) place(r.slot, 4);
      }
    }
    for (int size : {2, 1}) {
      for (const auto& s : scalars) {
        if (s.size == size) place(s.slot, size);
      }
    }
    inline_size = (inline_size + 3) / 4 * 4;
    const size_t vtable_size = 4 + 2 * static_cast<size_t>(slots);
    // The table starts 8-aligned (its 8-byte fields then are too), the vtable right before it.
    while ((buf.size() + vtable_size) % 8) buf += '\0';
    const size_t vtable = buf.size();
    put(vtable_size, 2);
    put(inline_size, 2);
    for (uint16_t o : offsets) put(o, 2);
    const size_t start = buf.size();
    buf.resize(start + inline_size, '\0');
    const auto soffset = static_cast<int32_t>(start - vtable);
    std::memcpy(buf.data() + start, &soffset, 4);
    for (const auto& s : scalars) {
      std::memcpy(buf.data() + start + offsets[static_cast<size_t>(s.slot)], &s.value, static_cast<size_t>(s.size));
    }
    for (const auto& r : refs) {
      const size_t field = start + offsets[static_cast<size_t>(r.slot)];
      const size_t child = r.write();
      patch_u32(field, static_cast<uint32_t>(child - field));
    }
    return start;
  }

  size_t string(const std::string& s) {
    pad_to(4);
    const size_t at = buf.size();
    put(s.size(), 4);
    buf += s;
    buf += '\0';
    return at;
  }

  // A vector of tables, each written by `element(i)`.
  size_t tables(size_t count, const std::function<size_t(size_t)>& element) {
    pad_to(4);
    const size_t at = buf.size();
    put(count, 4);
    const size_t slots = buf.size();
    buf.resize(slots + 4 * count, '\0');
    for (size_t i = 0; i < count; ++i) {
      const size_t child = element(i);
      patch_u32(slots + 4 * i, static_cast<uint32_t>(child - (slots + 4 * i)));
    }
    return at;
  }
};

using KeyValues = std::vector<std::pair<std::string, std::string>>;

size_t write_key_values(FlatWriter& w, const KeyValues& kv) {
  return w.tables(kv.size(), [&](size_t i) {
    return w.table({}, {{0, [&w, &kv, i] { return w.string(kv[i].first); }},
                        {1, [&w, &kv, i] { return w.string(kv[i].second); }}});
  });
}

int16_t time_unit(TimeUnit u) {
  switch (u) {
    case TimeUnit::Second: return 0;
    case TimeUnit::Milli: return 1;
    case TimeUnit::Micro: return 2;
    case TimeUnit::Nano: return 3;
  }
  return 0;
}

// The Type union member and its table for a (non-dictionary) type.
std::pair<uint8_t, std::function<size_t()>> type_table(FlatWriter& w, const DataType& t) {
  auto empty = [&w] { return w.table({}, {}); };
  auto integer = [&w](int bits, bool is_signed) {
    return [&w, bits, is_signed] { return w.table({{0, 4, static_cast<uint64_t>(bits)}, {1, 1, is_signed ? 1u : 0u}}, {}); };
  };
  switch (t.id()) {
    case Id::Null: return {1, empty};
    case Id::Boolean: return {6, empty};
    case Id::Int8: return {2, integer(8, true)};
    case Id::Int16: return {2, integer(16, true)};
    case Id::Int32: return {2, integer(32, true)};
    case Id::Int64: return {2, integer(64, true)};
    case Id::UInt8: return {2, integer(8, false)};
    case Id::UInt16: return {2, integer(16, false)};
    case Id::UInt32: return {2, integer(32, false)};
    case Id::UInt64: return {2, integer(64, false)};
    case Id::Float16: return {3, [&w] { return w.table({{0, 2, 0}}, {}); }};
    case Id::Float32: return {3, [&w] { return w.table({{0, 2, 1}}, {}); }};
    case Id::Float64: return {3, [&w] { return w.table({{0, 2, 2}}, {}); }};
    case Id::Binary: return {4, empty};
    case Id::String: return {5, empty};
    case Id::LargeBinary: return {arrow_tag::kLargeBinary, empty};
    case Id::LargeString: return {arrow_tag::kLargeUtf8, empty};
    case Id::FixedSizeBinary: {
      const auto width = static_cast<uint64_t>(t.byte_width());
      return {15, [&w, width] { return w.table({{0, 4, width}}, {}); }};
    }
    case Id::Date32: return {8, [&w] { return w.table({{0, 2, 0}}, {}); }};  // DAY, not the MILLISECOND default
    case Id::Time32:
    case Id::Time64: {
      const uint64_t unit = static_cast<uint64_t>(time_unit(t.unit()));
      const uint64_t bits = t.id() == Id::Time32 ? 32 : 64;
      return {9, [&w, unit, bits] { return w.table({{0, 2, unit}, {1, 4, bits}}, {}); }};
    }
    case Id::Timestamp: {
      const uint64_t unit = static_cast<uint64_t>(time_unit(t.unit()));
      const std::string tz = t.timezone();
      return {arrow_tag::kTimestamp, [&w, unit, tz] {
                std::vector<FlatWriter::Ref> refs;
                if (!tz.empty()) refs.push_back({1, [&w, tz] { return w.string(tz); }});
                return w.table({{0, 2, unit}}, std::move(refs));
              }};
    }
    case Id::IntervalMonthDayNano: return {11, [&w] { return w.table({{0, 2, 2}}, {}); }};
    case Id::Decimal128:
    case Id::Decimal256: {
      const auto p = static_cast<uint64_t>(t.precision()), s = static_cast<uint64_t>(t.scale());
      const uint64_t bits = t.id() == Id::Decimal128 ? 128 : 256;
      return {7, [&w, p, s, bits] { return w.table({{0, 4, p}, {1, 4, s}, {2, 4, bits}}, {}); }};
    }
    case Id::List: return {arrow_tag::kList, empty};
    case Id::LargeList: return {arrow_tag::kLargeList, empty};
    case Id::Struct: return {arrow_tag::kStruct, empty};
    case Id::Map: {
      const uint64_t sorted = t.keys_sorted() ? 1 : 0;
      return {arrow_tag::kMap, [&w, sorted] { return w.table({{0, 1, sorted}}, {}); }};
    }
    case Id::Dictionary: break;
  }
  throw Error(ErrorKind::Internal, "no Arrow IPC type for " + t.to_string());
}

size_t write_field(FlatWriter& w, const Field& f, int64_t& next_dictionary_id) {
  const bool dictionary = f.type.id() == Id::Dictionary;
  const DataType& value = dictionary ? f.type.value_type() : f.type;
  auto [tag, type] = type_table(w, value);
  std::vector<FlatWriter::Ref> refs = {{0, [&w, &f] { return w.string(f.name); }}, {3, type}};
  if (dictionary) {
    const int64_t id = next_dictionary_id++;
    refs.push_back({4, [&w, id] {
                      return w.table({{0, 8, static_cast<uint64_t>(id)}},
                                     {{1, [&w] { return w.table({{0, 4, 32}, {1, 1, 1}}, {}); }}});
                    }});
  }
  // Children: a map's single child is its entries struct (key, value), as Arrow has it.
  refs.push_back({5, [&w, &value, &next_dictionary_id] {
                    const std::vector<Field>& children = value.children();
                    return w.tables(children.size(), [&](size_t i) { return write_field(w, children[i], next_dictionary_id); });
                  }});
  if (!f.metadata.empty()) refs.push_back({6, [&w, &f] { return write_key_values(w, f.metadata); }});
  return w.table({{1, 1, f.nullable ? 1u : 0u}, {2, 1, tag}}, std::move(refs));
}

// ---------------------------------------------------------------------------------------
// FlatBuffers reading, every position checked against the buffer.

class FlatReader {
 public:
  explicit FlatReader(std::string_view b) : b_(b) {}

  struct Table {
    size_t pos = 0;
    size_t vtable = 0;
    uint16_t vtable_size = 0;
  };

  uint64_t scalar(size_t pos, int size) const {
    need(pos, static_cast<size_t>(size));
    uint64_t v = 0;
    std::memcpy(&v, b_.data() + pos, static_cast<size_t>(size));
    return v;
  }

  Table table_at(size_t pos) const {
    const auto soffset = static_cast<int32_t>(scalar(pos, 4));
    const int64_t vtable = static_cast<int64_t>(pos) - soffset;
    if (vtable < 0 || static_cast<uint64_t>(vtable) + 4 > b_.size()) corrupt("a table's vtable lies outside the buffer");
    Table t{pos, static_cast<size_t>(vtable), static_cast<uint16_t>(scalar(static_cast<size_t>(vtable), 2))};
    if (t.vtable_size < 4 || t.vtable + t.vtable_size > b_.size()) corrupt("a vtable runs past the buffer");
    return t;
  }

  // Position of field `slot` of `t`, or 0 when absent.
  size_t field(const Table& t, int slot) const {
    const size_t entry = 4 + 2 * static_cast<size_t>(slot);
    if (entry + 2 > t.vtable_size) return 0;
    const auto off = static_cast<uint16_t>(scalar(t.vtable + entry, 2));
    return off ? t.pos + off : 0;
  }

  uint64_t get(const Table& t, int slot, int size, uint64_t fallback) const {
    const size_t at = field(t, slot);
    return at ? scalar(at, size) : fallback;
  }

  // Target of the uoffset at `at` (a field or a vector slot).
  size_t follow(size_t at) const {
    const uint64_t target = at + scalar(at, 4);
    if (target >= b_.size()) corrupt("an offset points past the buffer");
    return static_cast<size_t>(target);
  }

  std::optional<Table> table(const Table& t, int slot) const {
    const size_t at = field(t, slot);
    if (!at) return std::nullopt;
    return table_at(follow(at));
  }

  std::optional<std::string> string(const Table& t, int slot) const {
    const size_t at = field(t, slot);
    if (!at) return std::nullopt;
    const size_t s = follow(at);
    const uint64_t len = scalar(s, 4);
    need(s + 4, static_cast<size_t>(len));
    // Offsets may point at one long string many times: what is copied out is bounded by a
    // multiple of the buffer.
    if (len > copy_budget_) corrupt("strings are repeated more than the buffer can justify");
    copy_budget_ -= static_cast<size_t>(len);
    return std::string(b_.substr(s + 4, static_cast<size_t>(len)));
  }

  std::vector<Table> tables(const Table& t, int slot) const {
    std::vector<Table> out;
    const size_t at = field(t, slot);
    if (!at) return out;
    const size_t v = follow(at);
    const uint64_t count = scalar(v, 4);
    if (count > (b_.size() - v) / 4) corrupt("a vector is longer than the buffer");
    for (size_t i = 0; i < count; ++i) out.push_back(table_at(follow(v + 4 + 4 * i)));
    return out;
  }

 private:
  void need(size_t pos, size_t size) const {
    if (pos > b_.size() || size > b_.size() - pos) corrupt("a value lies outside the buffer");
  }
  std::string_view b_;
  mutable size_t copy_budget_ = 4 * b_.size() + (size_t{1} << 20);
};

KeyValues read_key_values(const FlatReader& r, const FlatReader::Table& t, int slot) {
  KeyValues out;
  for (const auto& kv : r.tables(t, slot)) out.emplace_back(r.string(kv, 0).value_or(""), r.string(kv, 1).value_or(""));
  return out;
}

TimeUnit unit_of(uint64_t u) {
  switch (u) {
    case 0: return TimeUnit::Second;
    case 1: return TimeUnit::Milli;
    case 2: return TimeUnit::Micro;
    case 3: return TimeUnit::Nano;
  }
  corrupt("time unit " + std::to_string(u));
}

// The parkett type of a leaf member of the Type union, if it has one.
std::optional<DataType> leaf_type(const FlatReader& r, uint8_t tag, const std::optional<FlatReader::Table>& t) {
  auto get = [&](int slot, int size, uint64_t fallback) { return t ? r.get(*t, slot, size, fallback) : fallback; };
  switch (tag) {
    case 1: return DataType(Id::Null);
    case 2: {
      const uint64_t bits = get(0, 4, 0);
      const bool is_signed = get(1, 1, 0) != 0;
      if (bits == 8) return DataType(is_signed ? Id::Int8 : Id::UInt8);
      if (bits == 16) return DataType(is_signed ? Id::Int16 : Id::UInt16);
      if (bits == 32) return DataType(is_signed ? Id::Int32 : Id::UInt32);
      if (bits == 64) return DataType(is_signed ? Id::Int64 : Id::UInt64);
      corrupt("integer of " + std::to_string(bits) + " bits");
    }
    case 3: {
      const uint64_t p = get(0, 2, 0);
      return DataType(p == 0 ? Id::Float16 : p == 1 ? Id::Float32 : Id::Float64);
    }
    case 4: return DataType(Id::Binary);
    case 5: return DataType(Id::String);
    case 6: return DataType(Id::Boolean);
    case 7: {
      const uint64_t bits = get(2, 4, 128);
      if (bits != 128 && bits != 256) return std::nullopt;  // decimal32/64: no parkett counterpart
      return DataType::decimal(static_cast<int32_t>(get(0, 4, 0)), static_cast<int32_t>(get(1, 4, 0)));
    }
    case 8: return get(0, 2, 1) == 0 ? std::optional<DataType>(DataType(Id::Date32)) : std::nullopt;  // date64: none
    case 9: return DataType::time(unit_of(get(0, 2, 1)));
    case arrow_tag::kTimestamp: {
      std::string tz = t ? r.string(*t, 1).value_or("") : "";
      return DataType::timestamp(unit_of(get(0, 2, 0)), std::move(tz));
    }
    case 11: return get(0, 2, 0) == 2 ? std::optional<DataType>(DataType(Id::IntervalMonthDayNano)) : std::nullopt;
    case 15: return DataType::fixed_size_binary(static_cast<int32_t>(get(0, 4, 0)));
    case arrow_tag::kLargeBinary: return DataType(Id::LargeBinary);
    case arrow_tag::kLargeUtf8: return DataType(Id::LargeString);
    default: return std::nullopt;  // nested, or a type parkett does not have
  }
}

// `budget`: tables still allowed. Offsets may point at one table many times, so a small
// hostile buffer could otherwise describe an exponentially large schema.
ArrowField read_field(const FlatReader& r, const FlatReader::Table& t, int depth, int64_t& budget) {
  if (depth > 64) corrupt("fields nested deeper than 64 levels");
  if (--budget < 0) corrupt("more fields than the buffer can hold");
  ArrowField f;
  f.name = r.string(t, 0).value_or("");
  f.nullable = r.get(t, 1, 1, 0) != 0;
  f.tag = static_cast<uint8_t>(r.get(t, 2, 1, 0));
  if (f.tag == 0) corrupt("field '" + f.name + "' has no type");
  const std::optional<FlatReader::Table> type = r.table(t, 3);
  f.type = leaf_type(r, f.tag, type);
  if (f.tag == arrow_tag::kMap && type) f.keys_sorted = r.get(*type, 0, 1, 0) != 0;
  f.dictionary = r.field(t, 4) != 0;
  const std::vector<FlatReader::Table> children = r.tables(t, 5);
  f.metadata = read_key_values(r, t, 6);
  budget -= static_cast<int64_t>(children.size() + f.metadata.size());
  if (budget < 0) corrupt("more fields than the buffer can hold");
  for (const auto& c : children) f.children.push_back(read_field(r, c, depth + 1, budget));
  return f;
}

}  // namespace

std::string encode_arrow_schema(const Schema& schema) {
  FlatWriter w;
  w.put(0, 4);  // root offset, patched below
  int64_t next_dictionary_id = 0;
  const size_t root = w.table({{0, 2, 4}, {1, 1, 1}},  // version V5, header Schema
                              {{2, [&] {
                                  std::vector<FlatWriter::Ref> refs = {{1, [&] {
                                    return w.tables(schema.fields.size(), [&](size_t i) {
                                      return write_field(w, schema.fields[i], next_dictionary_id);
                                    });
                                  }}};
                                  if (!schema.metadata.empty()) refs.push_back({2, [&] { return write_key_values(w, schema.metadata); }});
                                  return w.table({}, std::move(refs));
                                }}});
  w.patch_u32(0, static_cast<uint32_t>(root));
  w.pad_to(8);
  std::string message("\xff\xff\xff\xff", 4);
  const auto length = static_cast<uint32_t>(w.buf.size());
  message.append(reinterpret_cast<const char*>(&length), 4);
  message += w.buf;
  return util::base64_encode(message);
}

ArrowSchema decode_arrow_schema(std::string_view base64) {
  const std::optional<std::string> decoded = util::base64_decode(base64);
  if (!decoded) corrupt("not base64");
  const std::string& bytes = *decoded;
  std::string_view fb(bytes);
  if (fb.size() >= 8 && fb.substr(0, 4) == std::string_view("\xff\xff\xff\xff", 4)) {
    uint32_t length;
    std::memcpy(&length, fb.data() + 4, 4);
    fb = fb.substr(8, length);
  } else if (fb.size() >= 4) {  // before Arrow 0.15: the length without the marker
    int32_t length;
    std::memcpy(&length, fb.data(), 4);
    if (length > 0 && static_cast<size_t>(length) <= fb.size() - 4) fb = fb.substr(4, static_cast<size_t>(length));
  }
  if (fb.size() < 12) corrupt("the message is too short");
  FlatReader r(fb);
  const FlatReader::Table message = r.table_at(r.follow(0));
  if (r.get(message, 1, 1, 0) != 1) corrupt("the message is not a schema");
  const std::optional<FlatReader::Table> schema = r.table(message, 2);
  if (!schema) corrupt("the message has no schema");
  ArrowSchema out;
  int64_t budget = static_cast<int64_t>(fb.size() / 8);  // a field takes more than 8 bytes
  for (const auto& f : r.tables(*schema, 1)) out.fields.push_back(read_field(r, f, 0, budget));
  out.metadata = read_key_values(r, *schema, 2);
  return out;
}

}  // namespace parkett::schema
