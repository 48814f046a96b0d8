// How a Parquet field becomes an Arrow field: the shape decisions of LogicalTypes.md (lists
// in their three- and two-level forms, maps, bare repeated fields, structs) made once, with
// the definition and repetition levels that reconstruct each Arrow level from the leaves'
// levels. ParquetSchema::to_arrow and the record assembly (nested/) both follow this plan.
#pragma once

#include <cstdint>
#include <vector>

#include "parkett/datatype.h"
#include "parkett/schema.h"

namespace parkett::schema {

struct FieldPlan {
  enum class Kind { Leaf, Struct, List, Map };
  Kind kind = Kind::Leaf;
  Field field;             // name, Arrow type, nullability, metadata
  int32_t node = -1;       // schema node the field stands for
  int16_t def_valid = 0;   // a slot is non-null iff its definition level >= this
  // List and Map: the repeated node, the level from which a slot has elements, and the
  // repetition level that starts a new element.
  int32_t repeated = -1;
  int16_t def_elements = 0;
  int16_t rep_level = 0;
  // A VARIANT group: a Struct whose children are its Parquet fields (metadata, value,
  // typed_value) while `field` is the Arrow variant struct<metadata, value> they make.
  bool variant = false;
  std::vector<FieldPlan> children;  // Struct: fields; List: the element; Map: key, value
  std::vector<int32_t> leaves;      // leaf column indices under this field, in order
};

/// The Arrow field type of a VARIANT group: struct<metadata: binary, value: binary>
/// (the storage of Arrow's canonical extension type arrow.parquet.variant).
DataType variant_type();

/// The plan of the root's child `node`.
FieldPlan plan_field(const ParquetSchema& schema, int32_t node);

}  // namespace parkett::schema
