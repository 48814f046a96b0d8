#include "file/row_group_pipeline.h"

#include <algorithm>

#include "column/scratch_pool.h"
#include "file/field_encoder.h"

namespace parkett::file {

// One row group on its way to the file: its batches, and per top-level field the chunks
// of its leaves once encoded. Fields are encoded as tasks in any order and written in
// order by whichever task finds the next one ready.
struct RowGroupJob {
  std::vector<RecordBatch> batches;
  int64_t num_rows = 0;
  int32_t ordinal = 0;  // of the row group in the file
  std::vector<column::EncodedChunk> chunks;          // per leaf
  std::unique_ptr<std::atomic<bool>[]> encoded;      // per field
  std::atomic<size_t> fields_written{0};             // changed by the writing task only
  format::RowGroup meta;
};

RowGroupPipeline::RowGroupPipeline(const ResolvedWrite& resolved, bool allow_truncated_timestamps, int threads,
                                   OutputFile& file)
    : resolved_(resolved),
      allow_truncated_timestamps_(allow_truncated_timestamps),
      file_(file),
      dictionary_sizes_(std::make_unique<std::atomic<int64_t>[]>(static_cast<size_t>(resolved.parquet.num_columns()))),
      queue_(std::make_unique<util::TaskQueue>(threads - 1)) {}

RowGroupPipeline::~RowGroupPipeline() { stop(); }

void RowGroupPipeline::stop() {
  cancelled_ = true;
  queue_->help_until([&] { return tasks_in_flight_ == 0; });
}

void RowGroupPipeline::rethrow_failure() {
  std::exception_ptr f;
  {
    std::lock_guard lock(jobs_mutex_);
    f = failure_;
  }
  if (f) std::rethrow_exception(f);
}

void RowGroupPipeline::submit(std::vector<RecordBatch> batches, int64_t num_rows, const std::vector<int64_t>& field_bytes) {
  const size_t num_fields = resolved_.plans.size();
  auto job = std::make_unique<RowGroupJob>();
  job->batches = std::move(batches);
  job->num_rows = num_rows;
  job->ordinal = static_cast<int32_t>(std::min<int64_t>(submitted_++, INT32_MAX));
  job->chunks.resize(static_cast<size_t>(resolved_.parquet.num_columns()));
  job->encoded = std::make_unique<std::atomic<bool>[]>(num_fields);
  RowGroupJob* j = job.get();
  {
    std::lock_guard lock(jobs_mutex_);
    jobs_.push_back(std::move(job));
  }
  // Largest fields first, so that the last task to finish is a small one; they are still
  // written in order, each as soon as those before it are.
  std::vector<size_t> order(num_fields);
  for (size_t f = 0; f < order.size(); ++f) order[f] = f;
  auto bytes = [&](size_t f) { return f < field_bytes.size() ? field_bytes[f] : 0; };
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return bytes(a) > bytes(b); });
  tasks_in_flight_ += static_cast<int>(num_fields);
  for (size_t f : order) queue_->push([this, j, f] { run_field_task(*j, f); });
  queue_->help_until([&] {
    std::lock_guard lock(jobs_mutex_);
    return jobs_.size() <= 1 || failure_ != nullptr;
  });
  rethrow_failure();
}

void RowGroupPipeline::finish() {
  queue_->help_until([&] { return tasks_in_flight_ == 0; });
  rethrow_failure();
}

void RowGroupPipeline::run_field_task(RowGroupJob& job, size_t f) {
  try {
    if (!cancelled_) {
      const FieldEncoder encoder{resolved_.parquet,         resolved_.leaf_options,  allow_truncated_timestamps_,
                                 column::shared_page_buffers(), dictionary_sizes_.get(), resolved_.encryptor.get(),
                                 job.ordinal,                   &resolved_.calendar_rules};
      column::ScratchLease scratch;
      encoder.encode(resolved_.plans[f], f, job.batches, scratch.get(), job.chunks);
      job.encoded[f].store(true, std::memory_order_release);
      write_ready_chunks();
    }
  } catch (...) {
    cancelled_ = true;
    std::lock_guard lock(jobs_mutex_);
    if (!failure_) failure_ = std::current_exception();
  }
  // Not `job` from here on: another task may have written it and let it go. No task is
  // running once this reaches 0.
  --tasks_in_flight_;
}

