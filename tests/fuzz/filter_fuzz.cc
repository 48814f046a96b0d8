// libFuzzer target: filter text. Parsing never crashes or hangs; what parses prints as text
// that parses to the same expression (printed the same again).
#include <cstdint>
#include <cstdlib>
#include <string>

#include "parkett/error.h"
#include "parkett/expression.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::string printed;
  try {
    printed = parkett::Expression::parse(text).to_string();
  } catch (const parkett::Error&) {
    return 0;
  }
  // Printed text must parse (an exception here is a finding too) to the same expression.
  if (parkett::Expression::parse(printed).to_string() != printed) std::abort();
  return 0;
}
