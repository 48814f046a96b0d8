#include "file/arrow_schema_hint.h"

#include <cstring>

#include "parkett/error.h"
#include "parkett/schema.h"

namespace parkett::file {
namespace {

using Id = DataType::Id;
namespace tag = schema::arrow_tag;

bool is_list(const DataType& t) { return t.id() == Id::List || t.id() == Id::LargeList; }

// int32 offsets of `a` (the whole buffer, so the array's offset stays valid) as int64.
std::shared_ptr<Buffer> widened_offsets(const ArrayData& a) {
  const size_t n = static_cast<size_t>(a.offset + a.length + 1);
  auto out = Buffer::allocate(n * 8);
  const int32_t* in = a.buffers.at(1)->as<int32_t>();
  int64_t* o = out->as<int64_t>();
  for (size_t i = 0; i < n; ++i) o[i] = in[i];
  return out;
}

}  // namespace

std::optional<schema::ArrowSchema> stored_arrow_schema(const FileMetadata& metadata) {
  const std::string* value = nullptr;
  for (const auto& [k, v] : metadata.key_value_metadata()) {
    if (k == schema::kArrowSchemaKey && v) value = &*v;
  }
  if (!value) return std::nullopt;
  schema::ArrowSchema stored;
  try {
    stored = schema::decode_arrow_schema(*value);
  } catch (const Error&) {
    return std::nullopt;  // a hint only: the Parquet schema is read as it is
  }
  const ParquetSchema& ps = metadata.schema();
  const std::vector<int32_t>& top = ps.root().children;
  if (stored.fields.size() != top.size()) return std::nullopt;
  for (size_t i = 0; i < top.size(); ++i) {
    if (stored.fields[i].name != ps.node(top[i]).name) return std::nullopt;
  }
  return stored;
}

Field restore_field(const Field& read, const schema::ArrowField& hint) {
  Field out = read;
  for (const auto& kv : hint.metadata) {  // what the Parquet schema says (field ids) wins
    bool present = false;
    for (const auto& m : out.metadata) present |= m.first == kv.first;
    if (!present) out.metadata.push_back(kv);
  }
  const DataType& t = read.type;
  switch (t.id()) {
    case Id::String:
      if (hint.tag == tag::kLargeUtf8) out.type = DataType(Id::LargeString);
      break;
    case Id::Binary:
      if (hint.tag == tag::kLargeBinary) out.type = DataType(Id::LargeBinary);
      break;
    case Id::Timestamp:
      // Only a UTC-adjusted column takes the zone's name (the instants are UTC either way).
      if (!t.timezone().empty() && hint.tag == tag::kTimestamp && hint.type && !hint.type->timezone().empty()) {
        out.type = DataType::timestamp(t.unit(), hint.type->timezone());
      }
      break;
    case Id::List:
    case Id::LargeList:
      if ((hint.tag == tag::kList || hint.tag == tag::kLargeList) && hint.children.size() == 1) {
        Field element = restore_field(t.children().at(0), hint.children[0]);
        element.name = hint.children[0].name;
        out.type = DataType::list(std::move(element), hint.tag == tag::kLargeList || t.id() == Id::LargeList);
      }
      break;
    case Id::Struct:
      if (hint.tag == tag::kStruct && hint.children.size() == t.children().size()) {
        std::vector<Field> children;
        for (size_t i = 0; i < t.children().size(); ++i) children.push_back(restore_field(t.children()[i], hint.children[i]));
        out.type = DataType::structure(std::move(children));
      }
      break;
    case Id::Map:
      if (hint.tag == tag::kMap && hint.children.size() == 1 && hint.children[0].children.size() == 2) {
        const auto& entries = t.children().at(0).type.children();
        out.type = DataType::map(restore_field(entries.at(0), hint.children[0].children[0]),
                                 restore_field(entries.at(1), hint.children[0].children[1]), hint.keys_sorted);
      }
      break;
    default:
      break;
  }
  return out;
}

DataType with_large_offsets(const DataType& to, const DataType& got) {
  switch (to.id()) {
    case Id::String: return got.id() == Id::LargeString ? DataType(Id::LargeString) : to;
    case Id::Binary: return got.id() == Id::LargeBinary ? DataType(Id::LargeBinary) : to;
    case Id::List:
    case Id::LargeList:
      if (!is_list(got) || got.children().empty()) return to;
      {
        Field element = to.children().at(0);
        element.type = with_large_offsets(element.type, got.children()[0].type);
        return DataType::list(std::move(element), to.id() == Id::LargeList || got.id() == Id::LargeList);
      }
    case Id::Struct: {
      if (got.id() != Id::Struct || got.children().size() != to.children().size()) return to;
      std::vector<Field> fields = to.children();
      for (size_t i = 0; i < fields.size(); ++i) fields[i].type = with_large_offsets(fields[i].type, got.children()[i].type);
      return DataType::structure(std::move(fields));
    }
    case Id::Map: {
      if (got.id() != Id::Map) return to;
      const auto& want = to.children().at(0).type.children();
      const auto& have = got.children().at(0).type.children();
      if (want.size() != 2 || have.size() != 2) return to;
      Field key = want[0], value = want[1];
      key.type = with_large_offsets(key.type, have[0].type);
      value.type = with_large_offsets(value.type, have[1].type);
      return DataType::map(std::move(key), std::move(value), to.keys_sorted());
    }
    default: return to;
  }
}

DataType with_large_strings(const DataType& type) {
  switch (type.id()) {
    case Id::String: return DataType(Id::LargeString);
    case Id::Binary: return DataType(Id::LargeBinary);
    case Id::List:
    case Id::LargeList: {
      Field element = type.children().at(0);
      element.type = with_large_strings(element.type);
      return DataType::list(std::move(element), type.id() == Id::LargeList);
    }
    case Id::Struct: {
      std::vector<Field> fields = type.children();
      for (Field& f : fields) f.type = with_large_strings(f.type);
      return DataType::structure(std::move(fields));
    }
    case Id::Map: {
      const auto& entries = type.children().at(0).type.children();
      Field key = entries.at(0), value = entries.at(1);
      key.type = with_large_strings(key.type);
      value.type = with_large_strings(value.type);
      return DataType::map(std::move(key), std::move(value), type.keys_sorted());
    }
    default: return type;
  }
}

ArrayPtr conform(const ArrayPtr& array, const DataType& wanted) {
  if (!array || array->type == wanted) return array;
  // 64-bit offsets the decoder needed (over 2 GiB in a chunk) stay: relabelling them as 32-bit
  // ones would misread every value.
  const DataType to = with_large_offsets(wanted, array->type);
  if (array->type == to) return array;
  auto out = std::make_shared<ArrayData>(*array);
  const DataType from = array->type;
  out->type = to;
  if ((from.id() == Id::String && to.id() == Id::LargeString) || (from.id() == Id::Binary && to.id() == Id::LargeBinary) ||
      (from.id() == Id::List && to.id() == Id::LargeList)) {
    out->buffers[1] = widened_offsets(*array);
  }
  if (is_list(to)) {
    out->children[0] = conform(array->children.at(0), to.children().at(0).type);
  } else if (to.id() == Id::Struct) {
    for (size_t i = 0; i < out->children.size(); ++i) out->children[i] = conform(array->children[i], to.children().at(i).type);
  } else if (to.id() == Id::Map) {
    out->children[0] = conform(array->children.at(0), to.children().at(0).type);
  }
  return out;
}

void widen_large_offsets(Table& table) {
  bool widened = false;
  for (size_t f = 0; f < table.schema.fields.size(); ++f) {
    DataType type = table.schema.fields[f].type;
    for (const auto& b : table.batches) type = with_large_offsets(type, b.columns[f]->type);
    if (type == table.schema.fields[f].type) continue;
    table.schema.fields[f].type = type;
    for (auto& b : table.batches) b.columns[f] = conform(b.columns[f], type);
    widened = true;
  }
  if (widened) {
    for (auto& b : table.batches) b.schema = table.schema;
  }
}

}  // namespace parkett::file
