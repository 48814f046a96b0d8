#include "convert/jsonl_reader.h"

#include <cstring>
#include <deque>

#include <nlohmann/json.hpp>

#include "parkett/error.h"

namespace parkett::convert {
namespace {

using Id = DataType::Id;
using json = nlohmann::ordered_json;  // keys in the order of the line

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

class Builder {
 public:
  Builder(const std::string& file) : file_(file) {}

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
      case Id::Int64:
      case Id::Float64: {
        auto data = Buffer::allocate(n * 8, true);
        for (size_t i = 0; i < n; ++i) {
          if (is_null(values[i])) continue;
          const json& v = *values[i].v;
          if (t.id() == Id::Int64) {
            if (!v.is_number_integer() || (v.is_number_unsigned() && v.get<uint64_t>() > INT64_MAX)) mismatch(values[i], t, path);
            data->as<int64_t>()[i] = v.get<int64_t>();
          } else {
            if (!v.is_number()) mismatch(values[i], t, path);
            data->as<double>()[i] = v.get<double>();
          }
          valid(i);
        }
        a->buffers = {validity, data};
        break;
      }
      case Id::String: {
        auto offsets = Buffer::allocate((n + 1) * 4, true);
        std::string text;
        for (size_t i = 0; i < n; ++i) {
          if (!is_null(values[i])) {
            text += values[i].v->is_string() ? values[i].v->get_ref<const std::string&>() : values[i].v->dump();
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
    throw Error(ErrorKind::InvalidArgument, "line " + std::to_string(v.line) + ", field '" + path + "': " +
                                                v.v->dump().substr(0, 80) + " is not " + t.to_string() +
                                                " (inferred from the first lines)",
                {file_, {}, {}, {}});
  }
  const std::string& file_;
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
}

JsonlReader::~JsonlReader() = default;

bool JsonlReader::read_row() {
  std::string text;
  while (std::getline(in_, text)) {
    ++line_;
    bytes_ += static_cast<int64_t>(text.size()) + 1;
    if (text.find_first_not_of(" \t\r") == std::string::npos) continue;  // blank line
    json v = json::parse(text, nullptr, false);
    if (v.is_discarded()) {
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
  Builder b(name_);
  const ArrayPtr all = b.build(DataType::structure(schema_.fields), values, "");
  out = RecordBatch{};
  out.schema = schema_;
  out.num_rows = static_cast<int64_t>(n);
  out.columns = all->children;
  rows_->pending.erase(rows_->pending.begin(), rows_->pending.begin() + static_cast<std::ptrdiff_t>(n));
  return true;
}

}  // namespace parkett::convert
