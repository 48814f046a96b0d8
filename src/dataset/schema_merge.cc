#include "dataset/schema_merge.h"

#include <cstring>
#include <map>

#include "parkett/error.h"

namespace parkett::dataset {
namespace {

using Id = DataType::Id;

// Rank of an integer type within its signedness (0 for others), and whether it is signed.
int int_rank(Id id, bool& is_signed) {
  is_signed = true;
  switch (id) {
    case Id::Int8: return 1;
    case Id::Int16: return 2;
    case Id::Int32: return 3;
    case Id::Int64: return 4;
    default: break;
  }
  is_signed = false;
  switch (id) {
    case Id::UInt8: return 1;
    case Id::UInt16: return 2;
    case Id::UInt32: return 3;
    case Id::UInt64: return 4;
    default: return 0;
  }
}

// The wider of two types, if one widens to the other.
std::optional<DataType> wider(const DataType& a, const DataType& b) {
  if (widens(a, b)) return b;
  if (widens(b, a)) return a;
  return std::nullopt;
}

template <class From, class To>
void convert(const uint8_t* src, uint8_t* dst, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    From v;
    std::memcpy(&v, src + i * sizeof(From), sizeof(From));
    const To w = static_cast<To>(v);
    std::memcpy(dst + i * sizeof(To), &w, sizeof(To));
  }
}

// Integers of type `from` converted to `To`.
template <class To>
void convert_int(Id from, const uint8_t* src, uint8_t* dst, size_t n) {
  switch (from) {
    case Id::Int8: return convert<int8_t, To>(src, dst, n);
    case Id::Int16: return convert<int16_t, To>(src, dst, n);
    case Id::Int32: return convert<int32_t, To>(src, dst, n);
    case Id::Int64: return convert<int64_t, To>(src, dst, n);
    case Id::UInt8: return convert<uint8_t, To>(src, dst, n);
    case Id::UInt16: return convert<uint16_t, To>(src, dst, n);
    case Id::UInt32: return convert<uint32_t, To>(src, dst, n);
    case Id::UInt64: return convert<uint64_t, To>(src, dst, n);
    default: throw Error(ErrorKind::Internal, "not an integer type");
  }
}

}  // namespace

bool widens(const DataType& from, const DataType& to) {
  if (from == to) return true;
  bool from_signed, to_signed;
  const int a = int_rank(from.id(), from_signed), b = int_rank(to.id(), to_signed);
  if (a && b) return from_signed == to_signed && a < b;
  return from.id() == Id::Float32 && to.id() == Id::Float64;
}

ArrayPtr widen(const ArrayPtr& array, const DataType& to) {
  if (array->type == to) return array;
  if (!widens(array->type, to)) {
    throw Error(ErrorKind::Internal, "cannot widen " + array->type.to_string() + " to " + to.to_string());
  }
  auto out = std::make_shared<ArrayData>(*array);
  out->type = to;
  out->offset = 0;
  const auto n = static_cast<size_t>(array->length);
  const size_t from_width = static_cast<size_t>(array->type.value_width());
  const uint8_t* src = array->buffers.at(1)->data() + static_cast<size_t>(array->offset) * from_width;
  auto values = Buffer::allocate(n * static_cast<size_t>(to.value_width()));
  switch (to.id()) {
    case Id::Float64: convert<float, double>(src, values->data(), n); break;
    case Id::Int16: convert_int<int16_t>(array->type.id(), src, values->data(), n); break;
    case Id::Int32: convert_int<int32_t>(array->type.id(), src, values->data(), n); break;
    case Id::Int64: convert_int<int64_t>(array->type.id(), src, values->data(), n); break;
    case Id::UInt16: convert_int<uint16_t>(array->type.id(), src, values->data(), n); break;
    case Id::UInt32: convert_int<uint32_t>(array->type.id(), src, values->data(), n); break;
    case Id::UInt64: convert_int<uint64_t>(array->type.id(), src, values->data(), n); break;
    default: throw Error(ErrorKind::Internal, "cannot widen to " + to.to_string());
  }
  // The validity keeps its bit offset; only the values are rebased.
  if (array->offset != 0 && array->buffers[0]) {
    auto bits = Buffer::allocate((n + 7) / 8, true);
    for (size_t i = 0; i < n; ++i) {
      if (array->is_valid(static_cast<int64_t>(i))) bits->data()[i >> 3] |= static_cast<uint8_t>(1u << (i & 7));
    }
    out->buffers[0] = bits;
  }
  out->buffers[1] = values;
  return out;
}

Schema merge_schemas(const std::vector<Schema>& schemas, const std::vector<std::string>& paths, SchemaMerge how) {
  Schema out;
  if (schemas.empty()) return out;
  out = schemas[0];
  std::map<std::string, size_t> index, origin;  // field name -> position; -> file that brought it
  for (size_t i = 0; i < out.fields.size(); ++i) {
    index[out.fields[i].name] = i;
    origin[out.fields[i].name] = 0;
  }
  for (size_t f = 1; f < schemas.size(); ++f) {
    for (const Field& field : schemas[f].fields) {
      const auto it = index.find(field.name);
      if (it == index.end()) {
        if (how == SchemaMerge::None) {
          throw Error(ErrorKind::InvalidArgument,
                      "file '" + paths[f] + "' has the field '" + field.name + "', which '" + paths[0] +
                          "' has not (SchemaMerge::Union reads such datasets)");
        }
        index[field.name] = out.fields.size();
        origin[field.name] = f;
        out.fields.push_back(field);
        out.fields.back().nullable = true;  // other files read it as nulls
        continue;
      }
      Field& have = out.fields[it->second];
      if (have.type == field.type) {
        have.nullable = have.nullable || field.nullable;
        continue;
      }
      const auto w = how == SchemaMerge::Union ? wider(have.type, field.type) : std::nullopt;
      if (!w) {
        throw Error(ErrorKind::InvalidArgument, "field '" + field.name + "' is " + have.type.to_string() + " in '" +
                                                    paths[origin[field.name]] + "' and " + field.type.to_string() +
                                                    " in '" + paths[f] + "'");
      }
      if (!(*w == have.type)) origin[field.name] = f;  // the file whose type it now is
      have.type = *w;
      have.nullable = have.nullable || field.nullable;
    }
    if (how == SchemaMerge::None && schemas[f].fields.size() != out.fields.size()) {
      for (const Field& field : out.fields) {
        bool found = false;
        for (const Field& g : schemas[f].fields) found = found || g.name == field.name;
        if (!found) {
          throw Error(ErrorKind::InvalidArgument, "file '" + paths[f] + "' lacks the field '" + field.name +
                                                      "' of '" + paths[0] + "' (SchemaMerge::Union reads such datasets)");
        }
      }
    }
  }
  if (how == SchemaMerge::Union) {
    // A field some file lacks reads as nulls there.
    for (Field& field : out.fields) {
      for (const Schema& s : schemas) {
        bool found = false;
        for (const Field& g : s.fields) found = found || g.name == field.name;
        if (!found) field.nullable = true;
      }
    }
  }
  return out;
}

}  // namespace parkett::dataset
