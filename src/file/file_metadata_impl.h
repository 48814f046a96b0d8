// The shared state behind FileMetadata, RowGroupMetadata and ColumnChunkMetadata handles.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "format/parquet_types.h"
#include "parkett/error.h"
#include "parkett/metadata.h"

namespace parkett::detail {

struct FileMetadataImpl : std::enable_shared_from_this<FileMetadataImpl> {
  std::string source;          // the file's name, for errors
  std::string footer;          // the serialized FileMetaData
  format::FooterIndex index;   // all of it but the column chunks (byte ranges instead)
  std::optional<format::FileMetaData> eager;  // set when parsed eagerly: owns every chunk
  ParquetSchema schema;
  KeyValueMetadata key_value_metadata;
  std::vector<ColumnOrder> column_orders;     // one per leaf, or empty
  std::optional<FileEncryption> encryption;

  // One slot per (row group, column): the decoded chunk, or null until first use.
  std::unique_ptr<std::atomic<const format::ColumnChunk*>[]> slots;
  std::vector<size_t> row_group_base;  // first slot of each row group
  mutable std::mutex owned_mutex;
  mutable std::vector<std::unique_ptr<format::ColumnChunk>> owned;  // lazily decoded chunks
  mutable std::atomic<int64_t> decoded{0};

  const format::ColumnChunk& chunk(int32_t row_group, int32_t column) const;
  /// Throws Error(Corrupt) if the chunk contradicts the schema (path, type, negative sizes).
  void validate_chunk(const format::ColumnChunk& c, int32_t row_group, int32_t column) const;
  const format::ColumnMetaData& meta(int32_t row_group, int32_t column) const;

  Statistics make_statistics(const format::Statistics& stats, int32_t column) const;

  RowGroupMetadata row_group_handle(int32_t row_group) const;
  ColumnChunkMetadata chunk_handle(int32_t row_group, int32_t column) const;

  /// Adds file, row group and column to an error raised about one chunk.
  void locate(Error& e, int32_t row_group, int32_t column) const;

  static const FileMetadataImpl& of(const std::shared_ptr<const FileMetadataImpl>& p);
};

}  // namespace parkett::detail
