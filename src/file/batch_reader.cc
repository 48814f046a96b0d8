// RecordBatchReader: batch_size rows of a row group at a time, decoded as they are asked
// for (FieldStream keeps each column's place between batches).

#include <algorithm>
#include <optional>

#include "expr/evaluate.h"
#include "file/field_reader.h"
#include "file/filtered_read.h"
#include "file/prefetch.h"
#include "file/read_plan.h"
#include "file/reader_access.h"
#include "table/take.h"
#include "util/task_queue.h"
#include "parkett/c_data.h"
#include "parkett/error.h"
#include "parkett/reader.h"

namespace parkett {

namespace {

// The row group a stream is reading: the streams of its fields, which keep their place in
// their column chunks from one batch to the next.
struct RowGroupStreams {
  int32_t index = 0;
  int64_t num_rows = 0;
  int64_t next_row = 0;                // the first row of the next batch
  file::RowGroupPageIndex page_index;  // with a filter
  column::RowSelection possible;       // rows the page index leaves (with a filter)
  std::vector<file::FieldStream> filter_fields;
  std::vector<std::optional<file::FieldStream>> output_fields;  // none: taken from the filter's
  std::unique_ptr<file::Prefetch> prefetched;  // its chunks, read ahead (high-latency storage)
};

// The scan's plans, the row group being read and the streams of its fields, which keep
// their place in their column chunks from one batch to the next.
struct FileScanState {
  FileReader file;
  ReadOptions options;
  std::vector<int32_t> groups;
  size_t next_group = 0;
  Schema schema;
  ScanCounts counts;
  file::ReadPlan plan;                     // without a filter
  std::optional<file::FilterScan> filter;  // with one

  std::optional<RowGroupStreams> group;
  std::optional<file::ReadAhead> ahead;  // without a filter on high-latency storage

  file::CoalesceOptions coalesce() const {
    file::CoalesceOptions c;
    c.gap = options.coalesce_gap;
    c.max_read = options.max_coalesced_read;
    return c;
  }

  // Opens the next row group a filter does not rule out; false when there is none.
  bool open_group() {
    while (next_group < groups.size()) {
      const int32_t g = groups[next_group++];
      if (g < 0 || g >= file.metadata().num_row_groups()) {
        throw Error(ErrorKind::InvalidArgument, "no row group " + std::to_string(g) + " (the file has " +
                                                    std::to_string(file.metadata().num_row_groups()) + ")",
                    ErrorContext{file.name(), {}, {}, {}});
      }
      RowGroupStreams& c = group.emplace();
      c.index = g;
      c.num_rows = file.metadata().row_group(g).num_rows();
      if (!filter) {
        for (const file::ReadField& f : plan.fields) c.output_fields.emplace_back(std::in_place, file, options, f, g, nullptr, options.stream_read_size);
        ++counts.row_groups_read;
        if (ahead) {
          // This row group's chunks (read while the last one decoded, unless it was the
          // first), and the next ones' starting to come in.
          c.prefetched = ahead->take(next_group - 1);
          counts.bytes_read += c.prefetched->bytes();
        }
        return true;
      }
      if (!file::may_match(file, *filter, options, g, counts)) {
        group.reset();
        continue;
      }
      c.possible = file::possible_rows(file, *filter, options, g, c.page_index);
      if (c.possible.empty()) {
        ++counts.row_groups_skipped;
        counts.rows_skipped += c.num_rows;
        group.reset();
        continue;
      }
      ++counts.row_groups_read;
      const file::RowGroupPageIndex* index = options.use_page_index ? &c.page_index : nullptr;
      for (const file::ReadField& f : filter->filter.fields) {
        c.filter_fields.emplace_back(file, filter->plain, f, g, index, options.stream_read_size);
      }
      for (size_t o = 0; o < filter->output.fields.size(); ++o) {
        if (filter->from_filter[o] >= 0) {
          c.output_fields.emplace_back(std::nullopt);
        } else {
          c.output_fields.emplace_back(std::in_place, file, filter->plain, filter->output.fields[o], g, index, options.stream_read_size);
        }
      }
      return true;
    }
    return false;
  }

