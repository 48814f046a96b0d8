// A compact, allocation-free decoding of the ColumnChunk fields that readers use on every
// open: sizes, offsets, codec, encodings, statistics. Binary values (statistics bounds) are
// views into the footer buffer, so a summary is a fixed ~200 bytes where a decoded
// format::ColumnChunk takes ~600 plus its heap strings; wide footers decode several times
// faster this way. Fields used rarely (key-value metadata, encoding stats, size and
// geospatial statistics, crypto metadata, file_path) are only flagged here: decode the full
// ColumnChunk from `bytes` when they are asked for.
#pragma once

#include <cstdint>
#include <string_view>

#include "format/parquet_types.h"
#include "thrift/compact_protocol.h"

namespace parkett::format {

/// Bytes inside the buffer the summary was decoded from.
struct ByteView {
  uint32_t offset = 0;
  uint32_t length = 0;
  std::string_view in(const char* buffer) const { return {buffer + offset, length}; }
  bool operator==(const ByteView&) const = default;
};

struct StatisticsSummary {
  enum Present : uint16_t {
    kMax = 1, kMin = 2, kNullCount = 4, kDistinctCount = 8, kMaxValue = 16, kMinValue = 32,
    kMaxExact = 64, kMinExact = 128, kNanCount = 256,
  };
  uint16_t present = 0;
  bool is_max_value_exact = false;
  bool is_min_value_exact = false;
  ByteView max, min, max_value, min_value;
  int64_t null_count = 0, distinct_count = 0, nan_count = 0;
  bool has(Present p) const { return (present & p) != 0; }
};

struct ChunkSummary {
  PARKETT_THRIFT_STRUCT(ColumnChunk);
  enum Flag : uint32_t {
    kHasMetaData = 1 << 0, kHasFilePath = 1 << 1, kHasCryptoMetaData = 1 << 2,
    kHasEncryptedMetaData = 1 << 3, kHasKeyValueMetadata = 1 << 4, kHasEncodingStats = 1 << 5,
    kHasSizeStatistics = 1 << 6, kHasGeospatialStatistics = 1 << 7, kHasStatistics = 1 << 8,
    kHasIndexPageOffset = 1 << 9, kHasDictionaryPageOffset = 1 << 10,
    kHasBloomFilterOffset = 1 << 11, kHasBloomFilterLength = 1 << 12,
    kHasOffsetIndexOffset = 1 << 13, kHasOffsetIndexLength = 1 << 14,
    kHasColumnIndexOffset = 1 << 15, kHasColumnIndexLength = 1 << 16,
    kMoreEncodings = 1 << 17,  // more than kMaxEncodings: decode the full chunk for the list
  };
  static constexpr int kMaxEncodings = 12;

  RawStruct bytes;  // where the ColumnChunk is in the buffer
  uint32_t flags = 0;
  Type type = Type::BOOLEAN;
  CompressionCodec codec = CompressionCodec::UNCOMPRESSED;
  uint8_t num_encodings = 0;
  int8_t encodings[kMaxEncodings] = {};
  uint32_t path_length = 0;   // elements of path_in_schema
  uint64_t path_hash = 0;     // path_hash() of path_in_schema, to check it against the schema
  int64_t file_offset = 0;
  int64_t num_values = 0;
  int64_t total_uncompressed_size = 0;
  int64_t total_compressed_size = 0;
  int64_t data_page_offset = 0;
  int64_t index_page_offset = 0;
  int64_t dictionary_page_offset = 0;
  int64_t bloom_filter_offset = 0;
  int32_t bloom_filter_length = 0;
  int32_t offset_index_length = 0;
  int64_t offset_index_offset = 0;
  int64_t column_index_offset = 0;
  int32_t column_index_length = 0;
  StatisticsSummary statistics;

  bool has(Flag f) const { return (flags & f) != 0; }
};

// The footer with every column chunk summarised (eager decoding, one pass).
using RowGroupSummary = BasicRowGroup<ChunkSummary>;
using FooterSummary = BasicFileMetaData<RowGroupSummary>;

/// Hash of a column path as the summary computes it (FNV-1a over the elements, each
/// followed by a separator byte).
uint64_t path_hash_begin();
uint64_t path_hash_add(uint64_t h, std::string_view element);

/// Decodes one ColumnChunk struct at the reader's position (the struct's field list).
/// Throws Error(Corrupt) for malformed input or missing required ColumnMetaData fields,
/// exactly as deserialize<ColumnChunk> would.
void decode_chunk_summary(thrift::CompactReader& r, ChunkSummary& out);

}  // namespace parkett::format
