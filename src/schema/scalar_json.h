// One value of a leaf column as canonical JSON (shared/peers/CANONICAL.md), its logical
// type applied: used for statistics and by the CLI.
#pragma once

#include <string>

#include "parkett/types.h"
#include "parkett/schema.h"

namespace parkett::schema {

std::string scalar_json(const SchemaNode& leaf, const StatValue& value);

}  // namespace parkett::schema
