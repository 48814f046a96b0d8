// RecordBatchReader: one row group decoded at a time, handed out in zero-copy slices.

#include "parkett/c_data.h"
#include "parkett/error.h"
#include "parkett/reader.h"

namespace parkett {
namespace {


}  // namespace

RecordBatchReader FileReader::batches() const { return RecordBatchReader(*this, options_); }
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
}

bool RecordBatchReader::next(RecordBatch& out) {
  while (offset_ >= current_.num_rows) {
    if (next_group_ == row_groups_.size()) return false;
    ReadOptions one = options_;
    one.row_groups = {row_groups_[next_group_++]};
    Table t = file_.read_table(one);
    current_ = std::move(t.batches.front());
    offset_ = 0;
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
