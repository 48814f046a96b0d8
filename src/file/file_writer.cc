// FileWriter: buffers record batches up to a row group, hands each full row group to the
// pipeline that encodes and writes it (file/row_group_pipeline.h), then writes the page
// index and the footer, and commits the file atomically (io/atomic_file.h). Data indexes
// (WriteOptions::index_columns) collect the keys of the rows written and are written to
// their sidecar files before the file is committed.
#include <algorithm>
#include <limits>
#include <new>
#include <thread>

#include "file/data_index_builder.h"
#include "file/data_index_layout.h"
#include "file/file_metadata_impl.h"
#include "file/row_group_pipeline.h"
#include "file/writer_access.h"
#include "file/writer_options.h"
#include "format/serde.h"
#include "parkett/error.h"
#include "parkett/writer.h"
#include "table/array_bytes.h"

namespace parkett {
namespace {

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

// The directory part of a path ("" for a bare name) and its last segment.
std::pair<std::string, std::string> split_path(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return {"", path};
  return {path.substr(0, slash + 1), path.substr(slash + 1)};
}

// An index file is written as the data file is (codec, encodings, page sizes, statistics)
// but in one row group sorted by its keys, with Deephaven's `deephaven` key alone.
WriteOptions index_file_options(const WriteOptions& data, const std::vector<std::string>& columns,
                                const std::string& token) {
  WriteOptions o = data;
  o.index_columns.clear();
  o.rename.clear();
  o.key_value_metadata = {{file::kDeephavenKey, file::index_file_table_info(columns)}, {file::kIndexTokenKey, token}};
  o.row_group_rows = std::numeric_limits<int32_t>::max();
  o.row_group_bytes = std::numeric_limits<int64_t>::max() / 4;
  o.sorting_columns.clear();
  for (const std::string& c : columns) o.sorting_columns.push_back({c, false, true});
  o.columns.clear();
  for (const auto& [path, column] : data.columns) {
    const std::string top = path.substr(0, path.find('.'));
    if (std::find(columns.begin(), columns.end(), top) != columns.end()) o.columns[path] = column;
  }
  return o;
}

}  // namespace

// Hidden although FileWriter is exported: the shared library exports the public API only.
struct __attribute__((visibility("hidden"))) FileWriter::State {
  std::string path;
  Schema schema;
  WriteOptions options;
  file::ResolvedWrite resolved;
  std::unique_ptr<OutputFile> file;
  std::unique_ptr<file::RowGroupPipeline> pipeline;  // after `file` and `resolved`, which it uses
  std::vector<std::unique_ptr<file::DataIndexBuilder>> indexes;  // WriteOptions::index_columns
  file::FileWriterAccess::OpenSidecar open_sidecar;  // opens the index files beside `path`
  std::string index_token;  // in the file's footer and its index files'

  std::vector<RecordBatch> pending;
  int64_t pending_rows = 0;
  int64_t pending_bytes = 0;
  std::vector<int64_t> pending_field_bytes;  // per top-level field
  bool failed = false;
  bool closed = false;

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
    pipeline->stop();
    file->abort();
  }

  void check_usable() const {
    if (closed) throw Error(ErrorKind::InvalidArgument, "the writer is closed", {path, std::nullopt, {}, std::nullopt});
    if (failed) {
      throw Error(ErrorKind::InvalidArgument, "the writer failed earlier and wrote nothing",
                  {path, std::nullopt, {}, std::nullopt});
    }
  }

  // Slices `batch` at row group boundaries; a row group full by rows or bytes goes to the
  // pipeline.
  void add(const RecordBatch& batch) {
    int64_t done = 0;
    while (done < batch.num_rows) {
      int64_t take = std::min(batch.num_rows - done, options.row_group_rows - pending_rows);
      // A batch holding more than what is left of row_group_bytes is split where it would
      // pass it, by its average row size.
      int64_t bytes_left = 0;
      for (const auto& c : batch.columns) bytes_left += table::estimated_bytes(*c, done, batch.num_rows - done);
      const bool fills = pending_bytes + bytes_left > options.row_group_bytes;
      if (fills) {
        const double row_bytes = static_cast<double>(bytes_left) / static_cast<double>(batch.num_rows - done);
        const auto fit = static_cast<int64_t>(static_cast<double>(options.row_group_bytes - pending_bytes) / row_bytes);
        take = std::clamp<int64_t>(fit, 1, take);
      }
      RecordBatch part;
      part.schema = batch.schema;
      part.num_rows = take;
      for (const auto& c : batch.columns) part.columns.push_back(slice(c, done, take));
      pending.push_back(std::move(part));
      pending_rows += take;
      pending_field_bytes.resize(batch.columns.size());
      for (size_t f = 0; f < batch.columns.size(); ++f) {
        const int64_t bytes = table::estimated_bytes(*batch.columns[f], done, take);
        pending_field_bytes[f] += bytes;
        pending_bytes += bytes;
      }
      done += take;
      if (fills || pending_rows >= options.row_group_rows || pending_bytes >= options.row_group_bytes) flush_row_group();
    }
  }

