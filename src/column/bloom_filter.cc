// The split-block bloom filter of BloomFilter.md: 32-byte blocks of eight 32-bit words; a
// hash's upper half picks the block, its lower half times eight salts sets one bit per word.
#include "parkett/bloom_filter.h"

#include <xxhash.h>

#include <cmath>
#include <cstring>

#include "parkett/error.h"

namespace parkett {
namespace {

constexpr int64_t kMinBytes = 32;
constexpr int64_t kMaxBytes = int64_t{128} << 20;
constexpr uint32_t kSalt[8] = {0x47b6137bU, 0x44974d91U, 0x8824ad5bU, 0xa2b7289dU,
                               0x705495c7U, 0x2df1424bU, 0x9efc4947U, 0x5c6bfb31U};

bool valid_size(int64_t n) { return n >= kMinBytes && n <= kMaxBytes && (n & (n - 1)) == 0; }

// Block (eight words) of `hash` in a filter of `num_blocks` blocks.
size_t block_of(uint64_t hash, size_t num_blocks) {
  return static_cast<size_t>(((hash >> 32) * static_cast<uint64_t>(num_blocks)) >> 32);
}

uint32_t bit_of(uint64_t hash, int word) {
  return uint32_t{1} << ((static_cast<uint32_t>(hash) * kSalt[word]) >> 27);
}

}  // namespace

BloomFilter::BloomFilter(int64_t num_bytes) {
  if (!valid_size(num_bytes)) {
    throw Error(ErrorKind::InvalidArgument,
                "a bloom filter of " + std::to_string(num_bytes) + " bytes: expected a power of two from 32 to 128 MiB");
  }
  bitset_.assign(static_cast<size_t>(num_bytes), '\0');
}

BloomFilter BloomFilter::from_bitset(std::string bitset) {
  if (!valid_size(static_cast<int64_t>(bitset.size()))) {
    throw Error(ErrorKind::Corrupt, "bloom filter of " + std::to_string(bitset.size()) +
                                        " bytes: expected a power of two from 32 to 128 MiB");
  }
  BloomFilter f;
  f.bitset_ = std::move(bitset);
  return f;
}

int64_t BloomFilter::optimal_num_bytes(int64_t ndv, double fpp) {
  if (!(fpp > 0.0 && fpp < 1.0)) {
    throw Error(ErrorKind::InvalidArgument, "bloom filter fpp " + std::to_string(fpp) + ": expected 0 < fpp < 1");
  }
  if (ndv < 0) throw Error(ErrorKind::InvalidArgument, "bloom filter ndv " + std::to_string(ndv) + " is negative");
  // BloomFilter.md, "Sizing": bits = -8 ndv / ln(1 - fpp^(1/8)), rounded up to a power of two.
  const double bits = -8.0 * static_cast<double>(ndv) / std::log(1.0 - std::pow(fpp, 1.0 / 8.0));
  int64_t bytes = kMinBytes;
  while (bytes < kMaxBytes && static_cast<double>(bytes) * 8.0 < bits) bytes *= 2;
  return bytes;
}

uint64_t BloomFilter::hash(std::string_view plain_bytes) { return XXH64(plain_bytes.data(), plain_bytes.size(), 0); }

uint64_t BloomFilter::hash_value(const StatValue& value) {
  return std::visit(
      [](const auto& v) -> uint64_t {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string>) {
          return hash(std::string_view(v));
        } else if constexpr (std::is_same_v<T, Int96>) {
          return hash(std::string_view(reinterpret_cast<const char*>(v.words), 12));
        } else if constexpr (std::is_same_v<T, int32_t> || std::is_same_v<T, int64_t> || std::is_same_v<T, float> ||
                             std::is_same_v<T, double>) {
          return hash(std::string_view(reinterpret_cast<const char*>(&v), sizeof(v)));
        } else {
          throw Error(ErrorKind::InvalidArgument, "bloom filters hold no booleans or nulls");
        }
      },
      value);
}

void BloomFilter::insert(uint64_t hash) {
  const size_t block = block_of(hash, bitset_.size() / 32);
  char* words = bitset_.data() + block * 32;
  for (int w = 0; w < 8; ++w) {
    uint32_t word;
    std::memcpy(&word, words + 4 * w, 4);
    word |= bit_of(hash, w);
    std::memcpy(words + 4 * w, &word, 4);
  }
}

bool BloomFilter::might_contain(uint64_t hash) const {
  const size_t block = block_of(hash, bitset_.size() / 32);
  return block_might_contain(std::string_view(bitset_).substr(block * 32, 32), hash);
}

int64_t BloomFilter::block_offset(uint64_t hash, int64_t num_bytes) {
  return static_cast<int64_t>(block_of(hash, static_cast<size_t>(num_bytes) / 32)) * 32;
}

bool BloomFilter::block_might_contain(std::string_view block, uint64_t hash) {
  const char* words = block.data();
  for (int w = 0; w < 8; ++w) {
    uint32_t word;
    std::memcpy(&word, words + 4 * w, 4);
    if (!(word & bit_of(hash, w))) return false;
  }
  return true;
}

}  // namespace parkett
