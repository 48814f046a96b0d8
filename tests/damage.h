// The kinds of error damaged input may raise. Random damage can look like corruption, an
// unsupported feature, a resource limit or a missing key; never like an I/O failure, a
// caller's mistake or a bug (Io, InvalidArgument, NotFound, Internal).
#pragma once

#include "parkett/error.h"

namespace parkett::test {

inline bool damage_kind(ErrorKind kind) {
  return kind == ErrorKind::Corrupt || kind == ErrorKind::Unsupported || kind == ErrorKind::ResourceLimit ||
         kind == ErrorKind::Crypto;
}

}  // namespace parkett::test
