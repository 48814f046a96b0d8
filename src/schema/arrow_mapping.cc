// ParquetSchema::to_arrow: the Arrow-layout type of every field, following LogicalTypes.md
// (including its backward-compatibility rules for lists and maps) as pyarrow and arrow-rs do.
#include "parkett/datatype.h"
#include "parkett/schema.h"
#include "util/json_text.h"

namespace parkett {
namespace {

using K = LogicalType::Kind;

class ArrowMapper {
 public:
  explicit ArrowMapper(const ParquetSchema& schema) : s_(schema) {}

  // The field for node i as it stands in its parent (a repeated node outside a LIST/MAP
  // annotation is a non-null list of its required self).
  Field field(int32_t i) const {
    const SchemaNode& node = s_.node(i);
    if (node.repetition == Repetition::Repeated) {
      Field element = bare_field(i);
      element.nullable = false;
      Field list{node.name, DataType::list(std::move(element)), false, {}};
      add_field_id(node, list);
      return list;
    }
    return bare_field(i);
  }

 private:
  // The field for node i ignoring its own repetition beyond nullability.
  Field bare_field(int32_t i) const {
    const SchemaNode& node = s_.node(i);
    Field f{node.name, DataType(), node.repetition == Repetition::Optional, {}};
    if (node.is_leaf()) {
      f.type = leaf_type(node, f);
    } else if (is_list(node)) {
      f.type = list_type(node);
    } else if (is_map(node)) {
      f.type = map_type(node);
    } else {
      f.type = struct_type(node);
    }
    add_field_id(node, f);
    return f;
  }

  static void add_field_id(const SchemaNode& node, Field& f) {
    if (node.field_id) f.metadata.emplace_back("PARQUET:field_id", std::to_string(*node.field_id));
  }

  bool is_list(const SchemaNode& node) const {
    if (node.logical_type.kind != K::List) return false;
    // LogicalTypes.md: a LIST group has exactly one repeated child; anything else is read
    // as the plain group it is.
    return node.children.size() == 1 &&
           s_.node(node.children[0]).repetition == Repetition::Repeated;
  }

  bool is_map(const SchemaNode& node) const {
    bool annotated = node.logical_type.kind == K::Map ||
                     node.converted_type == ConvertedType::MapKeyValue;
    if (!annotated || node.children.size() != 1) return false;
    const SchemaNode& kv = s_.node(node.children[0]);
    return kv.repetition == Repetition::Repeated && !kv.is_leaf() && !kv.children.empty() &&
           kv.children.size() <= 2;
  }

  DataType struct_type(const SchemaNode& node) const {
    std::vector<Field> fields;
    fields.reserve(node.children.size());
    for (int32_t c : node.children) fields.push_back(field(c));
    return DataType::structure(std::move(fields));
  }

  // LogicalTypes.md, Lists: backward-compatibility rules.
  DataType list_type(const SchemaNode& node) const {
    int32_t rep_index = node.children[0];
    const SchemaNode& rep = s_.node(rep_index);
    Field element;
    if (rep.is_leaf()) {
      element = bare_field(rep_index);  // rule 1: a repeated primitive is the element
      element.nullable = false;
    } else if (rep.children.size() > 1 || rep.name == "array" ||
               rep.name == node.name + "_tuple") {
      // rules 2 and 3: the repeated group itself is the element
      element = Field{rep.name, struct_type(rep), false, {}};
      add_field_id(rep, element);
    } else if (rep.children.empty()) {
      element = Field{rep.name, DataType::structure({}), false, {}};
    } else {
      element = field(rep.children[0]);  // the standard three-level form
    }
    return DataType::list(std::move(element));
  }

  DataType map_type(const SchemaNode& node) const {
    const SchemaNode& kv = s_.node(node.children[0]);
    Field key = field(kv.children[0]);
    key.nullable = false;
    Field value = kv.children.size() > 1 ? field(kv.children[1])
                                         : Field{"value", DataType(DataType::Id::Null), true, {}};
    return DataType::map(std::move(key), std::move(value));
  }

  static DataType leaf_type(const SchemaNode& node, Field& f) {
    const LogicalType& lt = node.logical_type;
    if (lt.kind == K::Unknown) return DataType(DataType::Id::Null);
    if (lt.kind == K::Decimal) return DataType::decimal(lt.precision, lt.scale);
    switch (*node.physical_type) {
      case PhysicalType::Boolean: return DataType(DataType::Id::Boolean);
      case PhysicalType::Int32:
      case PhysicalType::Int64: {
        bool is64 = *node.physical_type == PhysicalType::Int64;
        if (lt.kind == K::Integer) return integer_type(lt.bit_width, lt.is_signed, is64);
        if (lt.kind == K::Date && !is64) return DataType(DataType::Id::Date32);
        if (lt.kind == K::Time) return DataType::time(lt.unit);
        if (lt.kind == K::Timestamp && is64) {
          return DataType::timestamp(lt.unit, lt.adjusted_to_utc ? "UTC" : "");
        }
        return DataType(is64 ? DataType::Id::Int64 : DataType::Id::Int32);
      }
      case PhysicalType::Int96: return DataType::timestamp(TimeUnit::Nano);
      case PhysicalType::Float: return DataType(DataType::Id::Float32);
      case PhysicalType::Double: return DataType(DataType::Id::Float64);
      case PhysicalType::ByteArray:
        if (lt.kind == K::String || lt.kind == K::Enum || lt.kind == K::Json) {
          return DataType(DataType::Id::String);
        }
        if (lt.kind == K::Geometry || lt.kind == K::Geography) {
          f.metadata.emplace_back("ARROW:extension:name", "geoarrow.wkb");
          std::string meta = "{\"crs\":";
          util::append_json_string(meta, lt.crs.value_or("OGC:CRS84"));
          if (lt.kind == K::Geography) meta += ",\"edges\":\"spherical\"";
          f.metadata.emplace_back("ARROW:extension:metadata", meta + "}");
        }
        return DataType(DataType::Id::Binary);
      case PhysicalType::FixedLenByteArray:
        if (lt.kind == K::Float16 && node.type_length == 2) return DataType(DataType::Id::Float16);
        if (node.converted_type == ConvertedType::Interval && node.type_length == 12) {
          return DataType(DataType::Id::IntervalMonthDayNano);
        }
        if (lt.kind == K::Uuid) f.metadata.emplace_back("ARROW:extension:name", "arrow.uuid");
        return DataType::fixed_size_binary(node.type_length);
      default:
        return DataType(DataType::Id::Null);  // unknown physical type: nothing to read
    }
  }

  static DataType integer_type(int32_t width, bool is_signed, bool is64) {
    using Id = DataType::Id;
    switch (width) {
      case 8: return DataType(is_signed ? Id::Int8 : Id::UInt8);
      case 16: return DataType(is_signed ? Id::Int16 : Id::UInt16);
      case 32: return DataType(is_signed ? Id::Int32 : Id::UInt32);
      case 64: return DataType(is_signed ? Id::Int64 : Id::UInt64);
      default: return DataType(is64 ? Id::Int64 : Id::Int32);
    }
  }

  const ParquetSchema& s_;
};

}  // namespace

Schema ParquetSchema::to_arrow() const {
  Schema out;
  if (nodes_.empty()) return out;
  ArrowMapper mapper(*this);
  for (int32_t c : root().children) out.fields.push_back(mapper.field(c));
  return out;
}

}  // namespace parkett
