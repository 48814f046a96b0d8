#include "dataset/partitioning.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <map>

#include "parkett/error.h"
#include "util/value_text.h"

namespace parkett::dataset {
namespace {

using Id = DataType::Id;

// `__HIVE_DEFAULT_PARTITION__` is how Hive, Spark, pyarrow, DuckDB and polars write a null.
constexpr const char* kHiveNull = "__HIVE_DEFAULT_PARTITION__";

bool parse_int(const std::string& s, int64_t& out) {
  if (s.empty()) return false;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

// Decimal notation only ("1.5", "-2e3"): not "inf" or "nan", which name strings more often
// than numbers in a path.
bool parse_double(const std::string& s, double& out) {
  if (s.empty() || s.find_first_not_of("0123456789.eE+-") != std::string::npos) return false;
  if (s.find_first_of("0123456789") == std::string::npos) return false;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

// "YYYY-MM-DD" as days since the epoch.
std::optional<int64_t> parse_date(const std::string& s) {
  int32_t days;
  if (!util::parse_date(s, days)) return std::nullopt;
  return days;
}

// "YYYY-MM-DD HH:MM:SS[.ffffff]" (or with 'T'; no zone: partition values are local) as
// microseconds since the epoch.
std::optional<int64_t> parse_timestamp(const std::string& s) {
  int64_t micros;
  bool zoned;
  if (s.size() <= 10 || !util::parse_timestamp(s, TimeUnit::Micro, micros, zoned) || zoned) return std::nullopt;
  return micros;
}

// The digits of a whole number ("-123"), or 0 when the text is not one.
int32_t whole_number_digits(const std::string& s) {
  const size_t sign = !s.empty() && s[0] == '-' ? 1 : 0;
  if (s.size() == sign || s.find_first_not_of("0123456789", sign) != std::string::npos) return 0;
  return static_cast<int32_t>(s.size() - sign);
}

// The narrowest type every value reads as (Spark's order: integers, whole numbers of up to
// 38 digits as decimals, doubles, dates, timestamps, strings).
DataType infer(const std::vector<const std::string*>& values) {
  if (values.empty()) return DataType(Id::String);
  bool ints = true, int32s = true, decimals = true, doubles = true, dates = true, timestamps = true;
  int32_t precision = 1;
  for (const std::string* v : values) {
    int64_t i;
    double d;
    const bool is_int = parse_int(*v, i);
    ints &= is_int;
    int32s &= is_int && i >= INT32_MIN && i <= INT32_MAX;
    const int32_t digits = whole_number_digits(*v);
    decimals &= digits > 0 && digits <= 38;
    precision = std::max(precision, digits);
    doubles &= is_int || parse_double(*v, d);
    const bool is_date = parse_date(*v).has_value();
    dates &= is_date;
    timestamps &= is_date || parse_timestamp(*v).has_value();
  }
  if (int32s) return DataType(Id::Int32);
  if (ints) return DataType(Id::Int64);
  if (decimals) return DataType::decimal(precision, 0);
  if (doubles) return DataType(Id::Float64);
  if (dates) return DataType(Id::Date32);
  if (timestamps) return DataType::timestamp(TimeUnit::Micro);
  return DataType(Id::String);
}

// Whether `value` reads as `type`, and its bytes in an array of that type.
bool value_bytes(const DataType& type, const std::string& value, std::string& bytes) {
  auto put = [&bytes](const auto v) {
    bytes.assign(sizeof(v), '\0');
    std::memcpy(bytes.data(), &v, sizeof(v));
    return true;
  };
  int64_t i;
  double d;
  switch (type.id()) {
    case Id::Int32: return parse_int(value, i) && i >= INT32_MIN && i <= INT32_MAX && put(static_cast<int32_t>(i));
    case Id::Int64: return parse_int(value, i) && put(i);
    case Id::Float64:
      if (parse_int(value, i)) return put(static_cast<double>(i));
      return parse_double(value, d) && put(d);
    case Id::Date32: {
      const auto days = parse_date(value);
      return days && *days >= INT32_MIN && *days <= INT32_MAX && put(static_cast<int32_t>(*days));
    }
    case Id::Timestamp: {
      if (type.unit() != TimeUnit::Micro) return false;
      if (const auto days = parse_date(value)) return put(*days * 86400 * 1000000);
      const auto micros = parse_timestamp(value);
      return micros && put(*micros);
    }
    case Id::Decimal128: {
      __int128 unscaled;
      if (!util::parse_decimal(value, type.scale(), unscaled)) return false;
      __int128 limit = 1;
      for (int32_t p = 0; p < type.precision(); ++p) limit *= 10;
      return unscaled > -limit && unscaled < limit && put(unscaled);
    }
    case Id::String:
      bytes = value;
      return true;
    default: return false;
  }
}

bool supported(const DataType& type) {
  switch (type.id()) {
    case Id::Int32:
    case Id::Int64:
    case Id::Float64:
    case Id::Date32:
    case Id::Decimal128:
    case Id::String: return true;
    case Id::Timestamp: return type.unit() == TimeUnit::Micro;
    default: return false;
  }
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// Hive: each file's `key=value` segments (others are not partitions: pyarrow and DuckDB
// pass over them too).
void hive(const std::vector<std::vector<std::string>>& segments, const std::vector<std::string>& paths,
          const Partitioning& p, std::vector<std::string>& names, PartitionValues& out) {
  size_t reference = 0;  // the file whose keys the others are checked against
  for (size_t f = 0; f < segments.size(); ++f) {
    std::vector<std::string> keys;
    std::map<std::string, std::optional<std::string>> by_key;
    for (const std::string& s : segments[f]) {
      const size_t eq = s.find('=');
      if (eq == std::string::npos || eq == 0) continue;
      const std::string key = url_decode(s.substr(0, eq));
      const std::string raw = s.substr(eq + 1);
      if (by_key.count(key)) {
        throw Error(ErrorKind::InvalidArgument, "path '" + paths[f] + "' names the partition column '" + key + "' twice");
      }
      keys.push_back(key);
      by_key[key] = raw == kHiveNull ? std::nullopt : std::optional<std::string>(url_decode(raw));
    }
    if (f == 0) {
      names = keys;
    } else if (keys != names) {
      std::vector<std::string> a = keys, b = names;
      std::sort(a.begin(), a.end());
      std::sort(b.begin(), b.end());
      if (a != b || !p.allow_key_order_mismatch) {
        throw Error(ErrorKind::InvalidArgument,
                    "paths '" + paths[reference] + "' and '" + paths[f] + "' disagree on the partition columns (" +
                        joined(names) + " against " + joined(keys) + ")" +
                        (a == b ? "; Partitioning::allow_key_order_mismatch accepts keys in any order" : ""));
      }
    }
    std::vector<std::optional<std::string>> row;
    for (const std::string& n : names) row.push_back(by_key.count(n) ? by_key[n] : std::nullopt);
    out.values.push_back(std::move(row));
  }
}

}  // namespace

std::string url_decode(const std::string& text) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex(text[i + 1]) >= 0 && hex(text[i + 2]) >= 0) {
      out += static_cast<char>(hex(text[i + 1]) * 16 + hex(text[i + 2]));
      i += 2;
    } else {
      out += text[i];  // a lone '%' stays as written
    }
  }
  return out;
}

PartitionValues partition_files(const std::vector<std::vector<std::string>>& segments,
                                const std::vector<std::string>& paths, const Partitioning& partitioning) {
  PartitionValues out;
  Partitioning::Kind kind = partitioning.kind;
  if (kind == Partitioning::Kind::Detect) {
    // Hive when some directory is a `key=value` segment.
    kind = Partitioning::Kind::None;
    for (const auto& file : segments) {
      for (const std::string& s : file) {
        if (s.find('=') != std::string::npos && s[0] != '=') kind = Partitioning::Kind::Hive;
      }
    }
  }
  std::vector<std::string> names;
  switch (kind) {
    case Partitioning::Kind::None:
    case Partitioning::Kind::Detect: out.values.assign(segments.size(), {}); return out;
    case Partitioning::Kind::Hive: hive(segments, paths, partitioning, names, out); break;
    case Partitioning::Kind::Directory:
      if (partitioning.names.empty()) {
        throw Error(ErrorKind::InvalidArgument, "directory partitioning needs the names of its columns");
      }
      names = partitioning.names;
      // Missing levels are nulls, deeper ones are not partitions (as pyarrow reads them).
      for (const auto& file : segments) {
        std::vector<std::optional<std::string>> row;
        for (size_t c = 0; c < names.size(); ++c) {
          if (c >= file.size() || file[c] == kHiveNull) row.push_back(std::nullopt);
          else row.push_back(url_decode(file[c]));
        }
        out.values.push_back(std::move(row));
      }
      break;
  }
  for (size_t c = 0; c < names.size(); ++c) {
    Field field;
    field.name = names[c];
    field.nullable = true;
    const auto given = std::find_if(partitioning.types.begin(), partitioning.types.end(),
                                    [&](const Field& f) { return f.name == names[c]; });
    if (given != partitioning.types.end()) {
      field.type = given->type;
      if (!supported(field.type)) {
        throw Error(ErrorKind::InvalidArgument, "partition column '" + names[c] + "' cannot be read as " +
                                                    field.type.to_string() +
                                                    "; use int32, int64, float64, decimal128, date32, timestamp[us] or string");
      }
    } else {
      std::vector<const std::string*> present;
      for (const auto& row : out.values) {
        if (row[c]) present.push_back(&*row[c]);
      }
      field.type = partitioning.infer_types ? infer(present) : DataType(Id::String);
    }
    std::string bytes;
    for (size_t f = 0; f < out.values.size(); ++f) {
      const auto& v = out.values[f][c];
      if (v && !value_bytes(field.type, *v, bytes)) {
        throw Error(ErrorKind::InvalidArgument, "the value '" + *v + "' of partition column '" + names[c] +
                                                    "' in path '" + paths[f] + "' is not a " + field.type.to_string());
      }
    }
    out.schema.fields.push_back(std::move(field));
  }
  return out;
}

namespace {

// `value` written `n` times from `out`: the copies made so far are copied again, doubling,
// so that a million short values cost some twenty memcpy calls rather than a million.
void repeat(uint8_t* out, const std::string& value, size_t n) {
  const size_t total = value.size() * n;
  if (total == 0) return;
  std::memcpy(out, value.data(), value.size());
  for (size_t done = value.size(); done < total;) {
    const size_t step = std::min(done, total - done);
    std::memcpy(out + done, out, step);
    done += step;
  }
}

}  // namespace

ArrayPtr constant_array(const DataType& type, const std::optional<std::string>& value, int64_t length) {
  auto out = std::make_shared<ArrayData>();
  out->type = type;
  out->length = length;
  std::string bytes;
  if (value && !value_bytes(type, *value, bytes)) {
    throw Error(ErrorKind::Internal, "partition value '" + *value + "' is not a " + type.to_string());
  }
  if (!value) {
    out->null_count = length;
    out->buffers.push_back(Buffer::allocate(static_cast<size_t>((length + 7) / 8), true));
  } else {
    out->buffers.push_back(nullptr);
  }
  const auto n = static_cast<size_t>(length);
  if (type.id() == Id::String) {
    auto offsets = Buffer::allocate((n + 1) * sizeof(int32_t));
    if (static_cast<double>(bytes.size()) * static_cast<double>(length) > INT32_MAX) {
      throw Error(ErrorKind::Unsupported, "a partition value repeated past 2 GiB in one batch");
    }
    auto data = Buffer::allocate(bytes.size() * n);
    for (size_t i = 0; i <= n; ++i) offsets->as<int32_t>()[i] = static_cast<int32_t>(i * bytes.size());
    repeat(data->data(), bytes, n);
    out->buffers.push_back(offsets);
    out->buffers.push_back(data);
    return out;
  }
  const size_t width = static_cast<size_t>(type.value_width());
  auto values = Buffer::allocate(width * n, !value);
  if (value) repeat(values->data(), bytes.substr(0, width), n);
  out->buffers.push_back(values);
  return out;
}

}  // namespace parkett::dataset
