// Bloom filters of column chunks in a file (BloomFilter.md "File Format"): where a chunk's
// bitset lies, and probes that read one 32-byte block per value instead of the whole bitset
// (a filter of a megabyte answers an `=` with a read of 32 bytes).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "parkett/reader.h"

namespace parkett::file {

struct BloomFilterLocation {
  int64_t bitset_offset = 0;
  int64_t num_bytes = 0;
};

/// The bitset of chunk (row_group, column), after its header is read and checked; nullopt
/// when the writer wrote no filter. Throws Error(Corrupt / Unsupported) naming the chunk.
std::optional<BloomFilterLocation> locate_bloom_filter(const FileReader& reader, int32_t row_group, int32_t column);

/// Probes one chunk's filter, reading its header on first use and then the block of each
/// hash asked (once each).
class BloomFilterProbe {
 public:
  BloomFilterProbe(const FileReader& reader, int32_t row_group, int32_t column)
      : reader_(reader), row_group_(row_group), column_(column) {}
  /// False: no value of this hash is in the chunk. True: it may be (or there is no filter).
  bool might_contain(uint64_t hash);

 private:
  const FileReader& reader_;
  int32_t row_group_, column_;
  bool located_ = false;
  std::optional<BloomFilterLocation> where_;
  std::map<int64_t, std::string> blocks_;  // by offset in the bitset
};

}  // namespace parkett::file
