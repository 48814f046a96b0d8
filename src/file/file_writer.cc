// FileWriter: buffers record batches up to a row group, shreds and encodes each leaf's
// chunk on worker threads (nested/, column/), writes the chunks in order, then the page
// index and the footer, and commits the file atomically (io/atomic_file.h).
#include <algorithm>
#include <atomic>
#include <cstring>
#include <deque>
#include <exception>
#include <mutex>
#include <new>
#include <thread>

#include "codec/codec.h"
#include "file/field_encoder.h"
#include "file/writer_options.h"
#include "column/chunk_writer.h"
#include "column/value_statistics.h"
#include "format/serde.h"
#include "io/atomic_file.h"
#include "parkett/bloom_filter.h"
#include "parkett/error.h"
#include "parkett/version.h"
#include "parkett/writer.h"
#include "schema/arrow_ipc.h"
#include "schema/field_plan.h"
#include "schema/from_thrift.h"
#include "schema/to_parquet.h"
#include "util/task_queue.h"

namespace parkett {
namespace {

// About the bytes rows [start, start + length) of `a` hold (what a row group's size limit
// counts): values and offsets of that range, children followed through list offsets.
int64_t estimated_bytes(const ArrayData& a, int64_t start, int64_t length) {
  using Id = DataType::Id;
  const int64_t at = a.offset + start;
  int64_t bytes = (length + 7) / 8;  // validity
  switch (a.type.id()) {
    case Id::Null: return 0;
    case Id::Boolean: return bytes * 2;
    case Id::String:
    case Id::Binary: {
      const int32_t* o = a.buffers.at(1)->as<int32_t>();
      return bytes + 4 * length + (o[at + length] - o[at]);
    }
    case Id::LargeString:
    case Id::LargeBinary: {
      const int64_t* o = a.buffers.at(1)->as<int64_t>();
      return bytes + 4 * length + (o[at + length] - o[at]);
    }
    case Id::List:
    case Id::Map:
    case Id::LargeList: {
      int64_t begin, end;
      if (a.type.id() == Id::LargeList) {
        begin = a.buffers.at(1)->as<int64_t>()[at];
        end = a.buffers.at(1)->as<int64_t>()[at + length];
      } else {
        begin = a.buffers.at(1)->as<int32_t>()[at];
        end = a.buffers.at(1)->as<int32_t>()[at + length];
      }
      return bytes + 4 * length + estimated_bytes(*a.children.at(0), begin, end - begin);
    }
    case Id::Struct:
      for (const auto& c : a.children) bytes += estimated_bytes(*c, at, length);
      return bytes;
    case Id::Dictionary: return bytes + 4 * length;
    default: return bytes + a.type.value_width() * length;
  }
}

// The first field where two schemas differ, as a message; empty when they match.
std::string schema_difference(const Schema& expected, const Schema& got) {
  for (size_t i = 0; i < std::max(expected.fields.size(), got.fields.size()); ++i) {
    if (i >= got.fields.size()) return "the batch lacks field '" + expected.fields[i].name + "'";
    if (i >= expected.fields.size()) return "the batch has an extra field '" + got.fields[i].name + "'";
    const Field& e = expected.fields[i];
    const Field& g = got.fields[i];
    if (e.name != g.name || !(e.type == g.type) || e.nullable != g.nullable) {
      return "field " + std::to_string(i) + " is '" + g.to_string() + "' in the batch, '" + e.to_string() +
             "' in the writer's schema";
    }
  }
  return {};
}

}  // namespace

// One row group on its way to the file: its batches, and per top-level field the chunks
// of its leaves once encoded. Fields are encoded as tasks in any order and written in
// order by whichever task finds the next one ready.
struct RowGroupJob {
  std::vector<RecordBatch> batches;
  int64_t num_rows = 0;
  std::vector<column::EncodedChunk> chunks;          // per leaf
  std::unique_ptr<std::atomic<bool>[]> encoded;      // per field
  std::atomic<size_t> fields_written{0};             // changed by the writing task only
  format::RowGroup meta;
};

// Hidden although FileWriter is exported: the shared library exports the public API only.
struct __attribute__((visibility("hidden"))) FileWriter::State {
  std::string path;
  Schema schema;
  WriteOptions options;
  std::vector<format::SchemaElement> elements;
  ParquetSchema parquet;
  std::vector<schema::FieldPlan> plans;         // per top-level field
  std::vector<column::ChunkOptions> leaf_options;
  std::vector<format::SortingColumn> sorting_columns;
  int threads = 1;
  std::unique_ptr<io::AtomicFile> file;

