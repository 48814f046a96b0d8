// The writer's row-group pipeline: a full row group's batches go in, one task per
// top-level field encodes it (file/field_encoder.h) on a task queue, and the encoded chunks
// are written to the file in column order, each as soon as those before it are, followed by
// the row group's bloom filters. What comes out is the footer's row groups and page indexes.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "column/chunk_writer.h"
#include "file/writer_options.h"
#include "format/parquet_types.h"
#include "parkett/filesystem.h"
#include "parkett/array.h"
#include "util/task_queue.h"

namespace parkett::file {

struct RowGroupJob;

/// What the pipeline has written: the row groups' metadata with absolute offsets, and per
/// row group and column the page indexes the footer step places after all row groups.
struct WrittenRowGroups {
  std::vector<format::RowGroup> row_groups;
  std::vector<std::vector<std::optional<format::ColumnIndex>>> column_indexes;
  std::vector<std::vector<std::optional<format::OffsetIndex>>> offset_indexes;
  int64_t total_rows = 0;
};

class RowGroupPipeline {
 public:
  /// `resolved` and `file` must outlive the pipeline. Encodes on `threads` threads (the
  /// caller and threads - 1 workers).
  RowGroupPipeline(const ResolvedWrite& resolved, bool allow_truncated_timestamps, int threads, OutputFile& file);
  /// Cancels queued work and waits for running tasks.
  ~RowGroupPipeline();
  RowGroupPipeline(const RowGroupPipeline&) = delete;
  RowGroupPipeline& operator=(const RowGroupPipeline&) = delete;

  /// Queues `batches` (`num_rows` rows) as the next row group, largest fields first by
  /// `field_bytes`, and helps encode until no task is left to start and at most one older
  /// row group is unfinished (memory holds about two). Rethrows a task's failure.
  void submit(std::vector<RecordBatch> batches, int64_t num_rows, const std::vector<int64_t>& field_bytes);
  /// Waits until every submitted row group is written. Rethrows a task's failure.
  void finish();
  /// Cancels queued encoding and waits for running tasks, so that none touches the file.
  void stop();

  /// Valid after finish().
  WrittenRowGroups& written() { return written_; }

 private:
  void run_field_task(RowGroupJob& job, size_t field);
  RowGroupJob* oldest_job();
  bool next_field_ready();
  void write_ready_chunks();
  void write_field(RowGroupJob& job, size_t field);
  void finish_row_group(RowGroupJob& job);
  void rethrow_failure();

  const ResolvedWrite& resolved_;
  const bool allow_truncated_timestamps_;
  OutputFile& file_;
  WrittenRowGroups written_;

  // Tasks borrow their working memory (column/scratch_pool.h). Row groups still being
  // encoded or written are `jobs_`, oldest first (jobs_mutex_); the task holding io_mutex_
  // writes the file.
  std::unique_ptr<std::atomic<int64_t>[]> dictionary_sizes_;  // per leaf, of its last chunk
  std::mutex jobs_mutex_, io_mutex_;
  std::deque<std::unique_ptr<RowGroupJob>> jobs_;
  std::atomic<int> tasks_in_flight_{0};
  std::atomic<bool> cancelled_{false};
  int64_t submitted_ = 0;  // row groups submitted so far
  std::exception_ptr failure_;  // the first failure of a task (jobs_mutex_)
  std::unique_ptr<util::TaskQueue> queue_;  // last: stopped first
};

}  // namespace parkett::file
