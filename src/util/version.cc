#include "parkett/version.h"

namespace parkett {
const char* version() { return PARKETT_VERSION_STRING; }
}  // namespace parkett
