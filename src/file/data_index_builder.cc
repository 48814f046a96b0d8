#include "file/data_index_builder.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <optional>
#include <string_view>
#include <unordered_map>

#include "column/row_selection.h"
#include "file/data_index_layout.h"
#include "file/row_set_codec.h"
#include "parkett/error.h"

namespace parkett::file {
namespace {

using Id = DataType::Id;

bool key_type(const DataType& t) {
  switch (t.id()) {
    case Id::Boolean: case Id::Int8: case Id::Int16: case Id::Int32: case Id::Int64: case Id::UInt8:
    case Id::UInt16: case Id::UInt32: case Id::UInt64: case Id::Float32: case Id::Float64: case Id::String:
    case Id::LargeString: case Id::Binary: case Id::LargeBinary: case Id::FixedSizeBinary: case Id::Date32:
    case Id::Time32: case Id::Time64: case Id::Timestamp: case Id::Decimal128: case Id::Decimal256:
      return true;
    default:
      return false;
  }
}

bool variable_length(Id id) {
  return id == Id::String || id == Id::LargeString || id == Id::Binary || id == Id::LargeBinary;
}

bool large_offsets(Id id) { return id == Id::LargeString || id == Id::LargeBinary; }

template <class T>
T load(std::string_view raw) {
  T v;
  std::memcpy(&v, raw.data(), sizeof(T));
  return v;
}

template <class T>
int three_way(T a, T b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

// Floats ascending with NaN last; equal values (0.0 and -0.0) by their bits, so that the
// order is total.
template <class T>
int float_order(std::string_view a, std::string_view b) {
  const T x = load<T>(a), y = load<T>(b);
  if (std::isnan(x) != std::isnan(y)) return std::isnan(x) ? 1 : -1;
  if (!std::isnan(x) && x != y) return x < y ? -1 : 1;
  return a.compare(b) < 0 ? -1 : (a == b ? 0 : 1);
}

// Two's complement little-endian integers of any width (decimals).
int wide_integer_order(std::string_view a, std::string_view b) {
  const bool neg_a = static_cast<signed char>(a.back()) < 0, neg_b = static_cast<signed char>(b.back()) < 0;
  if (neg_a != neg_b) return neg_a ? -1 : 1;
  for (size_t i = a.size(); i-- > 0;) {
    const auto x = static_cast<unsigned char>(a[i]), y = static_cast<unsigned char>(b[i]);
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

int bytes_order(std::string_view a, std::string_view b) {
  const int c = a.compare(b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

// The order of two non-null values of type `t` (their bytes as the Arrow array holds them).
int value_order(const DataType& t, std::string_view a, std::string_view b) {
  switch (t.id()) {
    case Id::Boolean: case Id::UInt8: return three_way(load<uint8_t>(a), load<uint8_t>(b));
    case Id::Int8: return three_way(load<int8_t>(a), load<int8_t>(b));
    case Id::Int16: return three_way(load<int16_t>(a), load<int16_t>(b));
    case Id::UInt16: return three_way(load<uint16_t>(a), load<uint16_t>(b));
    case Id::Int32: case Id::Date32: case Id::Time32: return three_way(load<int32_t>(a), load<int32_t>(b));
    case Id::UInt32: return three_way(load<uint32_t>(a), load<uint32_t>(b));
    case Id::Int64: case Id::Time64: case Id::Timestamp: return three_way(load<int64_t>(a), load<int64_t>(b));
    case Id::UInt64: return three_way(load<uint64_t>(a), load<uint64_t>(b));
    case Id::Float32: return float_order<float>(a, b);
    case Id::Float64: return float_order<double>(a, b);
    case Id::Decimal128: case Id::Decimal256: return wide_integer_order(a, b);
    default: return bytes_order(a, b);
  }
}

// The bytes of row `row` of a (non-dictionary) array of a key type; a boolean's in `bit`.
std::string_view raw_value(const ArrayData& a, int64_t row, char& bit) {
  const int64_t at = a.offset + row;
  const Id id = a.type.id();
  if (id == Id::Boolean) {
    bit = static_cast<char>((a.buffers.at(1)->data()[at >> 3] >> (at & 7)) & 1);
    return {&bit, 1};
  }
  if (variable_length(id)) {
    int64_t begin, end;
    if (large_offsets(id)) {
      begin = a.buffers.at(1)->as<int64_t>()[at];
      end = a.buffers.at(1)->as<int64_t>()[at + 1];
    } else {
      begin = a.buffers.at(1)->as<int32_t>()[at];
      end = a.buffers.at(1)->as<int32_t>()[at + 1];
    }
    if (end == begin) return {};
    if (a.buffers.size() < 3 || !a.buffers[2]) throw Error(ErrorKind::InvalidArgument, "a string array has no data buffer");
    return {reinterpret_cast<const char*>(a.buffers[2]->data()) + begin, static_cast<size_t>(end - begin)};
  }
  const auto width = static_cast<size_t>(a.type.value_width());
  return {reinterpret_cast<const char*>(a.buffers.at(1)->data()) + static_cast<size_t>(at) * width, width};
}

void append_length(std::string& out, uint64_t n) { out.append(reinterpret_cast<const char*>(&n), sizeof n); }

void set_bit(uint8_t* bits, size_t i) { bits[i >> 3] = static_cast<uint8_t>(bits[i >> 3] | (1u << (i & 7))); }

// An array of `type` from values in order (nullopt: null).
ArrayPtr build_array(const DataType& type, const std::vector<std::optional<std::string_view>>& values,
                     const std::string& column) {
  auto a = std::make_shared<ArrayData>();
  a->type = type;
  const size_t n = values.size();
  a->length = static_cast<int64_t>(n);
  std::shared_ptr<Buffer> validity;
  for (size_t i = 0; i < n; ++i) {
    if (values[i]) continue;
    if (!validity) {
      validity = Buffer::allocate((n + 7) / 8);
      std::memset(validity->data(), 0xFF, (n + 7) / 8);
    }
    validity->data()[i >> 3] = static_cast<uint8_t>(validity->data()[i >> 3] & ~(1u << (i & 7)));
    ++a->null_count;
  }
  a->buffers.push_back(validity);
  const Id id = type.id();
  if (id == Id::Boolean) {
    auto bits = Buffer::allocate((n + 7) / 8, true);
    for (size_t i = 0; i < n; ++i) {
      if (values[i] && (*values[i])[0]) set_bit(bits->data(), i);
    }
    a->buffers.push_back(bits);
  } else if (variable_length(id)) {
    size_t total = 0;
    for (const auto& v : values) total += v ? v->size() : 0;
    const bool large = large_offsets(id);
    if (!large && total > static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
      throw Error(ErrorKind::ResourceLimit, "the distinct keys of column '" + column +
                                                "' hold more than 2 GiB: too many for one index table");
    }
    auto offsets = Buffer::allocate((n + 1) * (large ? 8 : 4));
    auto data = Buffer::allocate(std::max<size_t>(total, 1));
    size_t at = 0;
    for (size_t i = 0; i <= n; ++i) {
      if (large) offsets->as<int64_t>()[i] = static_cast<int64_t>(at);
      else offsets->as<int32_t>()[i] = static_cast<int32_t>(at);
      if (i < n && values[i] && !values[i]->empty()) {
        std::memcpy(data->data() + at, values[i]->data(), values[i]->size());
        at += values[i]->size();
      }
    }
    a->buffers.push_back(offsets);
    a->buffers.push_back(data);
  } else {
    const auto width = static_cast<size_t>(type.value_width());
    auto data = Buffer::allocate(std::max<size_t>(n * width, 1), true);
    for (size_t i = 0; i < n; ++i) {
      if (values[i]) std::memcpy(data->data() + i * width, values[i]->data(), width);
    }
    a->buffers.push_back(data);
  }
  return a;
}

}  // namespace

// The distinct keys seen so far, each with an id (in order of first appearance), and the
// key id of every row written. Keys live one after the other in `bytes`; the hash table
// holds, per slot, a key's hash (high half) and id + 1 (low half; 0: empty), so that a
// lookup touches one slot and, on a hash match, the key's bytes. Rows are grouped by key
// only at finish(), by a counting sort of `row_ids`: adding a row writes 4 bytes in order,
// where a list of ranges per key would be a random access per row.
struct DataIndexBuilder::Keys {
  std::vector<int> fields;     // per key column: its field in the schema
  std::vector<Field> out;      // per key column: its field in the index table
  std::string bytes;                // every key's bytes
  std::vector<size_t> key_begin{0};  // key id -> where its bytes start (and, at id + 1, end)
  std::vector<uint64_t> slots = std::vector<uint64_t>(1024, 0);
  std::vector<uint32_t> row_ids;    // per row of the file: its key's id

  size_t num_keys() const { return key_begin.size() - 1; }
  std::string_view key(uint32_t id) const { return std::string_view(bytes).substr(key_begin[id], key_begin[id + 1] - key_begin[id]); }

  static uint64_t hash(std::string_view k) { return std::hash<std::string_view>{}(k); }

  // The id of key `k` of hash `h`, a new one if `k` is new.
  uint32_t id_of(std::string_view k, uint64_t h) {
    const auto tag = static_cast<uint32_t>(h >> 32);
    const size_t mask = slots.size() - 1;
    for (size_t at = static_cast<size_t>(h) & mask;; at = (at + 1) & mask) {
      const uint64_t slot = slots[at];
      if (slot == 0) {
        if (num_keys() >= std::numeric_limits<uint32_t>::max() - 1) {
          throw Error(ErrorKind::ResourceLimit, "more than 4 billion distinct keys for one data index");
        }
        const auto id = static_cast<uint32_t>(num_keys());
        bytes.append(k);
        key_begin.push_back(bytes.size());
        slots[at] = (uint64_t{tag} << 32) | (uint64_t{id} + 1);
        if (2 * num_keys() > slots.size()) grow();
        return id;
      }
      const auto id = static_cast<uint32_t>((slot & 0xFFFFFFFFu) - 1);
      if (static_cast<uint32_t>(slot >> 32) == tag && key(id) == k) return id;
    }
  }

  void grow() {
    std::vector<uint64_t> old(slots.size() * 2, 0);
    old.swap(slots);
    const size_t mask = slots.size() - 1;
    for (uint32_t id = 0; id < num_keys(); ++id) {
      const uint64_t h = hash(key(id));
      size_t at = static_cast<size_t>(h) & mask;
      while (slots[at] != 0) at = (at + 1) & mask;
      slots[at] = ((h >> 32) << 32) | (uint64_t{id} + 1);
    }
  }

  // Each key column's value, one after the other: a null marker byte, then (unless null)
  // the value's bytes, preceded by their length when variable.
  void append_key(const std::vector<const ArrayData*>& arrays, int64_t row, std::string& key) const {
    char bit;
    for (size_t c = 0; c < arrays.size(); ++c) {
      const ArrayData* a = arrays[c];
      int64_t r = row;
      if (a->is_valid(r) && a->type.id() == Id::Dictionary) {
        const int32_t index = a->buffers.at(1)->as<int32_t>()[a->offset + r];
        if (!a->dictionary || index < 0 || index >= a->dictionary->length) {
          throw Error(ErrorKind::InvalidArgument, "index column '" + out[c].name + "' has a dictionary index out of range");
        }
        r = index;
        a = a->dictionary.get();
      }
      if (!a->is_valid(r)) {
        key.push_back('\0');
        continue;
      }
      key.push_back('\1');
      const std::string_view raw = raw_value(*a, r, bit);
      if (variable_length(a->type.id())) append_length(key, raw.size());
      key.append(raw);
    }
  }

  // The values of key `key` per column (nullopt: null).
  void split_key(std::string_view key, std::vector<std::optional<std::string_view>>& values) const {
    size_t at = 0;
    for (size_t c = 0; c < out.size(); ++c) {
      if (key[at++] == '\0') {
        values[c].reset();
        continue;
      }
      const DataType& t = out[c].type;
      size_t size = 1;
      if (variable_length(t.id())) {
        uint64_t n;
        std::memcpy(&n, key.data() + at, sizeof n);
        at += sizeof n;
        size = static_cast<size_t>(n);
      } else if (t.id() != Id::Boolean) {
        size = static_cast<size_t>(t.value_width());
      }
      values[c] = key.substr(at, size);
      at += size;
    }
  }
};

DataIndexBuilder::DataIndexBuilder(const Schema& schema, const std::vector<std::string>& parquet_names,
                                   std::vector<std::string> columns)
    : columns_(std::move(columns)), keys_(std::make_unique<Keys>()) {
  if (columns_.empty()) throw Error(ErrorKind::InvalidArgument, "an index (index_columns) names no column");
  for (const std::string& name : columns_) {
    const auto it = std::find(parquet_names.begin(), parquet_names.end(), name);
    if (it == parquet_names.end()) {
      throw Error(ErrorKind::InvalidArgument, "index column '" + name + "' is not a top-level column of the file");
    }
    const int f = static_cast<int>(it - parquet_names.begin());
    if (std::find(keys_->fields.begin(), keys_->fields.end(), f) != keys_->fields.end()) {
      throw Error(ErrorKind::InvalidArgument, "index column '" + name + "' is named twice in one index");
    }
    Field field = schema.fields.at(static_cast<size_t>(f));
    if (field.type.id() == Id::Dictionary) field.type = field.type.value_type();
    if (!key_type(field.type)) {
      throw Error(ErrorKind::Unsupported, "index column '" + name + "' is of type " + field.type.to_string() +
                                              ": only columns of primitive types can be index keys");
    }
    if (name == kRowSetColumn) {
      throw Error(ErrorKind::InvalidArgument, std::string("index column '") + kRowSetColumn +
                                                  "' has the name of the index table's row set column");
    }
    field.name = name;
    field.nullable = true;
    keys_->fields.push_back(f);
    keys_->out.push_back(std::move(field));
  }
}

DataIndexBuilder::~DataIndexBuilder() = default;

void DataIndexBuilder::add(const RecordBatch& batch) {
  Keys& k = *keys_;
  std::vector<const ArrayData*> arrays;
  for (int f : k.fields) arrays.push_back(batch.columns.at(static_cast<size_t>(f)).get());
  // Rows in blocks: every key of a block is hashed and its slot fetched ahead (the table
  // outgrows the caches with a few hundred thousand keys, and a lookup is then a wait for
  // memory), then looked up.
  constexpr int64_t kBlock = 64;
  std::string keys, last;
  std::vector<size_t> ends(kBlock + 1, 0);
  std::vector<uint64_t> hashes(kBlock);
  bool have_last = false;
  uint32_t last_id = 0;
  for (int64_t start = 0; start < batch.num_rows; start += kBlock) {
    const int64_t count = std::min(kBlock, batch.num_rows - start);
    keys.clear();
    for (int64_t i = 0; i < count; ++i) {
      k.append_key(arrays, start + i, keys);
      ends[static_cast<size_t>(i) + 1] = keys.size();
    }
    const auto key_at = [&](int64_t i) {
      return std::string_view(keys).substr(ends[static_cast<size_t>(i)], ends[static_cast<size_t>(i) + 1] - ends[static_cast<size_t>(i)]);
    };
    for (int64_t i = 0; i < count; ++i) {
      hashes[static_cast<size_t>(i)] = Keys::hash(key_at(i));
      __builtin_prefetch(&k.slots[hashes[static_cast<size_t>(i)] & (k.slots.size() - 1)]);
    }
    for (int64_t i = 0; i < count; ++i) {
      const std::string_view key = key_at(i);
      // Rows of one key often follow each other (sorted or clustered data): no lookup then.
      const std::string_view previous = i > 0 ? key_at(i - 1) : std::string_view(last);
      if (!(have_last || i > 0) || key != previous) last_id = k.id_of(key, hashes[static_cast<size_t>(i)]);
      k.row_ids.push_back(last_id);
    }
    last.assign(key_at(count - 1));
    have_last = true;
  }
}

Table DataIndexBuilder::finish() {
  Keys& k = *keys_;
  const size_t n = k.num_keys(), width = k.out.size();
  // values[id * width + c]: key id's value of column c.
  std::vector<std::optional<std::string_view>> values(n * width), one(width);
  for (uint32_t id = 0; id < n; ++id) {
    k.split_key(k.key(id), one);
    std::copy(one.begin(), one.end(), values.begin() + static_cast<std::ptrdiff_t>(id * width));
  }
  std::vector<uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    for (size_t c = 0; c < width; ++c) {
      const auto& x = values[a * width + c];
      const auto& y = values[b * width + c];
      if (!x || !y) {
        if (!x && !y) continue;
        return !x;  // nulls first
      }
      const int o = value_order(k.out[c].type, *x, *y);
      if (o != 0) return o < 0;
    }
    return false;
  });

  Table t;
  t.schema.fields = k.out;
  Field row_set;
  row_set.name = kRowSetColumn;
  row_set.type = DataType(Id::Binary);
  row_set.nullable = true;  // as Deephaven declares every column
  t.schema.fields.push_back(row_set);
  if (n == 0) return t;

  RecordBatch batch;
  batch.schema = t.schema;
  batch.num_rows = static_cast<int64_t>(n);
  std::vector<std::optional<std::string_view>> column_values(n);
  for (size_t c = 0; c < width; ++c) {
    for (size_t i = 0; i < n; ++i) column_values[i] = values[order[i] * width + c];
    batch.columns.push_back(build_array(k.out[c].type, column_values, k.out[c].name));
  }
  // Each key's rows, in order: a counting sort of the rows by key id.
  std::vector<uint64_t> first_row(n + 1, 0);
  for (const uint32_t id : k.row_ids) ++first_row[id + 1];
  for (size_t id = 0; id < n; ++id) first_row[id + 1] += first_row[id];
  std::vector<int64_t> rows_by_key(k.row_ids.size());
  {
    std::vector<uint64_t> next(first_row.begin(), first_row.end() - 1);
    for (size_t r = 0; r < k.row_ids.size(); ++r) rows_by_key[next[k.row_ids[r]]++] = static_cast<int64_t>(r);
  }
  std::vector<std::string> row_sets(n);
  std::vector<column::RowRange> ranges;
  size_t total = 0;
  for (size_t i = 0; i < n; ++i) {
    ranges.clear();
    for (uint64_t at = first_row[order[i]]; at < first_row[order[i] + 1]; ++at) {
      const int64_t row = rows_by_key[at];
      if (!ranges.empty() && ranges.back().end == row) ++ranges.back().end;
      else ranges.push_back({row, row + 1});
    }
    row_sets[i] = encode_row_set(ranges);
    total += row_sets[i].size();
    column_values[i] = row_sets[i];
  }
  if (total > static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
    t.schema.fields.back().type = DataType(Id::LargeBinary);
    batch.schema = t.schema;
  }
  batch.columns.push_back(build_array(t.schema.fields.back().type, column_values, kRowSetColumn));
  t.batches.push_back(std::move(batch));
  return t;
}

}  // namespace parkett::file
