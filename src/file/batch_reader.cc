// RecordBatchReader: one row group decoded at a time, handed out in zero-copy slices.

#include <climits>
#include <unordered_set>

#include "file/arrow_schema_hint.h"
#include "file/reader_access.h"
#include "parkett/c_data.h"
#include "parkett/error.h"
#include "parkett/reader.h"

namespace parkett {
namespace {

// Top-level fields with a string chunk that may pass 2 GiB in one of `groups`: its size
// statistics say so, or, without them, its uncompressed size does. A stream's types cannot
// change from one batch to the next, so such fields are large from the first batch on.
std::unordered_set<std::string> fields_with_large_strings(const FileMetadata& md, const std::vector<int32_t>& groups) {
  std::unordered_set<std::string> out;
  const ParquetSchema& schema = md.schema();
  for (int32_t c = 0; c < schema.num_columns(); ++c) {
    const ColumnDescriptor& col = schema.column(c);
    if (col.physical_type != PhysicalType::ByteArray || out.contains(col.path.at(0))) continue;
    for (int32_t g : groups) {
      const ColumnChunkMetadata chunk = md.row_group(g).column(c);
      if (chunk.metadata_encrypted()) continue;
      const auto sizes = chunk.size_statistics();
      const int64_t bytes = sizes && sizes->unencoded_byte_array_data_bytes ? *sizes->unencoded_byte_array_data_bytes
                                                                            : chunk.total_uncompressed_size();
      if (bytes > INT32_MAX) {
        out.insert(col.path.at(0));
        break;
      }
    }
  }
  return out;
}

}  // namespace

RecordBatchReader FileReader::batches() const { return RecordBatchReader(*this, FileReaderAccess::state(*this).options); }
RecordBatchReader FileReader::batches(const ReadOptions& options) const {
  return RecordBatchReader(*this, options);
}

RecordBatchReader::RecordBatchReader(FileReader file, ReadOptions options)
    : file_(std::move(file)), options_(std::move(options)) {
  if (options_.batch_size < 0) {
    throw Error(ErrorKind::InvalidArgument, "batch_size must not be negative");
  }
  row_groups_ = options_.row_groups;
  if (row_groups_.empty()) {
    for (int32_t g = 0; g < file_.metadata().num_row_groups(); ++g) row_groups_.push_back(g);
  }
  schema_ = file_.arrow_schema(options_);
  const auto large = fields_with_large_strings(file_.metadata(), row_groups_);
  for (Field& f : schema_.fields) {
    if (large.contains(f.name)) f.type = file::with_large_strings(f.type);
  }
}

bool RecordBatchReader::next(RecordBatch& out) {
  while (offset_ >= current_.num_rows) {
    if (next_group_ == row_groups_.size()) return false;
    ReadOptions one = options_;
    one.row_groups = {row_groups_[next_group_++]};
    const int32_t group = one.row_groups.front();
    ScanCounts c;
    Table t = file_.read_table(one, c);
    counts_.row_groups_read += c.row_groups_read;
    counts_.row_groups_skipped += c.row_groups_skipped;
    counts_.row_groups_skipped_by_bloom_filter += c.row_groups_skipped_by_bloom_filter;
    counts_.row_groups_skipped_by_dictionary += c.row_groups_skipped_by_dictionary;
    counts_.rows_skipped += c.rows_skipped;
    counts_.pages_read += c.pages_read;
    counts_.pages_skipped += c.pages_skipped;
    counts_.bytes_read += c.bytes_read;
    if (t.batches.empty()) continue;  // skipped by a filter
    current_ = std::move(t.batches.front());
    offset_ = 0;
    for (size_t i = 0; i < current_.columns.size(); ++i) {
      const Field& field = schema_.fields.at(i);
      current_.columns[i] = file::conform(current_.columns[i], field.type);
      if (!(current_.columns[i]->type == field.type)) {
        throw Error(ErrorKind::ResourceLimit,
                    "column '" + field.name + "' decodes to more than 2 GiB of strings in this row group, which the " +
                        field.type.to_string() + " of the earlier batches cannot hold (its metadata gave no sign of it); "
                        "read_table() reads it with 64-bit offsets",
                    ErrorContext{file_.name(), group, field.name, {}});
      }
    }
  }
  const int64_t size = options_.batch_size > 0 ? options_.batch_size : current_.num_rows;
  const int64_t n = std::min(size, current_.num_rows - offset_);
  out.schema = schema_;
  out.num_rows = n;
  out.columns.clear();
  for (const auto& c : current_.columns) out.columns.push_back(slice(c, offset_, n));
  offset_ += n;
  return true;
}

}  // namespace parkett

namespace parkett {

void export_stream(RecordBatchReader reader, ArrowArrayStream* out) {
  auto shared = std::make_shared<RecordBatchReader>(std::move(reader));
  Schema schema = shared->schema();
  export_stream(std::move(schema), [shared](RecordBatch& b) { return shared->next(b); }, out);
}

}  // namespace parkett
