// The writer's dictionary: distinct values of a column chunk in order of first appearance,
// found with an open-addressing hash table (values compared by their bytes, so NaNs of one
// payload share an entry and -0.0 and 0.0 do not).
#pragma once

#include <cstdint>
#include <vector>

#include "encoding/value_buffer.h"

namespace parkett::column {

class DictionaryBuilder {
 public:
  /// For values of `width` bytes (0: byte arrays).
  explicit DictionaryBuilder(size_t width) { reset(width); }

  /// Empties the dictionary for values of another column, keeping its memory. A table for
  /// `expected_entries` is made at once (the size of the column's previous dictionary:
  /// growing step by step rehashes every entry again and again).
  void reset(size_t width, int64_t expected_entries = 0);

  /// Appends the dictionary index of each of values[begin, end) to `indices`, adding new
  /// values to the dictionary.
  void map(const encoding::ValueBuffer& values, int64_t begin, int64_t end, std::vector<uint32_t>& indices);

  int64_t size() const { return count_; }
  /// Bytes of the dictionary page body (PLAIN).
  int64_t plain_size() const { return plain_bytes_; }
  /// The dictionary entries, in order.
  const encoding::ValueBuffer& entries() const { return entries_; }

 private:
  // key: the value itself for 4- and 8-byte values (compared without touching the entries),
  // else the value's hash. entry: the entry's index + 1; 0 marks an empty slot.
  struct Slot {
    uint64_t key;
    uint32_t entry;
  };

  template <class Word>
  void map_words(const encoding::ValueBuffer& values, int64_t begin, int64_t end, uint32_t* out);
  template <class Load>
  void map_hashed(int64_t begin, int64_t end, Load&& load, uint32_t* out);
  uint32_t add_entry(const uint8_t* bytes, size_t len);
  void grow();

  size_t width_ = 0;
  int64_t count_ = 0;
  int64_t plain_bytes_ = 0;
  encoding::ValueBuffer entries_;
  std::vector<Slot> slots_, spare_;  // spare_: the previous table's memory, for the next growth
  int shift_ = 64;  // slot of a hash: its top log2(slots) bits
  size_t initial_slots_ = 1024;
};

}  // namespace parkett::column
