// FileReader::read_table: the fields of the read plan, one task per (row group, field),
// each reading its column chunks and assembling one Arrow array; one record batch per row
// group.
#include "file/arrow_schema_hint.h"
#include "file/field_reader.h"
#include "file/filtered_read.h"
#include "file/prefetch.h"
#include "file/read_plan.h"
#include "file/reader_access.h"
#include "parkett/error.h"
#include "parkett/reader.h"
#include "util/task_queue.h"

namespace parkett {

Table FileReader::read_table() const { return read_table(FileReaderAccess::state(*this).options); }

Schema FileReader::arrow_schema() const { return arrow_schema(FileReaderAccess::state(*this).options); }

Schema FileReader::arrow_schema(const ScanOptions& scan) const {
  return file::make_read_plan(metadata(), FileReaderAccess::with_scan(*this, scan), name()).schema();
}

Table FileReader::read_table(const ScanOptions& scan) const {
  ScanCounts counts;
  return read_table(scan, counts);
}

Table FileReader::read_table(const ScanOptions& scan, ScanCounts& counts) const {
  counts = {};
  const ReadOptions options = FileReaderAccess::with_scan(*this, scan);
  if (!options.filter.empty()) {
    if (!FileReaderAccess::file(*this).high_latency()) return file::read_filtered(*this, options, &counts);
    // On high-latency storage, the batch scan: each of its rounds fetches the pages every
    // field needs next in one go (two rounds per row group), where read_filtered's tasks
    // would each wait for their own.
    ScanOptions whole = scan;
    whole.batch_size = 0;
    RecordBatchReader batches(*this, whole);
    Table table;
    table.schema = batches.schema();
    for (RecordBatch b; batches.next(b);) table.batches.push_back(std::move(b));
    counts = batches.counts();
    file::widen_large_offsets(table);
    return table;
  }
  const file::ReadPlan plan = file::make_scan_plan(metadata(), options, name());
  Table table;
  table.schema = plan.schema();
  std::vector<int32_t> groups = options.row_groups;
  if (groups.empty()) {
    for (int32_t g = 0; g < metadata().num_row_groups(); ++g) groups.push_back(g);
  }
  const size_t num_fields = plan.fields.size();
  std::vector<RecordBatch> batches(groups.size());
  for (size_t b = 0; b < groups.size(); ++b) {
    batches[b].schema = table.schema;
    batches[b].num_rows = metadata().row_group(groups[b]).num_rows();
    batches[b].columns.resize(num_fields);
  }
  // Each task writes only its own slots.
  std::vector<file::ReadTally> tallies(groups.size() * num_fields);
  if (FileReaderAccess::file(*this).high_latency()) {
    // One row group at a time, its chunks fetched in one round while those before decode.
    file::CoalesceOptions coalesce;
    coalesce.gap = options.coalesce_gap;
    coalesce.max_read = options.max_coalesced_read;
    file::ReadAhead ahead(*this, plan.fields, groups, coalesce);
    for (size_t b = 0; b < groups.size(); ++b) {
      const std::unique_ptr<file::Prefetch> current = ahead.take(b);
      counts.bytes_read += current->bytes();
      util::run_tasks(num_fields, options.threads, [&](size_t f) {
        batches[b].columns[f] =
            file::read_field(*this, options, plan.fields[f], {groups[b], nullptr, nullptr, current.get()}, tallies[b * num_fields + f]);
      });
    }
  } else {
    util::run_tasks(groups.size() * num_fields, options.threads, [&](size_t i) {
      const size_t b = i / num_fields, f = i % num_fields;
      batches[b].columns[f] = file::read_field(*this, options, plan.fields[f], {groups[b], nullptr, nullptr}, tallies[i]);
    });
  }
  counts.row_groups_read = static_cast<int64_t>(groups.size());
  for (const file::ReadTally& t : tallies) {
    counts.pages_read += t.pages_read;
    counts.bytes_read += t.bytes_read;
  }
  table.batches = std::move(batches);
  file::widen_large_offsets(table);
  return table;
}

Table read_table(const std::string& path, const ReadOptions& options) {
  return FileReader::open(path, options).read_table();
}

}  // namespace parkett
