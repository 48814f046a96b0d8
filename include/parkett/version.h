#pragma once

#include "parkett/export.h"

namespace parkett {
/// The library version, e.g. "0.1.0".
PARKETT_EXPORT const char* version();
}  // namespace parkett