  // Decodes the window up to `end` of several fields at once: each names the bytes its
  // leaves need, which are fetched together (coalesced), until every field has the window.
  // selections[i] (null: every row) are the rows of field i; out[i] receives its array.
  void decode_fields(const std::vector<file::FieldStream*>& fields,
                     const std::vector<const column::RowSelection*>& selections, int64_t end,
                     std::vector<file::ReadTally>& tallies, std::vector<ArrayPtr>& out) {
    const size_t n = fields.size();
    std::vector<std::vector<file::ByteRequest>> needs(n);
    std::vector<char> done(n, 0);
    out.assign(n, nullptr);
    while (true) {
      util::run_tasks(n, options.threads, [&](size_t i) {
        if (done[i]) return;
        needs[i].clear();
        if (fields[i]->decode(end, selections[i], tallies[i], needs[i], i)) {
          done[i] = 1;
          out[i] = fields[i]->take();
        }
      });
      std::vector<file::ByteRequest> all;
      for (auto& v : needs) {
        if (!done[&v - needs.data()]) all.insert(all.end(), v.begin(), v.end());
      }
      if (all.empty()) return;
      std::vector<file::FetchedBytes> fetched;
      try {
        fetched = file::fetch(FileReaderAccess::file(file), all, coalesce(), counts.bytes_read, group->prefetched.get());
      } catch (Error& e) {
        // The reads of several columns may have been one: the column is named when only one asked.
        e.set_file(file.name()).set_row_group(group->index);
        const bool one_field = std::all_of(all.begin(), all.end(), [&](const file::ByteRequest& q) { return q.stream == all[0].stream; });
        if (one_field) e.set_column(fields[all[0].stream]->name());
        throw;
      }
      for (size_t k = 0; k < all.size(); ++k) fields[all[k].stream]->supply(all[k], fetched[k]);
    }
  }

  // Rows [next_row, end) of the current row group: every field, or, with a filter, the
  // filter's fields first and the others at the rows it keeps. False when no row is kept.
  bool read_window(int64_t end, RecordBatch& out) {
    RowGroupStreams& c = *group;
    const int64_t begin = c.next_row;
    c.next_row = end;
    out.schema = schema;
    out.columns.assign(c.output_fields.size(), nullptr);
    std::vector<file::FieldStream*> fields;
    std::vector<const column::RowSelection*> selections;
    if (!filter) {
      for (auto& f : c.output_fields) fields.push_back(&*f);
      selections.assign(fields.size(), nullptr);
      std::vector<file::ReadTally> tallies(fields.size());
      decode_fields(fields, selections, end, tallies, out.columns);
      out.num_rows = end - begin;
      add(tallies);
      return out.num_rows > 0;
    }
    const bool every_row = c.possible.row_count() == c.num_rows;
    const column::RowSelection window = c.possible.intersect(column::RowSelection::of({{begin, end}}));
    RecordBatch filter_batch;
    filter_batch.schema = filter->filter.schema();
    filter_batch.num_rows = window.row_count();
    for (auto& f : c.filter_fields) fields.push_back(&f);
    selections.assign(fields.size(), every_row ? nullptr : &c.possible);
    std::vector<file::ReadTally> filter_tallies(fields.size());
    decode_fields(fields, selections, end, filter_tallies, filter_batch.columns);
    add(filter_tallies);
    column::RowSelection rows;
    if (filter_batch.num_rows > 0) {
      rows = window.compose(column::RowSelection::from_mask(expr::evaluate(filter->bound, filter_batch)));
    }
    const int64_t kept = rows.row_count();
    std::vector<int64_t> positions;
    if (kept > 0 && kept != window.row_count()) positions = window.positions_of(rows);
    const bool all_kept = kept == end - begin;
    fields.clear();
    std::vector<size_t> read_into;
    for (size_t o = 0; o < c.output_fields.size(); ++o) {
      const int from = filter->from_filter[o];
      if (from < 0) {
        fields.push_back(&*c.output_fields[o]);
        read_into.push_back(o);
      } else if (kept > 0) {
        const ArrayPtr& a = filter_batch.columns[static_cast<size_t>(from)];
        out.columns[o] = positions.empty() ? a : table::take(*a, positions);
      }
    }
    // Rows kept in short runs are read as the filter's columns were, then taken.
    const bool take = !all_kept && kept > 0 && window.better_taken(rows);
    if (take) selections.assign(fields.size(), every_row ? nullptr : &c.possible);
    else selections.assign(fields.size(), all_kept ? nullptr : &rows);
    std::vector<file::ReadTally> output_tallies(fields.size());
    std::vector<ArrayPtr> arrays;
    decode_fields(fields, selections, end, output_tallies, arrays);
    add(output_tallies);
    for (size_t k = 0; k < read_into.size(); ++k) {
      out.columns[read_into[k]] = take && !positions.empty() ? table::take(*arrays[k], positions) : std::move(arrays[k]);
    }
    counts.rows_skipped += (end - begin) - kept;
    out.num_rows = kept;
    return kept > 0;
  }

