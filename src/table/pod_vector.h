// A std::vector of plain values (integers) whose memory comes from the buffer pool and
// whose new elements are left uninitialised: decoders size it, then write every element.
// A string column's int64 offsets grow this way for each window read; with std::vector
// each window zeroed fresh memory (a page fault per 4 KiB here) before overwriting it.
// (GrowableBuffer is the byte form; this one is typed and keeps its own size and capacity
// so that push_back, once per PLAIN string value, stays inline.)
#pragma once

#include <algorithm>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <type_traits>
#include <utility>

#include "parkett/array.h"

namespace parkett::table {

template <class T>
class PodVector {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  PodVector() = default;
  PodVector(std::initializer_list<T> values) {
    reserve(values.size());
    for (const T v : values) push_back(v);
  }
  PodVector(PodVector&& other) noexcept { *this = std::move(other); }
  PodVector& operator=(PodVector&& other) noexcept {
    storage_ = std::move(other.storage_);
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
    capacity_ = std::exchange(other.capacity_, 0);
    return *this;
  }
  PodVector(const PodVector&) = delete;
  PodVector& operator=(const PodVector&) = delete;

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  size_t capacity() const { return capacity_; }
  T* data() { return data_; }
  const T* data() const { return data_; }
  T& operator[](size_t i) { return data_[i]; }
  const T& operator[](size_t i) const { return data_[i]; }
  T& front() { return data_[0]; }
  const T& front() const { return data_[0]; }
  T& back() { return data_[size_ - 1]; }
  const T& back() const { return data_[size_ - 1]; }
  T* begin() { return data_; }
  T* end() { return data_ + size_; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }

  void reserve(size_t n) {
    if (n <= capacity_) return;
    std::shared_ptr<Buffer> grown = Buffer::allocate(n * sizeof(T));
    if (size_) std::memcpy(grown->data(), data_, size_ * sizeof(T));
    storage_ = std::move(grown);  // the old block goes back to the pool
    data_ = reinterpret_cast<T*>(storage_->data());
    capacity_ = storage_->capacity() / sizeof(T);  // a pooled block may be larger
  }
  /// New elements are uninitialised.
  void resize(size_t n) {
    if (n > capacity_) reserve(std::max(n, capacity_ * 2));
    size_ = n;
  }
  void push_back(T v) {
    if (size_ == capacity_) reserve(std::max<size_t>(16, capacity_ * 2));
    data_[size_++] = v;
  }
  void assign(size_t n, T v) {
    resize(n);
    std::fill(data_, data_ + n, v);
  }
  void clear() { size_ = 0; }

 private:
  std::shared_ptr<Buffer> storage_;
  T* data_ = nullptr;
  size_t size_ = 0, capacity_ = 0;  // in elements
};

}  // namespace parkett::table
