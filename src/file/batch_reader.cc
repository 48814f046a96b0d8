// RecordBatchReader: one row group decoded at a time, handed out in zero-copy slices.
#include <cerrno>
#include <cstring>

#include "parkett/c_data.h"
#include "parkett/error.h"
#include "parkett/reader.h"

namespace parkett {
namespace {

// A view of rows [offset, offset + length) of `a`. Only the top level moves, as in Arrow:
// a struct's children are read at the parent's offset plus the row, list children through
// the offsets.
ArrayPtr slice(const ArrayPtr& a, int64_t offset, int64_t length) {
  auto s = std::make_shared<ArrayData>(*a);
  s->offset = a->offset + offset;
  s->length = length;
  if (a->null_count == 0 || a->null_count == a->length) {
    s->null_count = a->null_count == 0 ? 0 : length;
  } else {
    int64_t nulls = 0;
    for (int64_t i = 0; i < length; ++i) nulls += !s->is_valid(i);
    s->null_count = nulls;
  }
  return s;
}

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
namespace {

struct ReaderStream {
  RecordBatchReader reader;
  std::string last_error;
};

int reader_get_schema(ArrowArrayStream* s, ArrowSchema* out) {
  auto* h = static_cast<ReaderStream*>(s->private_data);
  try {
    export_schema(h->reader.schema(), out);
    return 0;
  } catch (const std::exception& e) {
    h->last_error = e.what();
    return EIO;
  }
}

int reader_get_next(ArrowArrayStream* s, ArrowArray* out) {
  auto* h = static_cast<ReaderStream*>(s->private_data);
  try {
    RecordBatch batch;
    if (!h->reader.next(batch)) {
      std::memset(out, 0, sizeof(*out));  // end of stream: a released array
      return 0;
    }
    export_record_batch(batch, out);
    return 0;
  } catch (const std::exception& e) {
    h->last_error = e.what();
    return EIO;
  }
}

const char* reader_last_error(ArrowArrayStream* s) {
  auto* h = static_cast<ReaderStream*>(s->private_data);
  return h->last_error.empty() ? nullptr : h->last_error.c_str();
}

void reader_release(ArrowArrayStream* s) {
  if (!s || !s->release) return;
  delete static_cast<ReaderStream*>(s->private_data);
  s->release = nullptr;
}

}  // namespace

void export_stream(RecordBatchReader reader, ArrowArrayStream* out) {
  out->get_schema = reader_get_schema;
  out->get_next = reader_get_next;
  out->get_last_error = reader_last_error;
  out->release = reader_release;
  out->private_data = new ReaderStream{std::move(reader), {}};
}

}  // namespace parkett