  void flush_row_group() {
    if (pending_rows == 0) return;
    std::vector<RecordBatch> batches = std::move(pending);
    std::vector<int64_t> field_bytes = std::move(pending_field_bytes);
    const int64_t rows = pending_rows;
    pending.clear();
    pending_rows = 0;
    pending_bytes = 0;
    pending_field_bytes.clear();
    pipeline->submit(std::move(batches), rows, field_bytes);
  }

  // The last row group, the page indexes, the footer; then the file is committed.
  std::string finish() {
    flush_row_group();
    pipeline->finish();
    file::WrittenRowGroups& w = pipeline->written();
    std::vector<format::RowGroup>& row_groups = w.row_groups;
    std::string blob;
    // Page index: every column index, then every offset index (PageIndex.md).
    for (size_t g = 0; g < row_groups.size(); ++g) {
      for (size_t c = 0; c < row_groups[g].columns.size(); ++c) {
        if (!w.column_indexes[g][c]) continue;
        blob.clear();
        format::serialize(*w.column_indexes[g][c], blob);
        if (resolved.encryptor) {
          blob = resolved.encryptor->index_module(crypto::ModuleType::ColumnIndex, static_cast<int32_t>(g),
                                                  static_cast<int32_t>(c), std::move(blob));
        }
        row_groups[g].columns[c].column_index_offset = file->position();
        row_groups[g].columns[c].column_index_length = static_cast<int32_t>(blob.size());
        file->write(blob.data(), blob.size());
      }
    }
    for (size_t g = 0; g < row_groups.size(); ++g) {
      for (size_t c = 0; c < row_groups[g].columns.size(); ++c) {
        if (!w.offset_indexes[g][c]) continue;
        blob.clear();
        format::serialize(*w.offset_indexes[g][c], blob);
        if (resolved.encryptor) {
          blob = resolved.encryptor->index_module(crypto::ModuleType::OffsetIndex, static_cast<int32_t>(g),
                                                  static_cast<int32_t>(c), std::move(blob));
        }
        row_groups[g].columns[c].offset_index_offset = file->position();
        row_groups[g].columns[c].offset_index_length = static_cast<int32_t>(blob.size());
        file->write(blob.data(), blob.size());
      }
    }
    format::FileMetaData md =
        file::footer_metadata(schema, options, resolved.parquet, resolved.elements, resolved.leaf_options);
    md.num_rows = w.total_rows;
    md.row_groups = std::move(row_groups);
    // What close() returns: every column's metadata readable, encrypted or not.
    if (resolved.encryptor) resolved.encryptor->mark(md);
    std::string footer;
    format::serialize(md, footer);
    const std::string stored = resolved.encryptor ? resolved.encryptor->footer(std::move(md)) : footer;
    if (stored.size() > UINT32_MAX) throw Error(ErrorKind::InvalidArgument, "the footer exceeds 4 GiB");
    file->write(stored.data(), stored.size());
    const uint32_t len = static_cast<uint32_t>(stored.size());
    file->write(&len, 4);
    file->write(resolved.encryptor ? resolved.encryptor->magic() : "PAR1", 4);
    write_indexes();
    file->close();
    return footer;
  }

  // Checks index_columns and lists the indexes in the footer's `deephaven` key (keeping
  // what the schema's own value says of its columns).
  void plan_indexes() {
    if (options.index_columns.empty()) return;
    if (options.encryption) {
      throw Error(ErrorKind::Unsupported,
                  "data indexes (index_columns) of an encrypted file are not written: an index file would hold "
                  "the key columns' values in plaintext");
    }
    std::vector<std::string> parquet_names;
    for (int32_t child : resolved.parquet.root().children) parquet_names.push_back(resolved.parquet.node(child).name);
    std::vector<file::DataIndexEntry> entries;
    const std::string data_file = split_path(path).second;
    for (const std::vector<std::string>& columns : options.index_columns) {
      indexes.push_back(std::make_unique<file::DataIndexBuilder>(schema, parquet_names, columns));
      for (const file::DataIndexEntry& e : entries) {
        if (e.columns == columns) throw Error(ErrorKind::InvalidArgument, "index_columns names one index twice");
      }
      entries.push_back({columns, file::data_index_path(columns, data_file)});
    }
    const std::string* inherited = nullptr;
    for (const auto& [k, v] : schema.metadata) {
      if (k == file::kDeephavenKey) inherited = &v;
    }
    std::erase_if(options.key_value_metadata,
                  [](const auto& kv) { return kv.first == file::kDeephavenKey || kv.first == file::kIndexTokenKey; });
    index_token = file::new_index_token();
    options.key_value_metadata.emplace_back(file::kDeephavenKey, file::data_file_table_info(inherited, entries));
    options.key_value_metadata.emplace_back(file::kIndexTokenKey, index_token);
  }

