// Column chunk writer: one leaf's levels and values for one row group become pages
// (dictionary page, then data pages v1 or v2), with chunk statistics, encoding stats and
// the page index. Sans-IO: the chunk is built in memory with offsets relative to its
// start; file/ places it and shifts the offsets.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "column/dictionary_builder.h"
#include "encoding/value_buffer.h"
#include "format/parquet_types.h"
#include "page/page_writer.h"
#include "parkett/schema.h"
#include "parkett/types.h"

namespace parkett::column {

/// The options of one leaf, resolved from the file-wide and per-column settings.
struct ChunkOptions {
  Compression codec = Compression::Snappy;
  int level = 0;
  bool dictionary = true;
  Encoding encoding = Encoding::Plain;  // without dictionary, and after a fallback
  int64_t max_dictionary_keys = int64_t{1} << 20;
  int64_t max_dictionary_bytes = int64_t{1} << 20;
  int data_page_version = 1;
  int64_t data_page_size = int64_t{1} << 20;
  int64_t max_rows_per_page = 20000;
  StatisticsLevel statistics = StatisticsLevel::Page;
  int32_t truncate_length = 64;
  bool page_index = true;
  bool crc = false;
  int64_t write_batch_size = 1024;  // page size is checked every this many rows
  bool total_order = false;         // floats in IEEE 754 totalOrder
  bool distinct_count = false;
  std::optional<BloomFilterOptions> bloom_filter;
  /// Encrypted chunks: their key and AAD (pages, headers and bloom filter are modules).
  std::shared_ptr<const crypto::ChunkCipher> cipher;
  // Format 1.0 names dictionary encoding PLAIN_DICTIONARY (dictionary and data pages);
  // later versions use PLAIN and RLE_DICTIONARY.
  bool plain_dictionary = false;
};

/// Throws Error(InvalidArgument) when `encoding` cannot encode values of `type`.
void check_encoding(Encoding encoding, PhysicalType type, const std::string& path);

struct ChunkInput {
  const ColumnDescriptor* column = nullptr;
  const SchemaNode* node = nullptr;
  PhysicalType type = PhysicalType::Int32;
  // Empty when the max level is 0; `def` is also empty when every level is the max
  // definition level (a flat column without nulls).
  std::vector<int16_t> def, rep;
  int64_t num_levels = 0;
  encoding::ValueBuffer values;  // present values; width set to the physical type's
  int64_t dictionary_hint = 0;  // entries of this column's last dictionary (a sizing hint)
};

using page::EncodedPage;

struct EncodedChunk {
  // The dictionary page (if any), then the data pages, written in this order; kept apart so
  // that no page is copied to join them.
  std::vector<EncodedPage> pages;
  format::ColumnMetaData meta;    // page offsets relative to the chunk's start
  std::optional<format::ColumnIndex> column_index;
  std::optional<format::OffsetIndex> offset_index;  // offsets relative to the chunk's start
  std::string bloom_filter;  // BloomFilterHeader + bitset; empty without one
  int64_t file_offset = 0;   // where file/ wrote the chunk
  int64_t dictionary_size = 0;  // entries of the dictionary built (0 without one)
};

/// Spent page bodies handed back after they were written, so the next pages reuse memory
/// that is already mapped (fresh memory costs a page fault per 4 KiB). Thread-safe. One
/// pool serves every writer of the process (shared_page_buffers()), so that the files of a
/// dataset write share warm buffers; it keeps at most `max_bytes` of them.
class PageBufferPool {
 public:
  explicit PageBufferPool(size_t max_bytes) : max_bytes_(max_bytes) {}
  std::vector<uint8_t> take();
  void give(std::vector<uint8_t>&& buffer);

 private:
  std::mutex mutex_;
  std::vector<std::vector<uint8_t>> spare_;
  size_t held_ = 0;
  const size_t max_bytes_;
};

/// The process's pool (64 MiB at most).
PageBufferPool& shared_page_buffers();

/// One thread's working memory, reused from chunk to chunk: the chunk's levels and values
/// (ChunkInput) and the encoder's buffers.
struct ChunkScratch {
  std::vector<ChunkInput> inputs;
  std::vector<uint8_t> values, levels, used;
  std::vector<uint32_t> indices;
  DictionaryBuilder dictionary{4};
};

/// Empties `in` for another leaf, keeping its memory.
void reset_input(ChunkInput& in);

EncodedChunk write_chunk(const ChunkInput& input, const ChunkOptions& options, ChunkScratch& scratch,
                         PageBufferPool& buffers);

}  // namespace parkett::column
