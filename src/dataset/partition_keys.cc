#include "dataset/partition_keys.h"

#include <cstring>
#include <functional>
#include <string_view>
#include <unordered_map>

#include "parkett/error.h"
#include "util/value_text.h"

namespace parkett::dataset {
namespace {

using Id = DataType::Id;

constexpr const char* kHiveNull = "__HIVE_DEFAULT_PARTITION__";

bool escaped_by_hive(unsigned char c) {
  if (c < 0x20 || c == 0x7F) return true;
  return std::strchr("\"#%'*/:=?\\{}[]^", c) != nullptr && c != 0;
}

bool supported(const DataType& t) {
  switch (t.id()) {
    case Id::Boolean: case Id::Int8: case Id::Int16: case Id::Int32: case Id::Int64: case Id::UInt8:
    case Id::UInt16: case Id::UInt32: case Id::UInt64: case Id::Float32: case Id::Float64: case Id::Date32:
    case Id::Timestamp: case Id::Decimal128: case Id::Decimal256: case Id::String: case Id::LargeString:
      return true;
    default: return false;
  }
}

template <class T>
T load(std::string_view raw) {
  T v;
  std::memcpy(&v, raw.data(), sizeof(T));
  return v;
}

// "2024-01-31 12:00:00[.fraction without trailing zeros]", as Spark names timestamp partitions.
std::string timestamp_text(int64_t value, TimeUnit unit) {
  std::string s = util::format_timestamp(value, unit, false);
  const size_t t = s.find('T');
  if (t != std::string::npos) s[t] = ' ';
  const size_t dot = s.find('.', t == std::string::npos ? 0 : t);
  if (dot != std::string::npos) {
    size_t end = s.size();
    while (end > dot + 1 && s[end - 1] == '0') --end;
    s.resize(end == dot + 1 ? dot : end);
  }
  return s;
}

// A whole float keeps a ".0" (as Spark writes it), so that readers infer a float, not an integer.
std::string float_text(std::string s) {
  if (s.find_first_of(".eEIN") == std::string::npos) s += ".0";
  return s;
}

// A value's bytes as stored in its Arrow array (little-endian), as text.
std::string value_text(const DataType& t, std::string_view raw) {
  switch (t.id()) {
    case Id::Boolean: return raw[0] ? "true" : "false";
    case Id::Int8: return std::to_string(load<int8_t>(raw));
    case Id::Int16: return std::to_string(load<int16_t>(raw));
    case Id::Int32: return std::to_string(load<int32_t>(raw));
    case Id::Int64: return std::to_string(load<int64_t>(raw));
    case Id::UInt8: return std::to_string(load<uint8_t>(raw));
    case Id::UInt16: return std::to_string(load<uint16_t>(raw));
    case Id::UInt32: return std::to_string(load<uint32_t>(raw));
    case Id::UInt64: return std::to_string(load<uint64_t>(raw));
    case Id::Float32: return float_text(util::format_float(load<float>(raw)));
    case Id::Float64: return float_text(util::format_double(load<double>(raw)));
    case Id::Date32: return util::format_date(load<int32_t>(raw));
    case Id::Timestamp: return timestamp_text(load<int64_t>(raw), t.unit());
    case Id::Decimal128:
    case Id::Decimal256: return util::format_decimal_bytes(std::string(raw.rbegin(), raw.rend()), t.scale());
    default: return std::string(raw);
  }
}

// A string array's characters (an imported array of empty strings may have none).
const char* chars(const ArrayData& a) {
  if (a.buffers.size() < 3 || !a.buffers[2]) throw Error(ErrorKind::InvalidArgument, "a string array has no data buffer");
  return reinterpret_cast<const char*>(a.buffers[2]->data());
}

struct BytesHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

}  // namespace

std::string escape_path_segment(const std::string& value) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  out.reserve(value.size());
  for (size_t i = 0; i < value.size(); ++i) {
    const auto c = static_cast<unsigned char>(value[i]);
    if (escaped_by_hive(c) || (i == 0 && (c == '.' || c == '_'))) {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

// One partition column: its distinct values (one id per distinct text) and their texts.
struct PartitionKeys::Column {
  std::string name;
  DataType type;  // of the values (a dictionary's value type)
  std::unordered_map<std::string, uint32_t, BytesHash, std::equal_to<>> id_of_bytes;
  std::unordered_map<std::string, uint32_t> id_of_text;
  std::vector<std::optional<std::string>> texts;  // per id
  std::optional<uint32_t> null_id;

  uint32_t id(std::string_view raw) {
    const auto it = id_of_bytes.find(raw);
    if (it != id_of_bytes.end()) return it->second;
    std::string text = value_text(type, raw);
    auto [t, added] = id_of_text.emplace(text, static_cast<uint32_t>(texts.size()));
    if (added) texts.emplace_back(std::move(text));
    id_of_bytes.emplace(std::string(raw), t->second);
    return t->second;
  }
  uint32_t null() {
    if (!null_id) {
      null_id = static_cast<uint32_t>(texts.size());
      texts.emplace_back(std::nullopt);
    }
    return *null_id;
  }

  // The value id of every row of `a` (a's type is `type`, or a dictionary of it).
  void ids(const ArrayData& a, std::vector<uint32_t>& out) {
    out.resize(static_cast<size_t>(a.length));
    const uint8_t* valid = a.buffers.empty() || !a.buffers[0] || a.null_count == 0 ? nullptr : a.buffers[0]->data();
    const auto is_null = [&](int64_t r) {
      const int64_t b = a.offset + r;
      return valid && !((valid[b >> 3] >> (b & 7)) & 1);
    };
    if (a.type.id() == Id::Dictionary) {
      std::vector<uint32_t> of_entry;
      ids(*a.dictionary, of_entry);
      const int32_t* index = a.buffers.at(1)->as<int32_t>() + a.offset;
      for (int64_t r = 0; r < a.length; ++r) {
        if (is_null(r)) {
          out[static_cast<size_t>(r)] = null();
          continue;
        }
        const int32_t i = index[r];
        if (i < 0 || i >= a.dictionary->length) {
          throw Error(ErrorKind::InvalidArgument, "partition column '" + name + "' has a dictionary index out of range");
        }
        out[static_cast<size_t>(r)] = of_entry[static_cast<size_t>(i)];
      }
      return;
    }
    // The value's bytes; the id of the row before is reused while the bytes repeat.
    std::string_view last;
    uint32_t last_id = 0;
    bool have_last = false;
    char bit;
    for (int64_t r = 0; r < a.length; ++r) {
      if (is_null(r)) {
        out[static_cast<size_t>(r)] = null();
        continue;
      }
      const int64_t at = a.offset + r;
      std::string_view raw;
      switch (a.type.id()) {
        case Id::Boolean:
          bit = static_cast<char>((a.buffers.at(1)->data()[at >> 3] >> (at & 7)) & 1);
          raw = std::string_view(&bit, 1);
          break;
        case Id::String: {
          const int32_t* o = a.buffers.at(1)->as<int32_t>();
          raw = o[at + 1] == o[at] ? std::string_view()
                                   : std::string_view(chars(a) + o[at], static_cast<size_t>(o[at + 1] - o[at]));
          break;
        }
        case Id::LargeString: {
          const int64_t* o = a.buffers.at(1)->as<int64_t>();
          raw = o[at + 1] == o[at] ? std::string_view()
                                   : std::string_view(chars(a) + o[at], static_cast<size_t>(o[at + 1] - o[at]));
          break;
        }
        default: {
          const auto w = static_cast<size_t>(a.type.value_width());
          raw = std::string_view(reinterpret_cast<const char*>(a.buffers.at(1)->data()) + static_cast<size_t>(at) * w, w);
        }
      }
      if (!(have_last && raw == last) || a.type.id() == Id::Boolean) {
        last_id = id(raw);
        last = raw;
        have_last = a.type.id() != Id::Boolean;  // a bool's bytes live in `bit`, rewritten
      }
      out[static_cast<size_t>(r)] = last_id;
    }
  }
};

struct PartitionKeys::Combined {
  // Per column after the first: (id of the columns before, value id) -> id of the columns so far.
  std::vector<std::unordered_map<uint64_t, uint32_t>> levels;
  std::vector<uint32_t> level_sizes;
  std::vector<int64_t> partition_of_last;  // the id over every column -> partition (-1: none yet)
};

PartitionKeys::PartitionKeys(const Schema& schema, const std::vector<std::string>& columns, Partitioning::Kind flavor)
    : flavor_(flavor), combined_(std::make_unique<Combined>()) {
  if (flavor != Partitioning::Kind::Hive && flavor != Partitioning::Kind::Directory) {
    throw Error(ErrorKind::InvalidArgument, "a dataset is written with Hive or Directory partitioning");
  }
  for (const std::string& name : columns) {
    const int i = schema.field_index(name);
    if (i < 0) throw Error(ErrorKind::InvalidArgument, "partition_by: the data has no column '" + name + "'");
    if (std::find(columns_.begin(), columns_.end(), i) != columns_.end()) {
      throw Error(ErrorKind::InvalidArgument, "partition_by names '" + name + "' twice");
    }
    const Field& f = schema.fields[static_cast<size_t>(i)];
    const DataType& values = f.type.id() == Id::Dictionary ? f.type.value_type() : f.type;
    if (!supported(values)) {
      throw Error(ErrorKind::Unsupported, "partition_by: column '" + name + "' is " + f.type.to_string() +
                                              "; partition values are integers, booleans, floats, decimals, dates, "
                                              "timestamps or strings");
    }
    columns_.push_back(i);
    auto c = std::make_unique<Column>();
    c->name = name;
    c->type = values;
    keys_.push_back(std::move(c));
  }
  if (columns_.size() > 1) {
    combined_->levels.resize(columns_.size() - 1);
    combined_->level_sizes.assign(columns_.size() - 1, 0);
  }
}

PartitionKeys::~PartitionKeys() = default;

void PartitionKeys::group(const RecordBatch& batch, std::vector<Group>& out) {
  out.clear();
  const auto rows = static_cast<size_t>(batch.num_rows);
  if (rows == 0) return;
  row_partition_.assign(rows, 0);
  Combined& m = *combined_;
  if (columns_.empty()) {
    if (partitions_.empty()) partitions_.push_back({{}, ""});
  } else {
    // The id of the columns so far, column by column; then that id's partition.
    for (size_t c = 0; c < columns_.size(); ++c) {
      keys_[c]->ids(*batch.columns.at(static_cast<size_t>(columns_[c])), row_ids_);
      if (c == 0) {
        row_partition_.swap(row_ids_);
        continue;
      }
      auto& level = m.levels[c - 1];
      uint64_t last_key = ~uint64_t{0};
      uint32_t last = 0;
      for (size_t r = 0; r < rows; ++r) {
        const uint64_t key = (uint64_t{row_partition_[r]} << 32) | row_ids_[r];
        if (key != last_key) {
          auto [it, added] = level.emplace(key, m.level_sizes[c - 1]);
          if (added) ++m.level_sizes[c - 1];
          last = it->second;
          last_key = key;
        }
        row_partition_[r] = last;
      }
    }
    // The ids over every column become partitions (with their directories) on first sight.
    uint32_t last_id = ~uint32_t{0};
    uint32_t last_partition = 0;
    for (size_t r = 0; r < rows; ++r) {
      const uint32_t id = row_partition_[r];
      if (id != last_id) {
        if (id >= m.partition_of_last.size()) m.partition_of_last.resize(id + 1, -1);
        if (m.partition_of_last[id] < 0) {
          Partition p;
          p.value_ids.resize(columns_.size());
          // Recover each column's value id from the row (the combined id does not keep them).
          for (size_t c = 0; c < columns_.size(); ++c) {
            std::vector<uint32_t> one;
            const ArrayPtr row = slice(batch.columns.at(static_cast<size_t>(columns_[c])), static_cast<int64_t>(r), 1);
            keys_[c]->ids(*row, one);
            p.value_ids[c] = one.at(0);
            const std::optional<std::string>& text = keys_[c]->texts[one[0]];
            if (!p.directory.empty()) p.directory += '/';
            if (flavor_ == Partitioning::Kind::Hive) p.directory += escape_path_segment(keys_[c]->name) + '=';
            if (!text) {
              p.directory += kHiveNull;
            } else if (text->empty() && flavor_ == Partitioning::Kind::Directory) {
              throw Error(ErrorKind::InvalidArgument, "partition column '" + keys_[c]->name +
                                                          "' holds an empty string, which a directory partitioning "
                                                          "cannot name (a hive one can: '" + keys_[c]->name + "=')");
            } else {
              p.directory += escape_path_segment(*text);
            }
          }
          m.partition_of_last[id] = static_cast<int64_t>(partitions_.size());
          partitions_.push_back(std::move(p));
        }
        last_id = id;
        last_partition = static_cast<uint32_t>(m.partition_of_last[id]);
      }
      row_partition_[r] = last_partition;
    }
  }
  // Partitions become groups in order of first row.
  group_of_partition_.assign(partitions_.size(), -1);
  for (size_t r = 0; r < rows; ++r) {
    int32_t& g = group_of_partition_[row_partition_[r]];
    if (g < 0) {
      g = static_cast<int32_t>(out.size());
      out.push_back({row_partition_[r], 0});
    }
    ++out[static_cast<size_t>(g)].rows;
    row_partition_[r] = static_cast<uint32_t>(g);
  }
}

const std::string& PartitionKeys::directory(uint32_t p) const { return partitions_.at(p).directory; }

std::vector<std::optional<std::string>> PartitionKeys::values(uint32_t p) const {
  std::vector<std::optional<std::string>> out;
  for (size_t c = 0; c < keys_.size(); ++c) out.push_back(keys_[c]->texts.at(partitions_.at(p).value_ids[c]));
  return out;
}

}  // namespace parkett::dataset
