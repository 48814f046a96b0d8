#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>

#include "parkett/array.h"
#include "parkett/error.h"

namespace parkett {
namespace {

constexpr size_t kAlignment = 64;

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

std::shared_ptr<Buffer> Buffer::allocate(size_t size, bool zeroed) {
  std::shared_ptr<Buffer> b(new Buffer());
  b->capacity_ = padded(size);
  b->data_ = aligned_alloc_bytes(b->capacity_);
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
  if (!owner_) std::free(data_);
}

void Buffer::resize(size_t size) {
  if (owner_) throw Error(ErrorKind::InvalidArgument, "a wrapped (imported) buffer cannot be resized");
  if (size > capacity_) {
    size_t capacity = padded(std::max(size, capacity_ * 2));
    uint8_t* fresh = aligned_alloc_bytes(capacity);
    if (size_) std::memcpy(fresh, data_, size_);
    std::free(data_);  // the bytes past `size` are left uninitialised: callers fill them
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

}  // namespace parkett
