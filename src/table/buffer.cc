#include <algorithm>
#include <cstdlib>
#include <iterator>
#include <map>
#include <mutex>
#include <cstring>
#include <new>

#include "parkett/array.h"
#include "parkett/error.h"

namespace parkett {
namespace {

constexpr size_t kAlignment = 64;
constexpr size_t kPooledMinimum = size_t{1} << 16;
// Larger blocks go back to the system: one kept would pin its whole size in memory.
constexpr size_t kPooledMaximum = size_t{256} << 20;

// Large freed blocks, kept for the next allocation of a similar size (at most twice as big,
// so reuse wastes no more than half a block).
class BlockPool {
 public:
  uint8_t* take(size_t capacity, size_t& got) {
    if (capacity < kPooledMinimum) return nullptr;
    std::lock_guard lock(mutex_);
    auto it = blocks_.lower_bound(capacity);
    if (it == blocks_.end() || it->first > capacity * 2) return nullptr;
    got = it->first;
    uint8_t* p = it->second;
    held_ -= it->first;
    blocks_.erase(it);
    return p;
  }
  // Keeps the block if the pool has room; returns false when the caller must free it.
  bool give(uint8_t* p, size_t capacity) {
    if (capacity < kPooledMinimum || capacity > kPooledMaximum) return false;
    std::lock_guard lock(mutex_);
    if (held_ + capacity > limit_) return false;
    blocks_.emplace(capacity, p);
    held_ += capacity;
    return true;
  }
  void set_limit(size_t limit) {
    std::lock_guard lock(mutex_);
    limit_ = limit;
    while (held_ > limit_ && !blocks_.empty()) {
      auto it = std::prev(blocks_.end());
      held_ -= it->first;
      std::free(it->second);
      blocks_.erase(it);
    }
  }
 private:
  std::mutex mutex_;
  std::multimap<size_t, uint8_t*> blocks_;
  size_t held_ = 0;
  size_t limit_ = size_t{1} << 30;
};

// Never destroyed: a read-ahead thread left to finish a slow fetch (file/prefetch.cc)
// may free its buffers after main() returns, when a static pool would be gone.
BlockPool& pool() {
  static BlockPool* p = new BlockPool();
  return *p;
}

size_t padded(size_t size) { return (size + kAlignment - 1) / kAlignment * kAlignment; }

uint8_t* aligned_alloc_bytes(size_t capacity) {
  void* p = std::aligned_alloc(kAlignment, capacity == 0 ? kAlignment : capacity);
  if (!p) {
    throw Error(ErrorKind::ResourceLimit,
                "cannot allocate " + std::to_string(capacity) + " bytes for a buffer");
  }
  return static_cast<uint8_t*>(p);
}

}  // namespace

void set_buffer_pool_limit(size_t bytes) { pool().set_limit(bytes); }

std::shared_ptr<Buffer> Buffer::allocate(size_t size, bool zeroed) {
  std::shared_ptr<Buffer> b(new Buffer());
  b->capacity_ = padded(size);
  size_t pooled = 0;
  if (uint8_t* p = pool().take(b->capacity_, pooled)) {
    b->data_ = p;
    b->capacity_ = pooled;
  } else {
    b->data_ = aligned_alloc_bytes(b->capacity_);
  }
  b->size_ = size;
  if (zeroed) {
    std::memset(b->data_, 0, b->capacity_);
  } else if (b->capacity_ > size) {
    std::memset(b->data_ + size, 0, b->capacity_ - size);  // padding is always defined
  }
  return b;
}

std::shared_ptr<Buffer> Buffer::wrap(const uint8_t* data, size_t size, std::shared_ptr<void> owner) {
  std::shared_ptr<Buffer> b(new Buffer());
  b->data_ = const_cast<uint8_t*>(data);  // read-only by contract: wrapped buffers are inputs
  b->size_ = size;
  b->capacity_ = size;
  b->owner_ = std::move(owner);
  return b;
}

Buffer::~Buffer() {
  if (!owner_ && !pool().give(data_, capacity_)) std::free(data_);
}

void Buffer::resize(size_t size) {
  if (owner_) throw Error(ErrorKind::InvalidArgument, "a wrapped (imported) buffer cannot be resized");
  if (size > capacity_) {
    if (size_ == 0 && data_) {
      // Nothing to keep: let the old block go before the new one is taken, so that a
      // buffer reused for pages of a gigabyte does not hold two of them at once.
      if (!pool().give(data_, capacity_)) std::free(data_);
      data_ = nullptr;
      capacity_ = 0;
    }
    size_t capacity = padded(std::max(size, capacity_ * 2));
    size_t pooled = 0;
    uint8_t* fresh = pool().take(capacity, pooled);
    if (fresh) {
      capacity = pooled;
    } else {
      fresh = aligned_alloc_bytes(capacity);
    }
    if (size_) std::memcpy(fresh, data_, size_);
    if (!pool().give(data_, capacity_)) std::free(data_);  // bytes past `size` stay unset
    data_ = fresh;
    capacity_ = capacity;
  }
  size_ = size;
}

int64_t Table::num_rows() const {
  int64_t n = 0;
  for (const auto& b : batches) n += b.num_rows;
  return n;
}

ArrayPtr slice(const ArrayPtr& array, int64_t offset, int64_t length) {
  if (offset < 0 || length < 0 || offset > array->length - length) {
    throw Error(ErrorKind::InvalidArgument, "slice of rows " + std::to_string(offset) + " to " +
                                                std::to_string(offset + length) + " of an array of " +
                                                std::to_string(array->length));
  }
  if (offset == 0 && length == array->length) return array;
  auto s = std::make_shared<ArrayData>(*array);
  s->offset = array->offset + offset;
  s->length = length;
  if (array->null_count == 0 || array->null_count == array->length) {
    s->null_count = array->null_count == 0 ? 0 : length;
  } else {
    int64_t nulls = 0;
    for (int64_t i = 0; i < length; ++i) nulls += !s->is_valid(i);
    s->null_count = nulls;
  }
  return s;
}

}  // namespace parkett
