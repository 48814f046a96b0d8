// Walks a serialized FileMetaData only as far as it is asked to.
//
// A footer lists the schema, then every row group with every column chunk, then the
// key-value metadata, created_by and column orders. Opening a wide file to read a few
// columns needs the schema and the chunks of those columns only; everything after them is
// left unread until something asks for it. The walker fills a FooterIndex: the head
// (version, schema, num_rows, the number of row groups) at construction, then row groups
// in order (column chunks as byte ranges, then the row group's own fields), then the tail
// fields. It is not thread-safe: its owner serialises calls.
#pragma once

#include <cstdint>
#include <string>

#include "format/parquet_types.h"
#include "thrift/compact_protocol.h"

namespace parkett::format {

class FooterWalker {
 public:
  /// Decodes the head into `index` (which must outlive the walker). `index.row_groups` is
  /// sized to the number of row groups; their fields fill in as they are walked.
  FooterWalker(const uint8_t* data, size_t size, FooterIndex& index);

  /// Walks until chunk `column` of row group `row_group` is located (column < 0: until the
  /// whole row group, including its own fields, is decoded).
  void walk_to(int32_t row_group, int32_t column);
  /// Walks to the end of the footer.
  void walk_all();

  /// Row groups decoded completely; chunks located in the row group being walked.
  int32_t row_groups_done() const { return row_group_; }
  int32_t columns_located() const;
  /// Chunks the row group being walked declares (valid once its columns list was reached).
  uint32_t columns_total() const { return columns_total_; }
  bool done() const { return state_ == State::Done; }

 private:
  enum class State { RowGroupStart, RowGroupFields, Columns, Tail, Done };
  void step();

  thrift::CompactReader r_;
  FooterIndex& ix_;
  State state_ = State::RowGroupStart;
  int32_t row_group_ = 0;
  int16_t file_last_id_ = 0;
  uint32_t file_seen_ = 0;
  int16_t rg_last_id_ = 0;
  uint32_t rg_seen_ = 0;
  uint32_t columns_left_ = 0;
  uint32_t columns_total_ = 0;
};

}  // namespace parkett::format