  void write_indexes() {
    const std::string dir = split_path(path).first;
    const std::string data_file = split_path(path).second;
    for (const auto& builder : indexes) {
      const std::string index_path = dir + file::data_index_path(builder->columns(), data_file);
      const Table table = builder->finish();
      FileWriter w = FileWriter::open(open_sidecar(index_path), table.schema,
                                      index_file_options(options, builder->columns(), index_token));
      w.write(table);
      w.close();
    }
  }
};

FileWriter::FileWriter(std::unique_ptr<State> state) : state_(std::move(state)) {}
FileWriter::FileWriter(FileWriter&&) noexcept = default;
FileWriter& FileWriter::operator=(FileWriter&&) noexcept = default;
FileWriter::~FileWriter() = default;  // the OutputFile's destructor discards an unfinished file

FileWriter FileWriter::open(const std::string& path, const Schema& schema, const WriteOptions& options) {
  std::shared_ptr<FileSystem> fs = options.filesystem;
  try {
    if (!fs) fs = filesystem_for(path, options.s3);
  } catch (Error& e) {
    e.set_file(path);
    throw;
  }
  return file::FileWriterAccess::open(
      path, [&] { return fs->open_output(path); }, schema, options,
      [fs](const std::string& sidecar) {
        fs->create_directories(split_path(sidecar).first);
        return fs->open_output(sidecar);
      });
}

FileWriter file::FileWriterAccess::open(const std::string& path, const std::function<std::unique_ptr<OutputFile>()>& out,
                                        const Schema& schema, const WriteOptions& options, OpenSidecar open_sidecar) {
  auto s = std::make_unique<FileWriter::State>();
  s->path = path;
  s->schema = schema;
  s->options = options;
  s->open_sidecar = std::move(open_sidecar);
  try {
    // The options are checked before anything is created.
    s->resolved = resolve_write(schema, options);
    s->plan_indexes();
    s->file = out();
  } catch (Error& e) {
    e.set_file(path);
    throw;
  }
  return FileWriter::start(std::move(s));
}

FileWriter FileWriter::open(std::unique_ptr<OutputFile> out, const Schema& schema, const WriteOptions& options) {
  if (!out) throw Error(ErrorKind::InvalidArgument, "no output file");
  if (!options.index_columns.empty()) {
    const std::string name = out->name();
    out->abort();
    throw Error(ErrorKind::InvalidArgument,
                "data indexes (index_columns) are written beside a file opened by its path, not into an OutputFile",
                {name, std::nullopt, {}, std::nullopt});
  }
  auto s = std::make_unique<State>();
  s->path = out->name();
  s->schema = schema;
  s->options = options;
  s->file = std::move(out);
  try {
    s->resolved = file::resolve_write(schema, options);
  } catch (Error& e) {
    s->file->abort();
    e.set_file(s->path);
    throw;
  }
  return start(std::move(s));
}

FileWriter FileWriter::start(std::unique_ptr<State> s) {
  try {
    int threads = s->options.threads > 0 ? s->options.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    threads = std::min(threads, std::max(1, static_cast<int>(s->resolved.plans.size())));  // a task per field at most
    s->pipeline = std::make_unique<file::RowGroupPipeline>(s->resolved, s->options.allow_truncated_timestamps, threads, *s->file);
    s->file->write(s->resolved.encryptor ? s->resolved.encryptor->magic() : "PAR1", 4);
  } catch (Error& e) {
    s->file->abort();
    e.set_file(s->path);
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
  s.guarded([&] {
    for (const auto& index : s.indexes) index->add(batch);
    s.add(batch);
  });
}

void FileWriter::write(const Table& table) {
  for (const RecordBatch& b : table.batches) write(b);
}

int64_t FileWriter::buffered_bytes() const { return state_->pending_bytes; }

void FileWriter::flush() {
  State& s = *state_;
  s.check_usable();
  s.guarded([&] { s.flush_row_group(); });
}

FileMetadata FileWriter::close() {
  State& s = *state_;
  s.check_usable();
  std::string footer = s.guarded([&] { return s.finish(); });
  s.closed = true;
  FileMetadata md = FileMetadata::parse(std::move(footer), {}, s.path);
  if (s.resolved.encryptor && s.resolved.encryptor->encrypted_footer()) {
    FileEncryption e = md.encryption().value_or(FileEncryption{});
    e.footer_encrypted = true;
    if (!s.options.encryption->footer_key_metadata.empty()) e.footer_key_metadata = s.options.encryption->footer_key_metadata;
    detail::FileMetadataImpl::set_footer_encryption(md, std::move(e));
  }
  return md;
}

FileMetadata write_table(const Table& table, const std::string& path, const WriteOptions& options) {
  FileWriter w = FileWriter::open(path, table.schema, options);
  w.write(table);
  return w.close();
}

}  // namespace parkett
