// Split-block bloom filters (parquet-format BloomFilter.md): what a column chunk's filter
// says about a value. The hash is XXH64 (seed 0) of the value's PLAIN bytes (byte arrays
// without their length prefix).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "parkett/export.h"
#include "parkett/types.h"

namespace parkett {

class PARKETT_EXPORT BloomFilter {
 public:
  /// An empty filter of `num_bytes` (a power of two from 32 to 128 MiB).
  explicit BloomFilter(int64_t num_bytes);
  /// A filter over a bitset read from a file. Throws Error(Corrupt) unless its size is a
  /// power of two from 32 bytes to 128 MiB.
  static BloomFilter from_bitset(std::string bitset);
  /// The bytes a filter needs for `ndv` distinct values at false-positive probability
  /// `fpp` (0 < fpp < 1): a power of two from 32 bytes to 128 MiB.
  static int64_t optimal_num_bytes(int64_t ndv, double fpp);

  static uint64_t hash(std::string_view plain_bytes);
  /// The hash of a typed value: its PLAIN bytes (int32/int64/float/double little-endian,
  /// Int96 12 bytes, std::string its bytes). Booleans and monostate have none: Error(InvalidArgument).
  static uint64_t hash_value(const StatValue& value);

  void insert(uint64_t hash);
  /// False: the value is certainly not in the chunk. True: it may be.
  bool might_contain(uint64_t hash) const;
  bool might_contain_value(const StatValue& value) const { return might_contain(hash_value(value)); }

  /// Where in a bitset of `num_bytes` the 32-byte block `hash` maps to lies, and what that
  /// block alone says: a reader can probe a filter in a file by reading one block.
  static int64_t block_offset(uint64_t hash, int64_t num_bytes);
  static bool block_might_contain(std::string_view block, uint64_t hash);

  int64_t num_bytes() const { return static_cast<int64_t>(bitset_.size()); }
  const std::string& bitset() const { return bitset_; }

 private:
  BloomFilter() = default;
  std::string bitset_;
};

}  // namespace parkett
