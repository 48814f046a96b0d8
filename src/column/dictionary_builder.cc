#include "column/dictionary_builder.h"

#include <cstring>

namespace parkett::column {
namespace {

uint64_t mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

uint64_t hash_bytes(const uint8_t* p, size_t n) {
  uint64_t h = 0x9e3779b97f4a7c15ULL ^ (n * 0xff51afd7ed558ccdULL);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    h = (h ^ mix(w)) * 0x9e3779b97f4a7c15ULL;
  }
  if (i < n) {
    uint64_t w = 0;
    std::memcpy(&w, p + i, n - i);
    h = (h ^ mix(w)) * 0x9e3779b97f4a7c15ULL;
  }
  return mix(h);
}

// Fixed-width equality; 4- and 8-byte values (most columns) as one load each.
bool same_bytes(const uint8_t* a, const uint8_t* b, size_t n) {
  if (n == 8) {
    uint64_t x, y;
    std::memcpy(&x, a, 8);
    std::memcpy(&y, b, 8);
    return x == y;
  }
  if (n == 4) {
    uint32_t x, y;
    std::memcpy(&x, a, 4);
    std::memcpy(&y, b, 4);
    return x == y;
  }
  return std::memcmp(a, b, n) == 0;
}

}  // namespace

void DictionaryBuilder::grow() {
  const size_t capacity = slots_.empty() ? 1024 : slots_.size() * 2;
  slots_.assign(capacity, 0);
  mask_ = capacity - 1;
  for (int64_t e = 0; e < count_; ++e) {
    uint64_t s = hashes_[static_cast<size_t>(e)] & mask_;
    while (slots_[s] != 0) s = (s + 1) & mask_;
    slots_[s] = static_cast<uint32_t>(e + 1);
  }
}

uint32_t DictionaryBuilder::insert(const uint8_t* bytes, size_t len, uint64_t hash) {
  uint64_t s = hash & mask_;
  while (true) {
    const uint32_t slot = slots_[s];
    if (slot == 0) break;
    const size_t e = slot - 1;
    if (hashes_[e] == hash) {
      if (width_ == 0) {
        const std::string_view v = entries_.binary[e];
        if (v.size() == len && (len == 0 || std::memcmp(v.data(), bytes, len) == 0)) return static_cast<uint32_t>(e);
      } else if (same_bytes(entries_.value(static_cast<int64_t>(e)), bytes, len)) {
        return static_cast<uint32_t>(e);
      }
    }
    s = (s + 1) & mask_;
  }
  const uint32_t index = static_cast<uint32_t>(count_);
  slots_[s] = index + 1;
  hashes_.push_back(hash);
  if (width_ == 0) {
    entries_.binary.emplace_back(reinterpret_cast<const char*>(bytes), len);
    plain_bytes_ += 4 + static_cast<int64_t>(len);
  } else {
    entries_.fixed.append(bytes, len);
    plain_bytes_ += static_cast<int64_t>(len);
  }
  ++count_;
  // Keep the table at most half full.
  if (static_cast<uint64_t>(count_) * 2 > slots_.size()) grow();
  return index;
}

void DictionaryBuilder::map(const PhysicalValues& values, int64_t begin, int64_t end, std::vector<uint32_t>& indices) {
  if (slots_.empty()) grow();
  indices.reserve(indices.size() + static_cast<size_t>(end - begin));
  if (width_ == 0) {
    for (int64_t i = begin; i < end; ++i) {
      const std::string_view v = values.binary[static_cast<size_t>(i)];
      const auto* p = reinterpret_cast<const uint8_t*>(v.data());
      indices.push_back(insert(p, v.size(), hash_bytes(p, v.size())));
    }
    return;
  }
  const size_t w = static_cast<size_t>(width_);
  for (int64_t i = begin; i < end; ++i) {
    const uint8_t* p = values.value(i);
    uint64_t h;
    if (w == 4) {
      uint32_t x;
      std::memcpy(&x, p, 4);
      h = mix(x);
    } else if (w == 8) {
      uint64_t x;
      std::memcpy(&x, p, 8);
      h = mix(x);
    } else {
      h = hash_bytes(p, w);
    }
    indices.push_back(insert(p, w, h));
  }
}

}  // namespace parkett::column