  void add(const std::vector<file::ReadTally>& tallies) {
    for (const file::ReadTally& t : tallies) {
      counts.pages_read += t.pages_read;
      counts.pages_skipped += t.pages_skipped;
    }
  }

  // A stream's types cannot change from one batch to the next: the plan gave 64-bit
  // offsets to the strings its metadata showed may pass 2 GiB; a batch whose strings passed
  // 2 GiB with no sign of it cannot be handed out.
  void check_types(const RecordBatch& batch) const {
    for (size_t i = 0; i < batch.columns.size(); ++i) {
      const Field& field = schema.fields.at(i);
      if (batch.columns[i]->type == field.type) continue;
      throw Error(ErrorKind::ResourceLimit,
                  "column '" + field.name + "' decodes to more than 2 GiB of strings in one batch, which the " +
                      field.type.to_string() + " of the stream cannot hold (its metadata gave no sign of it); "
                      "read it with a smaller batch_size, or with read_table()",
                  ErrorContext{file.name(), group ? std::optional<int32_t>(group->index) : std::nullopt, field.name, {}});
    }
  }
};

// A file's scan as a batch reader's source.
class FileBatches final : public RecordBatchReader::Source {
 public:
  FileBatches(FileReader file, const ScanOptions& options) {
    FileScanState& s = s_;
    s.options = FileReaderAccess::with_scan(file, options);
    s.file = std::move(file);
    if (s.options.batch_size < 0) {
      throw Error(ErrorKind::InvalidArgument, "batch_size must not be negative");
    }
    if (s.options.stream_read_size < 0 || s.options.coalesce_gap < 0 || s.options.max_coalesced_read <= 0) {
      throw Error(ErrorKind::InvalidArgument,
                  "stream_read_size and coalesce_gap must not be negative, max_coalesced_read must be positive");
    }
    if (FileReaderAccess::file(s.file).high_latency()) {
      // Each round trip costs more than bytes do: a row group's chunks (the pages a filter
      // needs) come in one round of concurrent requests, ranges up to a megabyte apart merged.
      s.options.stream_read_size = 0;
      s.options.coalesce_gap = std::max<int64_t>(s.options.coalesce_gap, int64_t{1} << 20);
    }
    s.groups = s.options.row_groups;
    if (s.groups.empty()) {
      for (int32_t g = 0; g < s.file.metadata().num_row_groups(); ++g) s.groups.push_back(g);
    }
    if (s.options.filter.empty()) {
      s.plan = file::make_scan_plan(s.file.metadata(), s.options, s.file.name());
      s.schema = s.plan.schema();
      if (FileReaderAccess::file(s.file).high_latency()) {
        // (A row group out of range fails in open_group; then nothing is read ahead.)
        const int32_t n = s.file.metadata().num_row_groups();
        if (std::all_of(s.groups.begin(), s.groups.end(), [n](int32_t g) { return g >= 0 && g < n; })) {
          s.ahead.emplace(s.file, s.plan.fields, s.groups, s.coalesce());
        }
      }
    } else {
      s.filter = file::plan_filter_scan(s.file, s.options);
      s.schema = s.filter->output.schema();
    }
  }