  std::vector<RecordBatch> pending;
  int64_t pending_rows = 0;
  int64_t pending_bytes = 0;
  std::vector<int64_t> pending_field_bytes;  // per top-level field
  int64_t total_rows = 0;
  std::vector<format::RowGroup> row_groups;
  // Page indexes per row group and column, offsets already absolute.
  std::vector<std::vector<std::optional<format::ColumnIndex>>> column_indexes;
  std::vector<std::vector<std::optional<format::OffsetIndex>>> offset_indexes;
  bool failed = false;
  bool closed = false;

  // Encoding runs on `queue` (threads - 1 workers and the caller); `scratch` is each
  // thread's working memory. Row groups still being encoded or written are `jobs`, oldest
  // first (jobs_mutex); the task holding io_mutex writes the file.
  std::vector<column::ChunkScratch> scratch;
  column::PageBufferPool page_buffers;
  std::unique_ptr<std::atomic<int64_t>[]> dictionary_sizes;  // per leaf, of its last chunk
  std::mutex jobs_mutex, io_mutex;
  std::deque<std::unique_ptr<RowGroupJob>> jobs;
  std::atomic<int> tasks_in_flight{0};
  std::atomic<bool> cancelled{false};
  std::exception_ptr failure;  // the first failure of a task (jobs_mutex)
  std::unique_ptr<util::TaskQueue> queue;  // last: stopped first

  ~State() { stop_tasks(); }

  // Runs `step`; if it throws, the writer is failed and its temporary file removed.
  template <class F>
  auto guarded(F&& step) {
    try {
      return step();
    } catch (Error& e) {
      fail();
      e.set_file(path);
      throw;
    } catch (const std::bad_alloc&) {
      fail();
      throw Error(ErrorKind::ResourceLimit, "out of memory encoding a row group", ErrorContext{path, {}, {}, {}});
    } catch (...) {
      fail();
      throw;
    }
  }

  void fail() {
    failed = true;
    stop_tasks();
    file->abandon();
  }

  // Cancels queued encoding and waits for running tasks, so that none touches the file.
  void stop_tasks() {
    cancelled = true;
    if (queue) queue->help_until([&] { return tasks_in_flight == 0; });
  }

  // Rethrows a task's failure on the caller's thread.
  void check_tasks() {
    std::exception_ptr f;
    {
      std::lock_guard lock(jobs_mutex);
      f = failure;
    }
    if (f) std::rethrow_exception(f);
  }

  void check_usable() const {
    if (closed) throw Error(ErrorKind::InvalidArgument, "the writer is closed", {path, std::nullopt, {}, std::nullopt});
    if (failed) {
      throw Error(ErrorKind::InvalidArgument, "the writer failed earlier and wrote nothing",
                  {path, std::nullopt, {}, std::nullopt});
    }
  }

  void add(const RecordBatch& batch) {
    int64_t done = 0;
    while (done < batch.num_rows) {
      const int64_t take = std::min(batch.num_rows - done, options.row_group_rows - pending_rows);
      RecordBatch part;
      part.schema = batch.schema;
      part.num_rows = take;
      for (const auto& c : batch.columns) part.columns.push_back(slice(c, done, take));
      pending.push_back(std::move(part));
      pending_rows += take;
      pending_field_bytes.resize(batch.columns.size());
      for (size_t f = 0; f < batch.columns.size(); ++f) {
        const int64_t bytes = estimated_bytes(*batch.columns[f], done, take);
        pending_field_bytes[f] += bytes;
        pending_bytes += bytes;
      }
      done += take;
      if (pending_rows >= options.row_group_rows || pending_bytes >= options.row_group_bytes) flush_row_group();
    }
  }

