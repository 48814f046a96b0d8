// Moving single values fast, for the kernels that move rows (take.h, split.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace parkett::table {

/// A 16-byte value (decimal128, interval) moved as one typed load and store.
struct Bytes16 {
  uint64_t lo, hi;
};

/// Copies the `n` bytes of a string value from `from` (where `readable` bytes can be read)
/// to `to`. A value of at most 16 bytes is copied as 16: one vector move instead of a call.
/// The destination must have 16 spare bytes past its last value; each value overwrites what
/// the one before wrote past its end.
inline void copy_value(uint8_t* to, const uint8_t* from, size_t n, size_t readable) {
  if (n <= 16 && readable >= 16) {
    std::memcpy(to, from, 16);
  } else if (n) {
    std::memcpy(to, from, n);
  }
}

}  // namespace parkett::table
