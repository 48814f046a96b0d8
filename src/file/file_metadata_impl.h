// The shared state behind FileMetadata, RowGroupMetadata and ColumnChunkMetadata handles.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "format/chunk_summary.h"
#include "format/footer_walker.h"
#include "format/parquet_types.h"
#include "parkett/error.h"
#include "parkett/metadata.h"

namespace parkett::detail {

/// A PLAIN-encoded statistics value of `type`; monostate if its size is wrong for the type.
StatValue decode_stat_value(PhysicalType type, const std::string& bytes);
bool stat_is_nan(const StatValue& v);

// A slot per (row group, column) filled on first use; several threads may race to fill it:
// the first one wins and the others drop their copy.
template <class T>
class LazySlots {
 public:
  void resize(size_t n) {
    slots_ = std::make_unique<std::atomic<const T*>[]>(n);
    for (size_t i = 0; i < n; ++i) slots_[i].store(nullptr, std::memory_order_relaxed);
  }
  const T* get(size_t i) const { return slots_[i].load(std::memory_order_acquire); }
  void set_borrowed(size_t i, const T* v) { slots_[i].store(v, std::memory_order_relaxed); }
  /// Publishes `fresh` unless another thread already did; returns the published value.
  const T& publish(size_t i, std::unique_ptr<T> fresh) const {
    const T* expected = nullptr;
    if (slots_[i].compare_exchange_strong(expected, fresh.get(), std::memory_order_acq_rel)) {
      std::lock_guard lock(mutex_);
      owned_.push_back(std::move(fresh));
      return *owned_.back();
    }
    return *expected;
  }

 private:
  std::unique_ptr<std::atomic<const T*>[]> slots_;
  mutable std::mutex mutex_;
  mutable std::vector<std::unique_ptr<T>> owned_;
};

struct FileMetadataImpl : std::enable_shared_from_this<FileMetadataImpl> {
  std::string source;          // the file's name, for errors
  std::string footer;          // the serialized FileMetaData
  // All of the footer but the column chunks (byte ranges instead). Lazily parsed files fill
  // it as the walker advances: row groups below rg_done are complete and never change.
  mutable format::FooterIndex index;
  std::vector<std::vector<format::ChunkSummary>> eager;  // every chunk, when parsed eagerly
  ParquetSchema schema;
  std::vector<uint64_t> column_path_hashes;  // format::path_hash of each leaf's path

  // The tail of the footer (after the row groups), decoded by ensure_tail().
  mutable KeyValueMetadata key_value_metadata;
  mutable std::vector<ColumnOrder> column_orders;  // one per leaf, or empty
  mutable std::optional<FileEncryption> encryption;
  // An encrypted footer's facts (from FileCryptoMetaData), set before the metadata is shared.
  std::optional<FileEncryption> footer_encryption;
  /// Records that `md`, not yet shared, was read from an encrypted footer.
  static void set_footer_encryption(FileMetadata& md, FileEncryption e) {
    const_cast<FileMetadataImpl&>(of(md.impl_)).footer_encryption = std::move(e);
  }

  mutable std::unique_ptr<format::FooterWalker> walker;  // lazy files only
  mutable std::mutex walk_mutex;
  mutable std::atomic<int32_t> rg_done{0};
  mutable std::atomic<bool> tail_done{false};
  mutable std::optional<Error> walk_error;  // a failed walk fails every later one the same way
  /// Makes chunk `column` of `row_group` available (column < 0: the whole row group).
  void ensure_located(int32_t row_group, int32_t column) const;
  void ensure_tail() const;
  void decode_tail() const;  // fills key_value_metadata, column_orders, encryption
  void check_row_group(int32_t row_group, size_t columns) const;
  LazySlots<format::ChunkSummary> summaries;
  LazySlots<format::ColumnChunk> full_chunks;  // for the rarely used fields
  mutable std::atomic<int64_t> decoded{0};

  // Every row group has exactly one chunk per leaf (checked as row groups are walked).
  size_t slot(int32_t row_group, int32_t column) const {
    return static_cast<size_t>(row_group) * static_cast<size_t>(schema.num_columns()) +
           static_cast<size_t>(column);
  }
  /// The summary of a chunk, decoded on first use.
  const format::ChunkSummary& chunk(int32_t row_group, int32_t column) const;
  /// The fully decoded chunk (for key-value metadata, encoding stats, ...).
  const format::ColumnChunk& full_chunk(int32_t row_group, int32_t column) const;
  /// The summary, checked to have ColumnMetaData (Error(Crypto) if it is encrypted).
  const format::ChunkSummary& meta(int32_t row_group, int32_t column) const;
  /// Throws Error(Corrupt) if the chunk contradicts the schema (path, type, negative sizes).
  void validate_chunk(const format::ChunkSummary& c, int32_t column) const;

  Statistics make_statistics(const format::StatisticsSummary& stats, int32_t column) const;

  RowGroupMetadata row_group_handle(int32_t row_group) const;
  ColumnChunkMetadata chunk_handle(int32_t row_group, int32_t column) const;

  /// Adds file, row group and column to an error raised about one chunk.
  void locate(Error& e, int32_t row_group, int32_t column) const;

  static const FileMetadataImpl& of(const std::shared_ptr<const FileMetadataImpl>& p);
};

}  // namespace parkett::detail