// The oldest unfinished row group, or null.
RowGroupJob* RowGroupPipeline::oldest_job() {
  std::lock_guard lock(jobs_mutex_);
  return jobs_.empty() ? nullptr : jobs_.front().get();
}

// Under jobs_mutex_: a task without io_mutex_ asks too, while the writer may let the job go.
bool RowGroupPipeline::next_field_ready() {
  std::lock_guard lock(jobs_mutex_);
  if (jobs_.empty()) return false;
  const RowGroupJob& job = *jobs_.front();
  const size_t f = job.fields_written;
  return f < resolved_.plans.size() && job.encoded[f].load(std::memory_order_acquire);
}

// Writes every encoded field that is next in file order. One task writes at a time; a task
// that finds the writer busy leaves its field to it, and the writer looks again after
// letting go, so no finished field is left unwritten.
void RowGroupPipeline::write_ready_chunks() {
  while (true) {
    std::unique_lock io(io_mutex_, std::try_to_lock);
    if (!io.owns_lock()) return;
    while (!cancelled_ && next_field_ready()) {
      RowGroupJob& job = *oldest_job();
      write_field(job, job.fields_written++);
      if (job.fields_written == resolved_.plans.size()) finish_row_group(job);
    }
    io.unlock();
    if (cancelled_ || !next_field_ready()) return;
  }
}

void RowGroupPipeline::write_field(RowGroupJob& job, size_t f) {
  if (f == 0) job.meta.file_offset = file_.position();
  for (int32_t c : resolved_.plans[f].leaves) {
    column::EncodedChunk& ch = job.chunks[static_cast<size_t>(c)];
    const int64_t start = file_.position();
    for (column::EncodedPage& page : ch.pages) {
      file_.write(page.header.data(), page.header.size());
      file_.write(page.body.data(), page.body.size());
      column::shared_page_buffers().give(std::move(page.body));
    }
    ch.pages.clear();
    format::ColumnMetaData& md = ch.meta;
    md.data_page_offset += start;
    if (md.dictionary_page_offset) *md.dictionary_page_offset += start;
    if (ch.offset_index) {
      for (auto& loc : ch.offset_index->page_locations) loc.offset += start;
    }
    ch.file_offset = start;
  }
}

// Every chunk of `job` is written: its bloom filters follow (as arrow-rs places them, so
// that memory holds one row group's filters at most), then its metadata is kept.
void RowGroupPipeline::finish_row_group(RowGroupJob& job) {
  const auto num_columns = static_cast<size_t>(resolved_.parquet.num_columns());
  format::RowGroup& rg = job.meta;
  rg.num_rows = job.num_rows;
  if (!resolved_.sorting_columns.empty()) rg.sorting_columns = resolved_.sorting_columns;
  const size_t ordinal = written_.row_groups.size();
  if (ordinal <= INT16_MAX) rg.ordinal = static_cast<int16_t>(ordinal);  // an i16 in the format
  int64_t compressed = 0;
  auto& cis = written_.column_indexes.emplace_back();
  auto& ois = written_.offset_indexes.emplace_back();
  for (size_t c = 0; c < num_columns; ++c) {
    column::EncodedChunk& ch = job.chunks[c];
    format::ColumnChunk cc;
    cc.file_offset = ch.file_offset;
    cc.meta_data = std::move(ch.meta);
    rg.total_byte_size += cc.meta_data->total_uncompressed_size;
    compressed += cc.meta_data->total_compressed_size;
    rg.columns.push_back(std::move(cc));
    cis.push_back(std::move(ch.column_index));
    ois.push_back(std::move(ch.offset_index));
  }
  rg.total_compressed_size = compressed;
  for (size_t c = 0; c < num_columns; ++c) {
    const std::string& bloom = job.chunks[c].bloom_filter;
    if (bloom.empty()) continue;
    format::ColumnMetaData& md = *rg.columns[c].meta_data;
    md.bloom_filter_offset = file_.position();
    md.bloom_filter_length = static_cast<int32_t>(bloom.size());
    file_.write(bloom.data(), bloom.size());
  }
  written_.total_rows += job.num_rows;
  written_.row_groups.push_back(std::move(rg));
  std::lock_guard lock(jobs_mutex_);
  jobs_.pop_front();  // frees the batches and chunks
}

}  // namespace parkett::file
