// Small helpers to raise parkett::Error with a formatted message.
#pragma once

#include <string>

#include "parkett/error.h"

namespace parkett {

[[noreturn]] inline void fail(ErrorKind kind, std::string message) {
  throw Error(kind, std::move(message));
}
[[noreturn]] inline void corrupt(std::string message) {
  throw Error(ErrorKind::Corrupt, std::move(message));
}

}  // namespace parkett
