#include "column/dictionary_builder.h"

#include <cstring>

namespace parkett::column {
namespace {

uint64_t load64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

uint64_t load32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

// Folded 128-bit product: every input bit reaches the high bits the table uses.
uint64_t fold_multiply(uint64_t a, uint64_t b) {
  const unsigned __int128 r = static_cast<unsigned __int128>(a) * b;
  return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
}

constexpr uint64_t kSeed0 = 0xa0761d6478bd642fULL, kSeed1 = 0xe7037ed1a0b428dbULL, kSeed2 = 0x8ebc6af09c88c6e3ULL;

uint64_t hash_word(uint64_t x) { return fold_multiply(x ^ kSeed0, kSeed1); }

// Short values (most dictionary candidates) are read with two overlapping loads instead of a
// loop; longer ones 16 bytes at a time.
uint64_t hash_bytes(const uint8_t* p, size_t n) {
  uint64_t a = 0, b = 0, seed = kSeed0 ^ n;
  if (n >= 8) {
    if (n > 16) {
      size_t i = 0;
      for (; i + 16 < n; i += 16) seed = fold_multiply(load64(p + i) ^ kSeed1, load64(p + i + 8) ^ seed);
    }
    a = load64(p + (n > 16 ? n - 16 : 0));
    b = load64(p + n - 8);
  } else if (n >= 4) {
    a = load32(p);
    b = load32(p + n - 4);
  } else if (n > 0) {
    a = (uint64_t{p[0]} << 16) | (uint64_t{p[n >> 1]} << 8) | p[n - 1];
  }
  return fold_multiply(a ^ kSeed1, b ^ seed) ^ kSeed2;
}

bool same_bytes(const uint8_t* a, const uint8_t* b, size_t n) {
  if (n >= 8 && n <= 16) return load64(a) == load64(b) && load64(a + n - 8) == load64(b + n - 8);
  if (n >= 4 && n < 8) return load32(a) == load32(b) && load32(a + n - 4) == load32(b + n - 4);
  if (n < 4) {
    for (size_t i = 0; i < n; ++i) {
      if (a[i] != b[i]) return false;
    }
    return true;
  }
  return std::memcmp(a, b, n) == 0;
}

}  // namespace

void DictionaryBuilder::reset(size_t width, int64_t expected_entries) {
  width_ = width;
  initial_slots_ = 1024;
  // At most half full, and no more than 2^20 slots (16 MiB) on a guess.
  while (initial_slots_ < (size_t{1} << 20) && static_cast<int64_t>(initial_slots_) < expected_entries * 2 + 2) initial_slots_ *= 2;
  count_ = 0;
  plain_bytes_ = 0;
  entries_.clear();
  entries_.width = width;
  slots_.clear();
  spare_.clear();
}

void DictionaryBuilder::grow() {
  const size_t capacity = slots_.empty() ? initial_slots_ : slots_.size() * 2;
  spare_.assign(capacity, Slot{0, 0});
  int bits = 0;
  while ((size_t{1} << bits) < capacity) ++bits;
  shift_ = 64 - bits;
  const size_t mask = capacity - 1;
  const bool words = width_ == 4 || width_ == 8;
  for (const Slot& s : slots_) {
    if (s.entry == 0) continue;
    size_t i = (words ? hash_word(s.key) : s.key) >> shift_;
    while (spare_[i].entry != 0) i = (i + 1) & mask;
    spare_[i] = s;
  }
  slots_.swap(spare_);
}

uint32_t DictionaryBuilder::add_entry(const uint8_t* bytes, size_t len) {
  const auto index = static_cast<uint32_t>(count_);
  if (width_ == 0) {
    entries_.append_binary(bytes, len);
    plain_bytes_ += 4 + static_cast<int64_t>(len);
  } else {
    entries_.append_fixed(bytes);
    plain_bytes_ += static_cast<int64_t>(len);
  }
  ++count_;
  return index;
}

// 4- and 8-byte values: the slot holds the value, so a lookup touches one cache line.
template <class Word>
void DictionaryBuilder::map_words(const encoding::ValueBuffer& values, int64_t begin, int64_t end, uint32_t* out) {
  const uint8_t* data = values.value(static_cast<size_t>(begin));
  size_t mask = slots_.size() - 1;
  uint64_t previous_key = 0;
  uint32_t previous = UINT32_MAX;  // none yet
  for (int64_t i = 0, n = end - begin; i < n; ++i) {
    Word w;
    std::memcpy(&w, data + static_cast<size_t>(i) * sizeof(Word), sizeof(Word));
    const uint64_t key = w;
    if (key == previous_key && previous != UINT32_MAX) {  // repeats (sorted columns) skip the table
      out[i] = previous;
      continue;
    }
    previous_key = key;
    size_t s = hash_word(key) >> shift_;
    while (true) {
      const Slot& slot = slots_[s];
      if (slot.entry == 0) break;
      if (slot.key == key) goto found;
      s = (s + 1) & mask;
    }
    slots_[s] = Slot{key, add_entry(data + static_cast<size_t>(i) * sizeof(Word), sizeof(Word)) + 1};
    if (static_cast<uint64_t>(count_) * 2 > slots_.size()) {  // keep the table at most half full
      grow();
      mask = slots_.size() - 1;
    }
    out[i] = previous = static_cast<uint32_t>(count_ - 1);
    continue;
  found:
    out[i] = previous = slots_[s].entry - 1;
  }
}

// Other values: the slot holds the hash; equal hashes are confirmed against the entry.
// load(i) gives value i as (pointer, length).
template <class Load>
void DictionaryBuilder::map_hashed(int64_t begin, int64_t end, Load&& load, uint32_t* out) {
  size_t mask = slots_.size() - 1;
  for (int64_t i = begin; i < end; ++i) {
    const auto [p, len] = load(i);
    const uint64_t h = hash_bytes(p, len);
    size_t s = h >> shift_;
    uint32_t index;
    while (true) {
      const Slot& slot = slots_[s];
      if (slot.entry == 0) {
        index = add_entry(p, len);
        slots_[s] = Slot{h, index + 1};
        if (static_cast<uint64_t>(count_) * 2 > slots_.size()) {
          grow();
          mask = slots_.size() - 1;
        }
        break;
      }
      if (slot.key == h) {
        const uint32_t e = slot.entry - 1;
        const uint8_t* q;
        size_t qlen;
        if (width_ == 0) {
          const int64_t* o = entries_.offsets.data() + e;
          q = entries_.data.data() + o[0];  // entries are owned, never borrowed
          qlen = static_cast<size_t>(o[1] - o[0]);
        } else {
          q = entries_.value(e);
          qlen = len;
        }
        if (qlen == len && same_bytes(p, q, len)) {
          index = e;
          break;
        }
      }
      s = (s + 1) & mask;
    }
    *out++ = index;
  }
}

void DictionaryBuilder::map(const encoding::ValueBuffer& values, int64_t begin, int64_t end, std::vector<uint32_t>& indices) {
  if (slots_.empty()) grow();
  const size_t at = indices.size();
  indices.resize(at + static_cast<size_t>(end - begin));
  uint32_t* out = indices.data() + at;
  if (width_ == 4) return map_words<uint32_t>(values, begin, end, out);
  if (width_ == 8) return map_words<uint64_t>(values, begin, end, out);
  if (width_ == 0) {
    const uint8_t* data = values.bytes();
    const int64_t* offsets = values.offsets.data();
    map_hashed(begin, end, [data, offsets](int64_t i) {
      return std::pair<const uint8_t*, size_t>(data + offsets[i], static_cast<size_t>(offsets[i + 1] - offsets[i]));
    }, out);
    return;
  }
  const size_t w = width_;
  map_hashed(begin, end, [&values, w](int64_t i) {
    return std::pair<const uint8_t*, size_t>(values.value(static_cast<size_t>(i)), w);
  }, out);
}

}  // namespace parkett::column
