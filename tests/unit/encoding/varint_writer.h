// Unsigned LEB128 varints and zigzag values, for tests that build encoded data by hand.
#pragma once

#include <cstdint>
#include <vector>

namespace parkett::encoding::test {

inline void put_varint(std::vector<uint8_t>& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<uint8_t>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<uint8_t>(v));
}

inline void put_zigzag(std::vector<uint8_t>& out, int64_t v) {
  put_varint(out, (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63));
}

}  // namespace parkett::encoding::test
