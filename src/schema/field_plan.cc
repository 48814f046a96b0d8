#include "schema/field_plan.h"

#include "util/json_text.h"

namespace parkett::schema {
namespace {

using K = LogicalType::Kind;
using Kind = FieldPlan::Kind;

}  // namespace

DataType variant_type() {
  return DataType::structure({Field{"metadata", DataType(DataType::Id::Binary), false, {}},
                              Field{"value", DataType(DataType::Id::Binary), false, {}}});
}

namespace {

class Planner {
 public:
  explicit Planner(const ParquetSchema& s) : s_(s) {}

  // Node i as it stands in its parent, present when the parent's slot is (parent_def).
  FieldPlan field(int32_t i, int16_t parent_def) const {
    const SchemaNode& node = s_.node(i);
    if (node.repetition == Repetition::Repeated) {
      // A repeated field outside a LIST or MAP annotation: a non-null list of its values.
      FieldPlan list;
      list.kind = Kind::List;
      list.node = i;
      list.def_valid = parent_def;
      list.repeated = i;
      list.def_elements = node.max_definition_level;
      list.rep_level = node.max_repetition_level;
      FieldPlan element = bare(i, node.max_definition_level);
      element.field.nullable = false;
      list.field = Field{node.name, DataType::list(element.field), false, {}};
      add_field_id(node, list.field);
      list.leaves = element.leaves;
      list.children.push_back(std::move(element));
      return list;
    }
    return bare(i, parent_def);
  }

 private:
  // Node i without treating its own repetition as a list.
  FieldPlan bare(int32_t i, int16_t parent_def) const {
    const SchemaNode& node = s_.node(i);
    FieldPlan p;
    p.node = i;
    p.def_valid = node.repetition == Repetition::Optional ? node.max_definition_level : parent_def;
    p.field = Field{node.name, DataType(), node.repetition == Repetition::Optional, {}};
    if (node.is_leaf()) {
      p.kind = Kind::Leaf;
      p.field.type = leaf_type(node, p.field);
      p.leaves.push_back(node.column_index);
    } else if (is_list(node)) {
      plan_list(node, p);
    } else if (is_map(node)) {
      plan_map(node, p);
    } else {
      p.kind = Kind::Struct;
      std::vector<Field> fields;
      for (int32_t c : node.children) {
        p.children.push_back(field(c, p.def_valid));
        fields.push_back(p.children.back().field);
        append(p.leaves, p.children.back().leaves);
      }
      p.field.type = DataType::structure(std::move(fields));
      if (node.logical_type.kind == K::Variant) {
        p.variant = true;
        p.field.type = variant_type();
        p.field.metadata.emplace_back("ARROW:extension:name", "arrow.parquet.variant");
        p.field.metadata.emplace_back("ARROW:extension:metadata", "");
      }
    }
    add_field_id(node, p.field);
    return p;
  }

  static void append(std::vector<int32_t>& to, const std::vector<int32_t>& from) {
    to.insert(to.end(), from.begin(), from.end());
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

  // LogicalTypes.md, Lists: backward-compatibility rules.
  void plan_list(const SchemaNode& node, FieldPlan& p) const {
    const int32_t rep_index = node.children[0];
    const SchemaNode& rep = s_.node(rep_index);
    p.kind = Kind::List;
    p.repeated = rep_index;
    p.def_elements = rep.max_definition_level;
    p.rep_level = rep.max_repetition_level;
    FieldPlan element;
    if (rep.is_leaf()) {
      element = bare(rep_index, rep.max_definition_level);  // rule 1: repeated primitive
      element.field.nullable = false;
    } else if (rep.children.size() > 1 || rep.children.empty() ||
               s_.node(rep.children[0]).repetition == Repetition::Repeated || rep.name == "array" ||
               rep.name == node.name + "_tuple") {
      // Rules 2-4: a group of several fields, of one repeated field, or named "array" or
      // "<list>_tuple" is the element itself.
      element = bare(rep_index, rep.max_definition_level);
      element.field.nullable = false;
    } else {
      element = field(rep.children[0], rep.max_definition_level);  // the three-level form
    }
    p.field.type = DataType::list(element.field);
    p.leaves = element.leaves;
    p.children.push_back(std::move(element));
  }

  void plan_map(const SchemaNode& node, FieldPlan& p) const {
    const int32_t kv_index = node.children[0];
    const SchemaNode& kv = s_.node(kv_index);
    p.kind = Kind::Map;
    p.repeated = kv_index;
    p.def_elements = kv.max_definition_level;
    p.rep_level = kv.max_repetition_level;
    FieldPlan key = field(kv.children[0], kv.max_definition_level);
    key.field.nullable = false;
    p.children.push_back(key);
    if (kv.children.size() > 1) {
      p.children.push_back(field(kv.children[1], kv.max_definition_level));
      p.field.type = DataType::map(key.field, p.children[1].field);
    } else {
      p.field.type = DataType::map(key.field, Field{"value", DataType(DataType::Id::Null), true, {}});
    }
    for (const auto& c : p.children) append(p.leaves, c.leaves);
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

FieldPlan plan_field(const ParquetSchema& schema, int32_t node) {
  return Planner(schema).field(node, 0);
}

}  // namespace parkett::schema
