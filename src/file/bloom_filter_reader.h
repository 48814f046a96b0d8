// Bloom filters of column chunks in a file (BloomFilter.md "File Format"): where a chunk's
// bitset lies, and probes that read one 32-byte block per value instead of the whole bitset
// (a filter of a megabyte answers an `=` with a read of 32 bytes).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <memory>
#include <string>

#include "crypto/chunk_cipher.h"

#include "parkett/reader.h"

namespace parkett::file {

struct BloomFilterLocation {
  int64_t bitset_offset = 0;
  int64_t num_bytes = 0;  // of the bitset itself
  /// Encrypted chunks: the bitset is a GCM module of num_bytes + 32 bytes.
  std::shared_ptr<const crypto::ChunkCipher> cipher;
};

/// The bitset of chunk (row_group, column), after its header is read and checked; nullopt
/// when the writer wrote no filter. Throws Error(Corrupt / Unsupported) naming the chunk.
std::optional<BloomFilterLocation> locate_bloom_filter(const FileReader& reader, int32_t row_group, int32_t column);
/// The whole bitset (decrypted), for a location locate_bloom_filter gave.
std::string read_bitset(const FileReader& reader, int32_t row_group, int32_t column, const BloomFilterLocation& at);

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
  std::optional<std::string> bitset_;      // an encrypted chunk's, whole
};

}  // namespace parkett::file
