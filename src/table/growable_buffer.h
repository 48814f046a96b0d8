// A byte buffer that grows like std::vector but leaves new bytes uninitialised and can hand
// its storage over as a parkett::Buffer: decoders fill it, and the filled memory becomes an
// Arrow buffer without another copy.
#pragma once

#include <algorithm>
#include <cstring>
#include <memory>
#include <utility>

#include "parkett/array.h"

namespace parkett::table {

class GrowableBuffer {
 public:
  GrowableBuffer() = default;
  // Moving leaves the source empty; copies would share the storage, so there are none.
  GrowableBuffer(GrowableBuffer&& other) noexcept
      : buffer_(std::move(other.buffer_)), size_(std::exchange(other.size_, 0)) {}
  GrowableBuffer& operator=(GrowableBuffer&& other) noexcept {
    buffer_ = std::move(other.buffer_);
    size_ = std::exchange(other.size_, 0);
    return *this;
  }
  GrowableBuffer(const GrowableBuffer&) = delete;
  GrowableBuffer& operator=(const GrowableBuffer&) = delete;

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  uint8_t* data() { return buffer_ ? buffer_->data() : nullptr; }
  const uint8_t* data() const { return buffer_ ? buffer_->data() : nullptr; }
  uint8_t& operator[](size_t i) { return buffer_->data()[i]; }
  uint8_t operator[](size_t i) const { return buffer_->data()[i]; }

  void reserve(size_t n) {
    if (!buffer_) {
      buffer_ = Buffer::allocate(n);
      buffer_->resize(0);
    } else if (n > buffer_->capacity()) {
      // Grow geometrically even when callers reserve step by step (one page at a time).
      const size_t keep = size_;
      buffer_->resize(std::max(n, buffer_->capacity() * 2));
      buffer_->resize(keep);
    }
  }
  void resize(size_t n) {
    if (!buffer_ || n > buffer_->capacity()) reserve(std::max(n, size_ * 2));
    buffer_->resize(n);
    size_ = n;
  }
  void append(const uint8_t* p, size_t n) {
    const size_t at = size_;
    resize(at + n);
    if (n) std::memcpy(data() + at, p, n);
  }
  void push_back(uint8_t b) { append(&b, 1); }
  void clear() { resize(0); }

  /// The storage as a Buffer of size() bytes; this buffer is empty afterwards.
  std::shared_ptr<Buffer> release() {
    if (!buffer_) buffer_ = Buffer::allocate(0);
    buffer_->resize(size_);
    size_ = 0;
    return std::move(buffer_);
  }

 private:
  std::shared_ptr<Buffer> buffer_;
  size_t size_ = 0;
};

}  // namespace parkett::table
