// VARIANT columns as Arrow arrays: the (metadata, value) struct, with shredded typed_value
// columns folded back into the value (VariantShredding.md).
#pragma once

#include "parkett/array.h"
#include "parkett/schema.h"
#include "schema/field_plan.h"

namespace parkett::variant {

/// `physical`: a VARIANT group read as the struct of its Parquet fields (metadata, value,
/// typed_value, any of the last two may be absent); `plan` is the group's plan (its children
/// are the physical fields). Returns an array of `plan.field.type`, struct<metadata, value>,
/// where every valid slot holds a complete Variant. Throws Error naming the row on invalid
/// shredding (a value next to a non-object typed_value, a shredded type the spec does not
/// allow, a field name missing from the metadata).
ArrayPtr reassemble(const ArrayData& physical, const schema::FieldPlan& plan, const ParquetSchema& schema);

}  // namespace parkett::variant
