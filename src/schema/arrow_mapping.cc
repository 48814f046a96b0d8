// ParquetSchema::to_arrow: the Arrow-layout type of every field, as planned by
// field_plan.cc (LogicalTypes.md rules for lists and maps, backward compatibility included).
#include "parkett/datatype.h"
#include "parkett/schema.h"
#include "schema/field_plan.h"

namespace parkett {

Schema ParquetSchema::to_arrow() const {
  Schema out;
  if (nodes_.empty()) return out;
  for (int32_t c : root().children) out.fields.push_back(schema::plan_field(*this, c).field);
  return out;
}

}  // namespace parkett
