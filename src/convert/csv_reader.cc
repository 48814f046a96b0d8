#include "convert/csv_reader.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <unordered_map>

#include "convert/text_values.h"
#include "parkett/error.h"

namespace parkett::convert {
namespace {

using Id = DataType::Id;

// The narrowest type holding every sample value of a column.
enum class Guess { Null, Bool, Int, Double, Date, Timestamp, TimestampUtc, String };

Guess widen(Guess g, std::string_view v) {
  if (g == Guess::String) return g;
  bool b;
  int64_t i;
  double d;
  int32_t day;
  int64_t us;
  bool zoned;
  auto timestamp = [&](std::string_view x) { return x.size() > 10 && parse_timestamp(x, TimeUnit::Micro, us, zoned); };
  // An integer too large for 64 bits stays text: a double would round it silently.
  if (is_integer_text(v) && !parse_int(v, i)) return Guess::String;
  switch (g) {
    case Guess::Null:
      if (parse_bool(v, b)) return Guess::Bool;
      if (parse_int(v, i)) return Guess::Int;
      if (parse_double(v, d)) return Guess::Double;
      if (parse_date(v, day)) return Guess::Date;
      if (timestamp(v)) return zoned ? Guess::TimestampUtc : Guess::Timestamp;
      return Guess::String;
    case Guess::Bool: return parse_bool(v, b) ? g : Guess::String;
    case Guess::Int:
      if (parse_int(v, i)) return g;
      return parse_double(v, d) ? Guess::Double : Guess::String;
    case Guess::Double: return parse_double(v, d) ? g : Guess::String;
    case Guess::Date:
      if (parse_date(v, day)) return g;
      if (timestamp(v)) return zoned ? Guess::TimestampUtc : Guess::Timestamp;
      return Guess::String;
    case Guess::Timestamp:
    case Guess::TimestampUtc:
      if (parse_date(v, day)) return g;
      if (timestamp(v)) return zoned ? Guess::TimestampUtc : g;
      return Guess::String;
    case Guess::String: return g;
  }
  return Guess::String;
}

DataType type_of(Guess g) {
  switch (g) {
    case Guess::Bool: return DataType(Id::Boolean);
    case Guess::Int: return DataType(Id::Int64);
    case Guess::Double: return DataType(Id::Float64);
    case Guess::Date: return DataType(Id::Date32);
    case Guess::Timestamp: return DataType::timestamp(TimeUnit::Micro);
    case Guess::TimestampUtc: return DataType::timestamp(TimeUnit::Micro, "UTC");
    default: return DataType(Id::String);
  }
}

}  // namespace

Schema parse_schema_text(const std::string& text) {
  Schema schema;
  size_t at = 0;
  while (at < text.size()) {
    // Fields are separated by commas outside brackets ("timestamp[us,UTC]" holds one).
    size_t end = at;
    int depth = 0;
    for (; end < text.size() && !(text[end] == ',' && depth == 0); ++end) {
      if (text[end] == '[') ++depth;
      if (text[end] == ']') --depth;
    }
    const std::string spec = text.substr(at, end - at);
    at = end + 1;
    const size_t colon = spec.rfind(':', spec.find('['));
    if (colon == std::string::npos || colon == 0) {
      throw Error(ErrorKind::InvalidArgument, "schema field '" + spec + "': expected NAME:TYPE");
    }
    const std::string name = trim(spec.substr(0, colon)), t = trim(spec.substr(colon + 1));
    static const std::pair<const char*, Id> kSimple[] = {
        {"bool", Id::Boolean}, {"int8", Id::Int8}, {"int16", Id::Int16}, {"int32", Id::Int32}, {"int64", Id::Int64},
        {"uint8", Id::UInt8}, {"uint16", Id::UInt16}, {"uint32", Id::UInt32}, {"uint64", Id::UInt64},
        {"float32", Id::Float32}, {"float", Id::Float32}, {"float64", Id::Float64}, {"double", Id::Float64},
        {"string", Id::String}, {"binary", Id::Binary}, {"date32", Id::Date32}, {"date", Id::Date32}};
    std::optional<DataType> type;
    for (const auto& [n, id] : kSimple) {
      if (t == n) type = DataType(id);
    }
    if (!type && t.rfind("timestamp[", 0) == 0 && t.back() == ']') {
      const std::string inside = t.substr(10, t.size() - 11);
      const size_t comma = inside.find(',');
      const std::string unit = trim(inside.substr(0, comma));
      const std::string zone = comma == std::string::npos ? "" : trim(inside.substr(comma + 1));
      const TimeUnit u = unit == "s" ? TimeUnit::Second : unit == "ms" ? TimeUnit::Milli : unit == "us" ? TimeUnit::Micro
                         : unit == "ns" ? TimeUnit::Nano : static_cast<TimeUnit>(-1);
      if (static_cast<int>(u) >= 0) type = DataType::timestamp(u, zone);
    }
    if (!type) {
      throw Error(ErrorKind::InvalidArgument, "schema field '" + name + "' has type '" + t +
                                                  "': expected bool, int8..int64, uint8..uint64, float32, float64, "
                                                  "string, binary, date32 or timestamp[s|ms|us|ns(,ZONE)]");
    }
    schema.fields.push_back(Field{name, *type, true, {}});
  }
  return schema;
}

CsvReader::CsvReader(std::istream& in, std::string name, CsvOptions options)
    : in_(in), name_(std::move(name)), options_(std::move(options)) {
  std::vector<std::string> header;
  std::vector<bool> quoted;
  if (!read_record(header, quoted)) throw Error(ErrorKind::InvalidArgument, "the CSV file is empty", {name_, {}, {}, {}});
  for (auto& h : header) h = trim(h);
  std::unordered_map<std::string, size_t> seen;
  for (size_t c = 0; c < header.size(); ++c) {
    auto [it, added] = seen.emplace(header[c], c);
    if (!added) {
      throw Error(ErrorKind::InvalidArgument, "the header names column '" + header[c] + "' twice (columns " +
                                                  std::to_string(it->second + 1) + " and " + std::to_string(c + 1) + ")",
                  {name_, {}, {}, {}});
    }
  }
  // The sample: the first rows, kept to be handed out first.
  for (int64_t i = 0; i < options_.sample_rows; ++i) {
    Row r;
    if (!read_record(r.fields, r.quoted)) break;
    r.line = line_;
    pending_.push_back(std::move(r));
  }
  if (options_.schema) {
    for (const std::string& h : header) {
      if (options_.schema->field_index(h) < 0) {
        throw Error(ErrorKind::InvalidArgument, "the schema given has no column '" + h + "' of the CSV header", {name_, {}, {}, {}});
      }
    }
    for (const std::string& h : header) schema_.fields.push_back(options_.schema->fields[static_cast<size_t>(options_.schema->field_index(h))]);
    return;
  }
  for (size_t c = 0; c < header.size(); ++c) {
    Guess g = Guess::Null;
    for (const Row& r : pending_) {
      if (c < r.fields.size() && (!r.fields[c].empty() || r.quoted[c])) g = widen(g, r.fields[c]);
    }
    schema_.fields.push_back(Field{header[c], type_of(g), true, {}});
  }
}

bool CsvReader::read_record(std::vector<std::string>& fields, std::vector<bool>& quoted) {
  fields.clear();
  quoted.clear();
  std::string field;
  bool in_quotes = false, was_quoted = false, any = false;
  const int64_t start_line = line_ + 1;
  int ch;
  while ((ch = in_.get()) != EOF) {
    ++bytes_;
    any = true;
    const char c = static_cast<char>(ch);
    if (in_quotes) {
      if (c == '"') {
        if (in_.peek() == '"') {
          in_.get();
          ++bytes_;
          field += '"';
        } else {
          in_quotes = false;
        }
      } else {
        if (c == '\n') ++line_;
        field += c;
      }
      continue;
    }
    if (c == '"' && field.empty() && !was_quoted) {
      in_quotes = was_quoted = true;
    } else if (c == options_.delimiter) {
      fields.push_back(std::move(field));
      quoted.push_back(was_quoted);
      field.clear();
      was_quoted = false;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && in_.peek() == '\n') {
        in_.get();
        ++bytes_;
      }
      ++line_;
      break;
    } else {
      field += c;
    }
  }
  if (in_quotes) {
    throw Error(ErrorKind::InvalidArgument, "line " + std::to_string(start_line) + ": a quoted field is not closed",
                {name_, {}, {}, {}});
  }
  if (!any) return false;
  fields.push_back(std::move(field));
  quoted.push_back(was_quoted);
  if (fields.size() == 1 && fields[0].empty() && !quoted[0]) return read_record(fields, quoted);  // blank line
  return true;
}