  const Schema& schema() const override { return s_.schema; }
  const ScanCounts& counts() const override { return s_.counts; }

  bool next(RecordBatch& out) override {
    FileScanState& s = s_;
    const int64_t batch_size = s.options.batch_size;
    if (pending_.num_rows > 0) return take_pending(batch_size, out);
    while (true) {
      if (!s.group && !s.open_group()) return false;
      RowGroupStreams& c = *s.group;
      if (c.next_row >= c.num_rows) {
        s.group.reset();
        continue;
      }
      // A filtered scan on high-latency storage decodes whole row groups, handed out in
      // batches: the pages its windows need then come in two rounds (the filter's columns,
      // then the others) per row group rather than per batch.
      const bool whole_groups = s.filter && FileReaderAccess::file(s.file).high_latency();
      const int64_t size = batch_size > 0 && !whole_groups ? batch_size : c.num_rows;
      // The last batch of a row group reads each chunk to its end (and checks its counts).
      const int64_t end = c.num_rows - c.next_row <= size ? INT64_MAX : c.next_row + size;
      if (!s.read_window(std::min(end, c.num_rows), out)) continue;
      s.check_types(out);
      if (whole_groups && batch_size > 0 && out.num_rows > batch_size) {
        pending_ = std::move(out);
        pending_offset_ = 0;
        return take_pending(batch_size, out);
      }
      return true;
    }
  }

 private:
  // The next batch_size rows of a decoded row group.
  bool take_pending(int64_t batch_size, RecordBatch& out) {
    const int64_t rows = std::min(batch_size, pending_.num_rows - pending_offset_);
    out.schema = pending_.schema;
    out.num_rows = rows;
    out.columns.clear();
    for (const ArrayPtr& column : pending_.columns) out.columns.push_back(slice(column, pending_offset_, rows));
    pending_offset_ += rows;
    if (pending_offset_ >= pending_.num_rows) pending_ = {};
    return true;
  }

  FileScanState s_;
  RecordBatch pending_;  // a row group decoded whole, handed out from pending_offset_ on
  int64_t pending_offset_ = 0;
};

}  // namespace

RecordBatchReader FileReader::batches() const { return RecordBatchReader(*this, FileReaderAccess::state(*this).options); }
RecordBatchReader FileReader::batches(const ScanOptions& options) const {
  return RecordBatchReader(*this, options);
}

RecordBatchReader::RecordBatchReader(std::unique_ptr<Source> source) : source_(std::move(source)) {
  if (!source_) throw Error(ErrorKind::InvalidArgument, "a batch reader needs a source");
}
RecordBatchReader::RecordBatchReader(FileReader file, const ScanOptions& options)
    : source_(std::make_unique<FileBatches>(std::move(file), options)) {}

RecordBatchReader::~RecordBatchReader() = default;
RecordBatchReader::RecordBatchReader(RecordBatchReader&&) noexcept = default;
RecordBatchReader& RecordBatchReader::operator=(RecordBatchReader&&) noexcept = default;
const Schema& RecordBatchReader::schema() const { return source_->schema(); }
const ScanCounts& RecordBatchReader::counts() const { return source_->counts(); }
bool RecordBatchReader::next(RecordBatch& out) { return source_->next(out); }

}  // namespace parkett

namespace parkett {

void export_stream(RecordBatchReader reader, ArrowArrayStream* out) {
  auto shared = std::make_shared<RecordBatchReader>(std::move(reader));
  Schema schema = shared->schema();
  export_stream(std::move(schema), [shared](RecordBatch& b) { return shared->next(b); }, out);
}

}  // namespace parkett
