#include "convert/jsonl_reader.h"

#include <algorithm>
#include <cstring>
#include <deque>
#include <limits>
#include <string_view>

#include <nlohmann/json.hpp>

#include "convert/text_values.h"
#include "parkett/error.h"

namespace parkett::convert {
namespace {

using Id = DataType::Id;
using json = nlohmann::ordered_json;  // keys in the order of the line

// Deeper lines are refused before they are parsed: type inference, building and messages
// all recurse over a value's depth.
constexpr int kMaxDepth = 100;

// The deepest nesting of arrays and objects in a line of JSON text (strings skipped).
int nesting_depth(std::string_view text) {
  int depth = 0, deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

// A JSON number written as an integer but too large for 64 bits (nlohmann would make it
// a double, rounding it silently) is kept as its digits, in a binary value (which JSON text
// never produces): it is inferred as text and refused where a --schema asks for an integer.
class LineParser : public nlohmann::detail::json_sax_dom_parser<json> {
 public:
  using Base = nlohmann::detail::json_sax_dom_parser<json>;
  using Base::Base;
  bool number_float(json::number_float_t value, const json::string_t& text) {
    if (!is_integer_text(text)) return Base::number_float(value, text);
    json::binary_t digits(std::vector<std::uint8_t>(text.begin(), text.end()));
    return Base::binary(digits);
  }
};

bool is_big_integer(const json& v) { return v.is_binary(); }

std::string big_integer_text(const json& v) {
  const auto& b = v.get_binary();
  return std::string(b.begin(), b.end());
}

// A value as the text a string column keeps: strings as they are, big integers as their
// digits, anything else as its JSON text.
std::string text_of(const json& v) {
  if (v.is_string()) return v.get_ref<const std::string&>();
  if (is_big_integer(v)) return big_integer_text(v);
  return v.dump();
}

// At most about `limit` characters of a value's JSON text, for messages: a huge or deep
// value is never serialised whole.
void brief(const json& v, size_t limit, std::string& out) {
  if (out.size() >= limit) return;
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    size_t n = std::min(s.size(), limit - out.size());
    while (n < s.size() && n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;  // whole characters
    out += json(s.substr(0, n)).dump();
  } else if (v.is_array() || v.is_object()) {
    out += v.is_array() ? '[' : '{';
    bool first = true;
    for (auto it = v.begin(); it != v.end() && out.size() < limit; ++it) {
      if (!first) out += ',';
      first = false;
      if (v.is_object()) out += json(it.key()).dump() + ':';
      brief(it.value(), limit, out);
    }
    out += v.is_array() ? ']' : '}';
  } else {
    out += is_big_integer(v) ? big_integer_text(v) : v.dump();
  }
}

std::string brief(const json& v) {
  std::string out;
  brief(v, 80, out);
  return out;
}

// The type of one JSON value; Null until a non-null value is seen.
DataType type_of(const json& v);

DataType merge(const DataType& a, const DataType& b) {
  if (a.id() == Id::Null) return b;
  if (b.id() == Id::Null || a == b) return a;
  if ((a.id() == Id::Int64 && b.id() == Id::Float64) || (a.id() == Id::Float64 && b.id() == Id::Int64)) {
    return DataType(Id::Float64);
  }
  if (a.id() == Id::List && b.id() == Id::List) {
    return DataType::list(Field{"item", merge(a.children()[0].type, b.children()[0].type), true, {}});
  }
  if (a.id() == Id::Struct && b.id() == Id::Struct) {
    std::vector<Field> fields = a.children();
    for (const Field& f : b.children()) {
      bool found = false;
      for (Field& g : fields) {
        if (g.name == f.name) {
          g.type = merge(g.type, f.type);
          found = true;
        }
      }
      if (!found) fields.push_back(f);
    }
    return DataType::structure(std::move(fields));
  }
  return DataType(Id::String);  // mixed kinds: the values' JSON text
}

DataType type_of(const json& v) {
  switch (v.type()) {
    case json::value_t::null: return DataType(Id::Null);
    case json::value_t::boolean: return DataType(Id::Boolean);
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: return DataType(Id::Int64);
    case json::value_t::number_float: return DataType(Id::Float64);
    case json::value_t::array: {
      DataType element(Id::Null);
      for (const json& e : v) element = merge(element, type_of(e));
      return DataType::list(Field{"item", element, true, {}});
    }
    case json::value_t::object: {
      std::vector<Field> fields;
      for (auto it = v.begin(); it != v.end(); ++it) fields.push_back(Field{it.key(), type_of(it.value()), true, {}});
      return DataType::structure(std::move(fields));
    }
    default: return DataType(Id::String);
  }
}

// Columns never seen with a value are strings (of nulls); so are empty structs, which Parquet
// cannot hold.
DataType settle(const DataType& t) {
  if (t.id() == Id::Null) return DataType(Id::String);
  if (t.id() == Id::List) return DataType::list(Field{"item", settle(t.children()[0].type), true, {}});
  if (t.id() == Id::Struct) {
    if (t.children().empty()) return DataType(Id::String);
    std::vector<Field> fields;
    for (const Field& f : t.children()) fields.push_back(Field{f.name, settle(f.type), true, {}});
    return DataType::structure(std::move(fields));
  }
  return t;
}

struct Value {
  const json* v;  // nullptr: null (absent key)
  int64_t line;
};

// A JSON integer as T, if it is one and fits.
template <class T>
bool json_integer(const json& v, T& out) {
  if (v.is_number_unsigned()) {
    const auto u = v.get<uint64_t>();
    if (u > static_cast<uint64_t>(std::numeric_limits<T>::max())) return false;
    out = static_cast<T>(u);
    return true;
  }
  if (!v.is_number_integer()) return false;
  const auto i = v.get<int64_t>();
  if (i < static_cast<int64_t>(std::numeric_limits<T>::min()) ||
      (i > 0 && static_cast<uint64_t>(i) > static_cast<uint64_t>(std::numeric_limits<T>::max()))) {
    return false;
  }
  out = static_cast<T>(i);
  return true;
}

// One scalar of a fixed-width type into `dst`; false when `v` is no such value.
bool put_scalar(const json& v, const DataType& t, uint8_t* dst) {
  auto put = [&](auto x) {
    std::memcpy(dst, &x, sizeof(x));
    return true;
  };
  switch (t.id()) {
    case Id::Int8: { int8_t x; return json_integer(v, x) && put(x); }
    case Id::Int16: { int16_t x; return json_integer(v, x) && put(x); }
    case Id::Int32: { int32_t x; return json_integer(v, x) && put(x); }
    case Id::Int64: { int64_t x; return json_integer(v, x) && put(x); }
    case Id::UInt8: { uint8_t x; return json_integer(v, x) && put(x); }
    case Id::UInt16: { uint16_t x; return json_integer(v, x) && put(x); }
    case Id::UInt32: { uint32_t x; return json_integer(v, x) && put(x); }
    case Id::UInt64: { uint64_t x; return json_integer(v, x) && put(x); }
    case Id::Float32:
    case Id::Float64: {
      double d;
      if (v.is_number()) d = v.get<double>();
      else if (!is_big_integer(v) || !parse_double(big_integer_text(v), d)) return false;
      return t.id() == Id::Float32 ? put(static_cast<float>(d)) : put(d);
    }
    case Id::Date32: {
      int32_t days;
      if (v.is_string()) return parse_date(v.get_ref<const std::string&>(), days) && put(days);
      return json_integer(v, days) && put(days);
    }
    case Id::Timestamp: {
      int64_t x;
      bool zoned;
      if (v.is_string()) return parse_timestamp(v.get_ref<const std::string&>(), t.unit(), x, zoned) && put(x);
      return json_integer(v, x) && put(x);
    }
    default: return false;
  }
}

// A sample's top-level string field whose values are all ISO dates (date32) or all ISO
// timestamps or dates (timestamp[us], UTC when any has a zone); else string.
DataType temporal_or_string(const std::deque<std::pair<json, int64_t>>& rows, const std::string& name) {
  bool dates = true, timestamps = true, zoned_any = false, any = false;
  for (const auto& [row, line] : rows) {
    auto it = row.find(name);
    if (it == row.end() || it->is_null()) continue;
    if (!it->is_string()) return DataType(Id::String);
    const std::string& text = it->get_ref<const std::string&>();
    int32_t days;
    int64_t micros;
    bool zoned;
    any = true;
    dates = dates && parse_date(text, days);
    if (timestamps && parse_timestamp(text, TimeUnit::Micro, micros, zoned)) zoned_any |= zoned;
    else timestamps = false;
    if (!dates && !timestamps) return DataType(Id::String);
  }
  if (!any) return DataType(Id::String);
  if (dates) return DataType(Id::Date32);
  return DataType::timestamp(TimeUnit::Micro, zoned_any ? "UTC" : "");
}

class Builder {
 public:
  Builder(const std::string& file, const std::set<std::string>& given) : file_(file), given_(given) {}

  ArrayPtr build(const DataType& t, const std::vector<Value>& values, const std::string& path) {
    auto a = std::make_shared<ArrayData>();
    a->type = t;
    a->length = static_cast<int64_t>(values.size());
    const size_t n = values.size();
    auto validity = Buffer::allocate((n + 7) / 8, true);
    auto valid = [&](size_t i) { validity->data()[i >> 3] |= static_cast<uint8_t>(1u << (i & 7)); };
    auto is_null = [](const Value& x) { return !x.v || x.v->is_null(); };
    switch (t.id()) {
      case Id::Boolean: {
        auto bits = Buffer::allocate((n + 7) / 8, true);
        for (size_t i = 0; i < n; ++i) {
          if (is_null(values[i])) continue;
          if (!values[i].v->is_boolean()) mismatch(values[i], t, path);
          valid(i);
          if (values[i].v->get<bool>()) bits->data()[i >> 3] |= static_cast<uint8_t>(1u << (i & 7));
        }
        a->buffers = {validity, bits};
        break;
      }
      case Id::Int8:
      case Id::Int16:
      case Id::Int32:
      case Id::Int64:
      case Id::UInt8:
      case Id::UInt16:
      case Id::UInt32:
      case Id::UInt64:
      case Id::Float32:
      case Id::Float64:
      case Id::Date32:
      case Id::Timestamp: {
        const auto width = static_cast<size_t>(t.value_width());
        auto data = Buffer::allocate(n * width, true);
        for (size_t i = 0; i < n; ++i) {
          if (is_null(values[i])) continue;
          if (!put_scalar(*values[i].v, t, data->data() + i * width)) mismatch(values[i], t, path);
          valid(i);
        }
        a->buffers = {validity, data};
        break;
      }
      case Id::Binary:
      case Id::String: {
        auto offsets = Buffer::allocate((n + 1) * 4, true);
        std::string text;
        for (size_t i = 0; i < n; ++i) {
          if (!is_null(values[i])) {
            text += text_of(*values[i].v);
            valid(i);
          }
          if (text.size() > INT32_MAX) throw Error(ErrorKind::InvalidArgument, "field '" + path + "' holds over 2 GiB in one batch");
          offsets->as<int32_t>()[i + 1] = static_cast<int32_t>(text.size());
        }
        auto data = Buffer::allocate(text.size());
        if (!text.empty()) std::memcpy(data->data(), text.data(), text.size());
        a->buffers = {validity, offsets, data};
        break;
      }
      case Id::List: {
        auto offsets = Buffer::allocate((n + 1) * 4, true);
        std::vector<Value> elements;
        for (size_t i = 0; i < n; ++i) {
          if (!is_null(values[i])) {
            if (!values[i].v->is_array()) mismatch(values[i], t, path);
            for (const json& e : *values[i].v) elements.push_back({&e, values[i].line});
            valid(i);
          }
          offsets->as<int32_t>()[i + 1] = static_cast<int32_t>(elements.size());
        }
        a->buffers = {validity, offsets};
        a->children.push_back(build(t.children()[0].type, elements, path + "[]"));
        break;
      }
      case Id::Struct: {
        std::vector<std::vector<Value>> children(t.children().size());
        for (size_t i = 0; i < n; ++i) {
          const bool present = !is_null(values[i]);
          if (present && !values[i].v->is_object()) mismatch(values[i], t, path);
          if (present) valid(i);
          for (size_t c = 0; c < children.size(); ++c) {
            const json* v = nullptr;
            if (present) {
              auto it = values[i].v->find(t.children()[c].name);
              if (it != values[i].v->end()) v = &*it;
            }
            children[c].push_back({v, values[i].line});
          }
        }
        a->buffers = {validity};
        for (size_t c = 0; c < children.size(); ++c) {
          const Field& f = t.children()[c];
          a->children.push_back(build(f.type, children[c], path.empty() ? f.name : path + "." + f.name));
        }
        break;
      }
      default:
        throw Error(ErrorKind::Internal, "JSON Lines builder has no " + t.to_string());
    }
    for (size_t i = 0; i < n; ++i) a->null_count += !((validity->data()[i >> 3] >> (i & 7)) & 1);
    if (a->null_count == 0) a->buffers[0] = nullptr;
    return a;
  }

 private:
  [[noreturn]] void mismatch(const Value& v, const DataType& t, const std::string& path) {
    const std::string top = path.substr(0, path.find_first_of(".["));
    throw Error(ErrorKind::InvalidArgument, "line " + std::to_string(v.line) + ", field '" + path + "': " +
                                                brief(*v.v) + " is not " + t.to_string() +
                                                (given_.count(top) ? "" : " (inferred from the first lines; give the type with --schema)"),
                {file_, {}, {}, {}});
  }
  const std::string& file_;
  const std::set<std::string>& given_;
};

}  // namespace

struct JsonlReader::Rows {
  std::deque<std::pair<json, int64_t>> pending;  // object and its line
};

JsonlReader::JsonlReader(std::istream& in, std::string name, JsonlOptions options)
    : in_(in), name_(std::move(name)), options_(options), rows_(std::make_unique<Rows>()) {
  while (static_cast<int64_t>(rows_->pending.size()) < options_.sample_rows && read_row()) {
  }
  DataType t = DataType::structure({});
  for (const auto& [row, line] : rows_->pending) t = merge(t, type_of(row));
  t = settle(t);
  if (t.id() != Id::Struct) throw Error(ErrorKind::InvalidArgument, "no JSON objects to take columns from", {name_, {}, {}, {}});
  schema_.fields = t.children();
  for (Field& f : schema_.fields) {
    if (f.type.id() == Id::String) f.type = temporal_or_string(rows_->pending, f.name);
  }
  if (options_.schema) {
    for (const Field& g : options_.schema->fields) {
      given_.insert(g.name);
      auto it = std::find_if(schema_.fields.begin(), schema_.fields.end(), [&](const Field& f) { return f.name == g.name; });
      if (it != schema_.fields.end()) it->type = g.type;
      else schema_.fields.push_back(Field{g.name, g.type, true, {}});
    }
  }
}

JsonlReader::~JsonlReader() = default;

bool JsonlReader::read_row() {
  std::string text;
  while (std::getline(in_, text)) {
    ++line_;
    bytes_ += static_cast<int64_t>(text.size()) + 1;
    if (text.find_first_not_of(" \t\r") == std::string::npos) continue;  // blank line
    if (nesting_depth(text) > kMaxDepth) {
      throw Error(ErrorKind::ResourceLimit, "line " + std::to_string(line_) + " nests arrays and objects deeper than " +
                                                std::to_string(kMaxDepth) + " levels",
                  {name_, {}, {}, {}});
    }
    json v;
    LineParser parser(v, false);
    if (!json::sax_parse(text, &parser) || parser.is_errored()) {
      throw Error(ErrorKind::InvalidArgument, "line " + std::to_string(line_) + " is not JSON", {name_, {}, {}, {}});
    }
    if (!v.is_object()) {
      throw Error(ErrorKind::InvalidArgument, "line " + std::to_string(line_) + " is not a JSON object", {name_, {}, {}, {}});
    }
    rows_->pending.emplace_back(std::move(v), line_);
    return true;
  }
  return false;
}

bool JsonlReader::next(RecordBatch& out) {
  while (!done_ && static_cast<int64_t>(rows_->pending.size()) < options_.batch_rows) {
    if (!read_row()) done_ = true;
  }
  if (rows_->pending.empty()) return false;
  const size_t n = std::min(rows_->pending.size(), static_cast<size_t>(options_.batch_rows));
  std::vector<Value> values;
  for (size_t i = 0; i < n; ++i) values.push_back({&rows_->pending[i].first, rows_->pending[i].second});
  Builder b(name_, given_);
  const ArrayPtr all = b.build(DataType::structure(schema_.fields), values, "");
  out = RecordBatch{};
  out.schema = schema_;
  out.num_rows = static_cast<int64_t>(n);
  out.columns = all->children;
  rows_->pending.erase(rows_->pending.begin(), rows_->pending.begin() + static_cast<std::ptrdiff_t>(n));
  return true;
}

}  // namespace parkett::convert
