// A Thrift struct stored in a file (a page index, say), read for a test to edit and written
// back in place: how tests make files that lie in one precise way.
#pragma once

#include <cstdint>
#include <fstream>
#include <string>

#include "corpus.h"
#include "format/serde.h"

namespace parkett::test {

template <class T>
struct StoredStruct {
  std::string file;
  size_t at = 0, length = 0;
  T value;

  /// The struct of `length` bytes at `at` in `file`.
  static StoredStruct read(const std::string& file, int64_t at, int64_t length) {
    StoredStruct s{file, static_cast<size_t>(at), static_cast<size_t>(length), {}};
    const std::string bytes = read_file(file);
    format::deserialize(reinterpret_cast<const uint8_t*>(bytes.data()) + s.at, s.length, s.value);
    return s;
  }

  /// Writes `value` back in place; false (the file untouched) when its encoding no longer
  /// has the stored length.
  bool write() const {
    std::string patched;
    format::serialize(value, patched);
    if (patched.size() != length) return false;
    std::string bytes = read_file(file);
    bytes.replace(at, length, patched);
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << bytes;
    return static_cast<bool>(out);
  }
};

}  // namespace parkett::test
