// Error helpers shared by the codecs.
#pragma once

#include <cstddef>
#include <string>

#include "parkett/error.h"
#include "parkett/types.h"

namespace parkett::codec {

[[noreturn]] inline void corrupt_data(Compression c, const std::string& what) {
  throw Error(ErrorKind::Corrupt, to_string(c) + " data is corrupt: " + what);
}

[[noreturn]] inline void wrong_size(Compression c, size_t got, size_t expected) {
  corrupt_data(c, "decompressed to " + std::to_string(got) + " bytes, the page header says " +
                      std::to_string(expected));
}

}  // namespace parkett::codec
