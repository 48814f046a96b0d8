// Columns in memory, in the Arrow columnar format: what parkett reads Parquet into and
// writes Parquet from. ArrayData's buffers follow the Arrow C Data Interface order for its
// type (validity first), so they cross to any Arrow implementation without copying.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "parkett/export.h"
#include "parkett/datatype.h"

namespace parkett {

/// A 64-byte aligned block of memory, padded to a multiple of 64 bytes so kernels may read
/// whole vectors past the end. Not zeroed unless asked.
class PARKETT_EXPORT Buffer {
 public:
  static std::shared_ptr<Buffer> allocate(size_t size, bool zeroed = false);
  /// A view of memory owned by someone else (imported arrays): `owner` is kept alive as
  /// long as the buffer. Such buffers cannot be resized.
  static std::shared_ptr<Buffer> wrap(const uint8_t* data, size_t size, std::shared_ptr<void> owner);
  ~Buffer();
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;

  uint8_t* data() { return data_; }
  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }
  size_t capacity() const { return capacity_; }
  template <class T>
  T* as() { return reinterpret_cast<T*>(data_); }
  template <class T>
  const T* as() const { return reinterpret_cast<const T*>(data_); }
  /// Makes the buffer `size` bytes long, reallocating (and keeping the contents) if needed.
  void resize(size_t size);

 private:
  Buffer() = default;
  uint8_t* data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
  std::shared_ptr<void> owner_;  // set for wrapped memory, which is not ours to free
};

/// Freed buffers of 1 MiB and more are kept for reuse, up to this many bytes in all (default
/// 1 GiB; 0 turns the pool off): fresh memory costs a page fault per 4 KiB, which is most of
/// the time of decoding a large file when every read allocates anew.
PARKETT_EXPORT void set_buffer_pool_limit(size_t bytes);

/// One array. Buffers per type (Arrow columnar format):
///   null: none;  bool and fixed-width: [validity, values];  (large_)string/binary:
///   [validity, offsets, data];  fixed_size_binary: [validity, values];
///   list / large_list / map: [validity, offsets] + 1 child;  struct: [validity] + children.
/// A null validity buffer means no nulls.
struct PARKETT_EXPORT ArrayData {
  DataType type;
  int64_t length = 0;
  int64_t null_count = 0;
  int64_t offset = 0;
  std::vector<std::shared_ptr<Buffer>> buffers;
  std::vector<std::shared_ptr<ArrayData>> children;
  std::shared_ptr<ArrayData> dictionary;  // for dictionary-encoded arrays

  bool is_valid(int64_t i) const {
    const auto& v = buffers.empty() ? nullptr : buffers[0];
    if (!v) return type.id() != DataType::Id::Null;
    int64_t bit = offset + i;
    return (v->data()[bit >> 3] >> (bit & 7)) & 1;
  }
};

using ArrayPtr = std::shared_ptr<ArrayData>;

/// A view of rows [offset, offset + length) of `array`, sharing its buffers (`array` itself
/// when that is all of it). Only the top level moves, as in Arrow: a struct's children are
/// read at the parent's offset plus the row, list children through the offsets.
PARKETT_EXPORT ArrayPtr slice(const ArrayPtr& array, int64_t offset, int64_t length);

/// Equal rows of several columns.
struct PARKETT_EXPORT RecordBatch {
  Schema schema;
  int64_t num_rows = 0;
  std::vector<ArrayPtr> columns;
};

/// A table: record batches sharing one schema.
struct PARKETT_EXPORT Table {
  Schema schema;
  std::vector<RecordBatch> batches;
  int64_t num_rows() const;
};

}  // namespace parkett