bool CsvReader::next(RecordBatch& out) {
  if (!done_) {
    while (static_cast<int64_t>(pending_.size()) < options_.batch_rows) {
      Row r;
      if (!read_record(r.fields, r.quoted)) {
        done_ = true;
        break;
      }
      r.line = line_;
      pending_.push_back(std::move(r));
    }
  }
  if (pending_.empty()) return false;
  const size_t n = std::min(pending_.size(), static_cast<size_t>(options_.batch_rows));
  out = build(0, n);
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(n));
  return true;
}

RecordBatch CsvReader::build(size_t begin, size_t end) {
  const int64_t rows = static_cast<int64_t>(end - begin);
  RecordBatch batch;
  batch.schema = schema_;
  batch.num_rows = rows;
  for (size_t c = 0; c < schema_.fields.size(); ++c) {
    const Field& f = schema_.fields[c];
    const DataType& t = f.type;
    auto a = std::make_shared<ArrayData>();
    a->type = t;
    a->length = rows;
    auto validity = Buffer::allocate(static_cast<size_t>(rows + 7) / 8, true);
    const bool text = t.id() == Id::String || t.id() == Id::Binary;
    const size_t width = t.id() == Id::Boolean ? 0 : static_cast<size_t>(t.value_width());
    auto values = Buffer::allocate(text ? static_cast<size_t>(rows + 1) * 4 : t.id() == Id::Boolean ? static_cast<size_t>(rows + 7) / 8
                                                                                                    : static_cast<size_t>(rows) * width,
                                   true);
    std::string data;
    for (size_t r = begin; r < end; ++r) {
      const Row& row = pending_[r];
      const int64_t i = static_cast<int64_t>(r - begin);
      if (row.fields.size() != schema_.fields.size()) {
        throw Error(ErrorKind::InvalidArgument, "line " + std::to_string(row.line) + " has " + std::to_string(row.fields.size()) +
                                                    " fields, the header " + std::to_string(schema_.fields.size()),
                    {name_, {}, {}, {}});
      }
      const std::string& v = row.fields[c];
      const bool null = v.empty() && !row.quoted[c];
      if (text) {
        if (!null && t.id() == Id::String) {
          if (const size_t bad = invalid_utf8_at(v); bad != std::string_view::npos) {
            throw Error(ErrorKind::InvalidArgument,
                        "line " + std::to_string(row.line) + ", column '" + f.name + "': byte " + std::to_string(bad + 1) +
                            " of the value is not UTF-8 (string columns hold UTF-8 text; give the column the type "
                            "binary with --schema to keep the bytes)",
                        {name_, {}, {}, {}});
          }
        }
        if (!null) data += v;
        values->as<int32_t>()[i + 1] = static_cast<int32_t>(data.size());
        if (data.size() > INT32_MAX) throw Error(ErrorKind::InvalidArgument, "column '" + f.name + "' holds over 2 GiB in one batch");
      }
      if (null) {
        ++a->null_count;
        continue;
      }
      validity->data()[i >> 3] |= static_cast<uint8_t>(1u << (i & 7));
      if (text) continue;
      bool ok = false;
      uint8_t* dst = values->data() + static_cast<size_t>(i) * width;
      auto put = [&](auto x) {
        std::memcpy(dst, &x, sizeof(x));
        ok = true;
      };
      switch (t.id()) {
        case Id::Boolean: {
          bool b;
          if ((ok = parse_bool(v, b)) && b) values->data()[i >> 3] |= static_cast<uint8_t>(1u << (i & 7));
          break;
        }
        case Id::Int8: { int8_t x; if (parse_int(v, x)) put(x); break; }
        case Id::Int16: { int16_t x; if (parse_int(v, x)) put(x); break; }
        case Id::Int32: { int32_t x; if (parse_int(v, x)) put(x); break; }
        case Id::Int64: { int64_t x; if (parse_int(v, x)) put(x); break; }
        case Id::UInt8: { uint8_t x; if (parse_int(v, x)) put(x); break; }
        case Id::UInt16: { uint16_t x; if (parse_int(v, x)) put(x); break; }
        case Id::UInt32: { uint32_t x; if (parse_int(v, x)) put(x); break; }
        case Id::UInt64: { uint64_t x; if (parse_int(v, x)) put(x); break; }
        case Id::Float32: { double x; if (parse_double(v, x)) put(static_cast<float>(x)); break; }
        case Id::Float64: { double x; if (parse_double(v, x)) put(x); break; }
        case Id::Date32: { int32_t x; if (parse_date(v, x)) put(x); break; }
        case Id::Timestamp: {
          int64_t x;
          bool zoned;
          if (parse_timestamp(v, t.unit(), x, zoned)) put(x);  // a date is its midnight
          break;
        }
        default: break;
      }
      if (!ok) {
        throw Error(ErrorKind::InvalidArgument, "line " + std::to_string(row.line) + ", column '" + f.name + "': '" +
                                                    v.substr(0, 80) + "' is not " + t.to_string() +
                                                    (options_.schema ? "" : " (inferred from the first rows; give the types with --schema)"),
                    {name_, {}, {}, {}});
      }
    }
    a->buffers.push_back(a->null_count ? validity : nullptr);
    a->buffers.push_back(values);
    if (text) {
      auto d = Buffer::allocate(data.size());
      if (!data.empty()) std::memcpy(d->data(), data.data(), data.size());
      a->buffers.push_back(d);
    }
    batch.columns.push_back(a);
  }
  return batch;
}

}  // namespace parkett::convert