  // Queues the pending rows as a row group and helps encode until no task is left to
  // start and at most one older row group is unfinished (memory holds about two).
  void flush_row_group() {
    if (pending_rows == 0) return;
    auto job = std::make_unique<RowGroupJob>();
    job->batches = std::move(pending);
    job->num_rows = pending_rows;
    job->chunks.resize(static_cast<size_t>(parquet.num_columns()));
    job->encoded = std::make_unique<std::atomic<bool>[]>(plans.size());
    RowGroupJob* j = job.get();
    {
      std::lock_guard lock(jobs_mutex);
      jobs.push_back(std::move(job));
    }
    // Largest fields first, so that the last task to finish is a small one; they are still
    // written in order, each as soon as those before it are.
    std::vector<size_t> order(plans.size());
    for (size_t f = 0; f < order.size(); ++f) order[f] = f;
    pending_field_bytes.resize(plans.size());
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return pending_field_bytes[a] > pending_field_bytes[b]; });
    pending.clear();
    pending_rows = 0;
    pending_bytes = 0;
    pending_field_bytes.assign(plans.size(), 0);
    tasks_in_flight += static_cast<int>(plans.size());
    for (size_t f : order) queue->push([this, j, f] { run_field_task(*j, f); });
    queue->help_until([&] {
      std::lock_guard lock(jobs_mutex);
      return jobs.size() <= 1 || failure != nullptr;
    });
    check_tasks();
  }

  // Waits for every queued row group to be written.
  void wait_for_row_groups() {
    queue->help_until([&] { return tasks_in_flight == 0; });
    check_tasks();
  }

  void run_field_task(RowGroupJob& job, size_t f) {
    try {
      if (!cancelled) {
        encode_field(job, f);
        job.encoded[f].store(true, std::memory_order_release);
        write_ready_chunks();
      }
    } catch (...) {
      cancelled = true;
      std::lock_guard lock(jobs_mutex);
      if (!failure) failure = std::current_exception();
    }
    // Not `job` from here on: another task may have written it and let it go. No task is
    // running once this reaches 0.
    --tasks_in_flight;
  }

  // Shreds the field's batches and encodes each of its leaves (file/field_encoder.h).
  void encode_field(RowGroupJob& job, size_t f) {
    const file::FieldEncoder encoder{parquet, leaf_options, options.allow_truncated_timestamps, page_buffers,
                                     dictionary_sizes.get()};
    encoder.encode(plans[f], f, job.batches, scratch[queue->worker_index()], job.chunks);
  }

  // The oldest unfinished row group, or null.
  RowGroupJob* oldest_job() {
    std::lock_guard lock(jobs_mutex);
    return jobs.empty() ? nullptr : jobs.front().get();
  }

  // Under jobs_mutex: a task without io_mutex asks too, while the writer may let the job go.
  bool next_field_ready() {
    std::lock_guard lock(jobs_mutex);
    if (jobs.empty()) return false;
    const RowGroupJob& job = *jobs.front();
    const size_t f = job.fields_written;
    return f < plans.size() && job.encoded[f].load(std::memory_order_acquire);
  }

  // Writes every encoded field that is next in file order. One task writes at a time; a
  // task that finds the writer busy leaves its field to it, and the writer looks again
  // after letting go, so no finished field is left unwritten.
  void write_ready_chunks() {
    while (true) {
      std::unique_lock io(io_mutex, std::try_to_lock);
      if (!io.owns_lock()) return;
      while (!cancelled && next_field_ready()) {
        RowGroupJob& job = *oldest_job();
        write_field(job, job.fields_written++);
        if (job.fields_written == plans.size()) finish_row_group(job);
      }
      io.unlock();
      if (cancelled || !next_field_ready()) return;
    }
  }

  void write_field(RowGroupJob& job, size_t f) {
    if (f == 0) job.meta.file_offset = file->position();
    for (int32_t c : plans[f].leaves) {
      column::EncodedChunk& ch = job.chunks[static_cast<size_t>(c)];
      const int64_t start = file->position();
      for (column::EncodedPage& page : ch.pages) {
        file->write(page.header.data(), page.header.size());
        file->write(page.body.data(), page.body.size());
        page_buffers.give(std::move(page.body));
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
  void finish_row_group(RowGroupJob& job) {
    const auto num_columns = static_cast<size_t>(parquet.num_columns());
    format::RowGroup& rg = job.meta;
    rg.num_rows = job.num_rows;
    if (!sorting_columns.empty()) rg.sorting_columns = sorting_columns;
    if (row_groups.size() <= INT16_MAX) rg.ordinal = static_cast<int16_t>(row_groups.size());  // an i16 in the format
    int64_t compressed = 0;
    auto& cis = column_indexes.emplace_back();
    auto& ois = offset_indexes.emplace_back();
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
      md.bloom_filter_offset = file->position();
      md.bloom_filter_length = static_cast<int32_t>(bloom.size());
      file->write(bloom.data(), bloom.size());
    }
    total_rows += job.num_rows;
    row_groups.push_back(std::move(rg));
    std::lock_guard lock(jobs_mutex);
    jobs.pop_front();  // frees the batches and chunks
  }

  std::string finish() {
    flush_row_group();
    wait_for_row_groups();
    std::string blob;
    // Page index: every column index, then every offset index (PageIndex.md).
    for (size_t g = 0; g < row_groups.size(); ++g) {
      for (size_t c = 0; c < row_groups[g].columns.size(); ++c) {
        if (!column_indexes[g][c]) continue;
        blob.clear();
        format::serialize(*column_indexes[g][c], blob);
        row_groups[g].columns[c].column_index_offset = file->position();
        row_groups[g].columns[c].column_index_length = static_cast<int32_t>(blob.size());
        file->write(blob.data(), blob.size());
      }
    }
    for (size_t g = 0; g < row_groups.size(); ++g) {
      for (size_t c = 0; c < row_groups[g].columns.size(); ++c) {
        if (!offset_indexes[g][c]) continue;
        blob.clear();
        format::serialize(*offset_indexes[g][c], blob);
        row_groups[g].columns[c].offset_index_offset = file->position();
        row_groups[g].columns[c].offset_index_length = static_cast<int32_t>(blob.size());
        file->write(blob.data(), blob.size());
      }
    }
    format::FileMetaData md = file::footer_metadata(schema, options, parquet, elements, leaf_options);
    md.num_rows = total_rows;
    md.row_groups = std::move(row_groups);
    std::string footer;
    format::serialize(md, footer);
    file->write(footer.data(), footer.size());
    const uint32_t len = static_cast<uint32_t>(footer.size());
    file->write(&len, 4);
    file->write("PAR1", 4);
    file->commit();
    return footer;
  }
};

FileWriter::FileWriter(std::unique_ptr<State> state) : state_(std::move(state)) {}
FileWriter::FileWriter(FileWriter&&) noexcept = default;
FileWriter& FileWriter::operator=(FileWriter&&) noexcept = default;
FileWriter::~FileWriter() = default;  // AtomicFile's destructor removes an unfinished file

FileWriter FileWriter::open(const std::string& path, const Schema& schema, const WriteOptions& options) {
  auto s = std::make_unique<State>();
  s->path = path;
  s->schema = schema;
  s->options = options;
  try {
    const WriteOptions& o = options;
    file::ResolvedWrite resolved = file::resolve_write(schema, o);
    s->elements = std::move(resolved.elements);
    s->parquet = std::move(resolved.parquet);
    s->plans = std::move(resolved.plans);
    s->leaf_options = std::move(resolved.leaf_options);
    s->sorting_columns = std::move(resolved.sorting_columns);
    s->threads = o.threads > 0 ? o.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    s->threads = std::min(s->threads, std::max(1, static_cast<int>(s->plans.size())));  // a task per field at most
    s->scratch.resize(static_cast<size_t>(s->threads));
    s->dictionary_sizes = std::make_unique<std::atomic<int64_t>[]>(static_cast<size_t>(s->parquet.num_columns()));
    s->queue = std::make_unique<util::TaskQueue>(s->threads - 1);
    s->file = std::make_unique<io::AtomicFile>(path);
    s->file->write("PAR1", 4);
  } catch (Error& e) {
    e.set_file(path);
    throw;
  }
  return FileWriter(std::move(s));
}

void FileWriter::write(const RecordBatch& batch) {
  State& s = *state_;
  s.check_usable();
  const std::string diff = schema_difference(s.schema, batch.schema);
  if (!diff.empty()) throw Error(ErrorKind::InvalidArgument, "batch rejected: " + diff, {s.path, std::nullopt, {}, std::nullopt});
  if (batch.columns.size() != s.schema.fields.size()) {
    throw Error(ErrorKind::InvalidArgument, "batch rejected: it has " + std::to_string(batch.columns.size()) +
                                                " columns for " + std::to_string(s.schema.fields.size()) + " fields",
                {s.path, std::nullopt, {}, std::nullopt});
  }
  for (size_t i = 0; i < batch.columns.size(); ++i) {
    if (!batch.columns[i] || batch.columns[i]->length != batch.num_rows) {
      throw Error(ErrorKind::InvalidArgument, "batch rejected: column '" + s.schema.fields[i].name + "' does not have " +
                                                  std::to_string(batch.num_rows) + " rows",
                  {s.path, std::nullopt, {}, std::nullopt});
    }
  }
  s.guarded([&] { s.add(batch); });
}

void FileWriter::write(const Table& table) {
  for (const RecordBatch& b : table.batches) write(b);
}

FileMetadata FileWriter::close() {
  State& s = *state_;
  s.check_usable();
  std::string footer = s.guarded([&] { return s.finish(); });
  s.closed = true;
  return FileMetadata::parse(std::move(footer), {}, s.path);
}

FileMetadata write_table(const Table& table, const std::string& path, const WriteOptions& options) {
  FileWriter w = FileWriter::open(path, table.schema, options);
  w.write(table);
  return w.close();
}

}  // namespace parkett
