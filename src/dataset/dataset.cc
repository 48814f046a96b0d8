// Dataset::open (discovery, partitions, merged schema) and its scan: fragments in order,
// pruned by their partition values before their files are opened, each file scanned by the
// file scan engine with the part of the filter it can answer, the rest evaluated on its
// batches with the partition columns beside them.
#include <algorithm>
#include <atomic>
#include <deque>
#include <filesystem>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "dataset/conform.h"
#include "dataset/discovery.h"
#include "dataset/metadata_file.h"
#include "dataset/partitioning.h"
#include "dataset/projection.h"
#include "dataset/schema_merge.h"
#include "expr/bound.h"
#include "expr/evaluate.h"
#include "parkett/dataset.h"
#include "io/remote_file.h"
#include "io/s3_client.h"
#include "parkett/error.h"
#include "table/array_bytes.h"
#include "table/null_array.h"
#include "table/take.h"
#include "util/task_queue.h"

namespace parkett {

struct __attribute__((visibility("hidden"))) Dataset::State {
  DatasetOptions options;
  std::vector<Fragment> fragments;
  Schema file_schema;       // the files' columns, merged (without those partitions replace)
  Schema partition_schema;
  Schema schema;            // both
  std::vector<std::optional<FileReader>> readers;  // footers read at open (the others on scan)
  std::shared_ptr<const dataset::MetadataFooters> summary;  // `_metadata`: fragment f is its file f

  dataset::FieldNames file_names, partition_names;  // of file_schema and partition_schema

  bool is_partition(const std::string& name) const { return partition_names.find(name) >= 0; }

  // Whether `e`, from opening or reading a file, is a failure skip_unreadable_files leaves
  // out (not a limit on memory: that file is not what is wrong).
  bool skips(const Error& e) const {
    if (!options.skip_unreadable_files) return false;
    switch (e.kind()) {
      case ErrorKind::Io:
      case ErrorKind::Corrupt:
      case ErrorKind::Unsupported:
      case ErrorKind::Crypto:
      case ErrorKind::NotFound: return true;
      default: return false;
    }
  }
};

namespace {

using Op = Expression::Op;

void conjuncts_of(const Expression& e, std::vector<Expression>& out) {
  if (e.empty()) return;
  if (e.op() == Op::And) {
    for (const Expression& o : e.operands()) conjuncts_of(o, out);
    return;
  }
  out.push_back(e);
}

// The top-level columns `e` names.
void columns_of(const Expression& e, std::set<std::string>& out) {
  if (e.op() == Op::Column) out.insert(e.path().at(0));
  for (const Expression& o : e.operands()) columns_of(o, out);
}

Expression all_of(const std::vector<Expression>& parts) {
  Expression out;
  for (const Expression& p : parts) out = out.empty() ? p : out && p;
  return out;
}

bool contains(const Schema& schema, const std::string& name) { return schema.field_index(name) >= 0; }

// Adds what one scan skipped to what another did.
void add_counts(ScanCounts& into, const ScanCounts& c) {
  into.files_read += c.files_read;
  into.files_skipped += c.files_skipped;
  into.files_unreadable += c.files_unreadable;
  into.row_groups_read += c.row_groups_read;
  into.row_groups_skipped += c.row_groups_skipped;
  into.row_groups_skipped_by_bloom_filter += c.row_groups_skipped_by_bloom_filter;
  into.row_groups_skipped_by_dictionary += c.row_groups_skipped_by_dictionary;
  into.row_groups_skipped_by_data_index += c.row_groups_skipped_by_data_index;
  into.rows_skipped += c.rows_skipped;
  into.pages_read += c.pages_read;
  into.pages_skipped += c.pages_skipped;
  into.bytes_read += c.bytes_read;
}

// How the data file `path` opens: file_options, with decryption properties of its own
// when keys come from a KMS (its external key material lies beside it).
OpenOptions file_open_options(const DatasetOptions& options, const std::string& path) {
  OpenOptions o = options.file_options;
  if (const auto& c = options.decryption_config) {
    o.decryption = c->crypto_factory->file_decryption_properties(c->kms_connection_config, c->decryption_config,
                                                                 path, o.filesystem);
  }
  return o;
}

// Fragment f's file: the reader open() kept, or opened now.
FileReader open_fragment(const Dataset::State& s, size_t f) {
  if (s.readers[f]) return *s.readers[f];
  const std::string& path = s.fragments[f].path;
  ReadOptions o;
  static_cast<OpenOptions&>(o) = file_open_options(s.options, path);
  if (s.summary) return s.summary->open(f, o);
  return FileReader::open(path, o);
}

// The dotted path of the field of `fields` (or below them, in structs) whose
// PARQUET:field_id is `id`; empty when none is.
std::string path_of_field_id(const std::vector<Field>& fields, int32_t id, const std::string& prefix) {
  const std::string wanted = std::to_string(id);
  for (const Field& f : fields) {
    const std::string path = prefix.empty() ? f.name : prefix + "." + f.name;
    for (const auto& [k, v] : f.metadata) {
      if (k == "PARQUET:field_id" && v == wanted) return path;
    }
    if (f.type.id() == DataType::Id::Struct) {
      std::string below = path_of_field_id(f.type.children(), id, path);
      if (!below.empty()) return below;
    }
  }
  return {};
}

}  // namespace

// What every fragment of a scan shares, fixed when the scan starts: the output and work
// schemas and the filter split into its parts.
struct ScanPlan {
  std::shared_ptr<const Dataset::State> state;
  ScanOptions options;
  Schema output, work;
  std::optional<expr::Bound> partition_filter;
  std::vector<std::pair<Expression, std::set<std::string>>> on_files;  // conjuncts on file columns
  std::vector<Expression> mixed;  // conjuncts on both
  std::vector<char> partition_needed;  // per partition column: output, or read by `mixed`
  // Columns chosen by field id: the ids of the top-level ones, by the dataset's name, so
  // that each file's own field of that id is read (renamed columns).
  std::map<std::string, int32_t> ids_by_name;

  // A field as the scan returns it: strings asked as dictionaries become dictionaries.
  Field typed(Field f) const {
    const auto id = f.type.id();
    const bool text = id == DataType::Id::String || id == DataType::Id::Binary;
    if (text && !contains(state->partition_schema, f.name) &&
        std::find(options.read_dictionary.begin(), options.read_dictionary.end(), f.name) !=
            options.read_dictionary.end()) {
      f.type = DataType::dictionary(f.type);
    }
    return f;
  }

  // `one_fragment`: a scan of one fragment (Dataset::scan_fragment), whose row groups the
  // options may select.
  ScanPlan(std::shared_ptr<const Dataset::State> s_, const ScanOptions& o, bool one_fragment = false)
      : state(std::move(s_)), options(o) {
    const Dataset::State& s = *state;
    if (!options.row_groups.empty() && !one_fragment) {
      throw Error(ErrorKind::InvalidArgument, "a dataset scan reads every row group: row_groups must be empty");
    }
    if (options.read_ahead_bytes < 0) throw Error(ErrorKind::InvalidArgument, "read_ahead_bytes must not be negative");
    if (!options.column_ids.empty()) {
      if (!options.columns.empty()) {
        throw Error(ErrorKind::InvalidArgument, "columns are chosen by name or by field id, not both");
      }
      for (const int32_t id : options.column_ids) {
        const std::string path = path_of_field_id(s.schema.fields, id, "");
        if (path.empty()) throw Error(ErrorKind::NotFound, "the dataset's schema has no field of field id " + std::to_string(id));
        options.columns.push_back(path);
        if (path.find('.') == std::string::npos || contains(s.schema, path)) ids_by_name[path] = id;
      }
      options.column_ids.clear();
    }
    // The output: the named columns in dataset order, or all; a dotted name selects
    // fields of a struct column (the column holds those alone).
    std::map<std::string, std::vector<std::string>> selected;  // column -> paths below it ("": all)
    for (const std::string& c : options.columns) {
      const std::string top = contains(s.schema, c) ? c : c.substr(0, c.find('.'));
      if (!contains(s.schema, top)) throw Error(ErrorKind::InvalidArgument, "the dataset has no column '" + c + "'");
      selected[top].push_back(top == c ? std::string() : c.substr(top.size() + 1));
    }
    for (const Field& f : s.schema.fields) {
      const auto it = selected.find(f.name);
      if (!options.columns.empty() && it == selected.end()) continue;
      Field out = typed(f);
      if (it != selected.end() && std::find(it->second.begin(), it->second.end(), "") == it->second.end()) {
        if (contains(s.partition_schema, f.name)) {
          throw Error(ErrorKind::InvalidArgument, "the partition column '" + f.name + "' has no fields to select");
        }
        out.type = dataset::select_fields(f.type, it->second, f.name);
      }
      output.fields.push_back(std::move(out));
    }
    // The filter, checked against the whole dataset, then split into what the partition
    // values answer, what each file's scan answers, and the rest.
    if (!options.filter.empty()) expr::bind(options.filter, s.schema);
    std::vector<Expression> on_partitions;
    std::set<std::string> residual_columns;
    std::vector<Expression> parts;
    conjuncts_of(options.filter, parts);
    for (const Expression& c : parts) {
      std::set<std::string> names;
      columns_of(c, names);
      const auto partition = [&](const std::string& n) { return contains(s.partition_schema, n); };
      if (std::all_of(names.begin(), names.end(), partition)) {
        on_partitions.push_back(c);
      } else if (std::none_of(names.begin(), names.end(), partition)) {
        on_files.push_back({c, names});
      } else {
        mixed.push_back(c);
        residual_columns.insert(names.begin(), names.end());
      }
    }
    for (const auto& [c, names] : on_files) residual_columns.insert(names.begin(), names.end());
    if (!on_partitions.empty()) partition_filter = expr::bind(all_of(on_partitions), s.partition_schema);
    // What a batch holds before the residual filter: the output's file columns, the
    // columns a residual filter may need, then the partition columns.
    // (A struct column the residual filter reads is read whole, and narrowed after.)
    for (const Field& f : s.file_schema.fields) {
      const int at = output.field_index(f.name);
      if (at >= 0 && !residual_columns.count(f.name)) work.fields.push_back(output.fields[static_cast<size_t>(at)]);
      else if (at >= 0 || residual_columns.count(f.name)) work.fields.push_back(typed(f));
    }
    for (const Field& f : s.partition_schema.fields) {
      work.fields.push_back(f);
      partition_needed.push_back(output.field_index(f.name) >= 0 || residual_columns.count(f.name) > 0);
    }
  }

  // Whether fragment f's partition values leave the filter a chance.
  bool may_match(size_t f) const {
    if (!partition_filter) return true;
    const Dataset::State& s = *state;
    RecordBatch values;
    values.schema = s.partition_schema;
    values.num_rows = 1;
    for (size_t c = 0; c < s.partition_schema.fields.size(); ++c) {
      values.columns.push_back(
          dataset::constant_array(s.partition_schema.fields[c].type, s.fragments[f].partition_values[c], 1));
    }
    return expr::evaluate(*partition_filter, values).at(0) != 0;
  }
};

// One fragment's rows as the scan returns them: its file scanned with the filter parts it
// can answer, each batch brought to the work schema, the rest of the filter applied, the
// output's columns kept.
class FragmentReader {
 public:
  FragmentReader(const ScanPlan& plan, size_t fragment) : plan_(plan), fragment_(fragment) {
    counts_.files_read = 1;
    try {
      open();
    } catch (const Error& e) {
      if (!plan.state->skips(e)) throw;
      give_up();
    }
  }

  // The next batch with a row; false at the end.
  bool next(RecordBatch& out) {
    RecordBatch batch;
    while (true) {
      try {
        if (!read(batch)) break;
      } catch (const Error& e) {  // reading the file; what follows is the dataset's own work
        if (!plan_.state->skips(e)) throw;
        give_up();
        return false;
      }
      if (finish(batch, out)) return true;
    }
    if (batches_) add_counts(counts_, batches_->counts());
    batches_.reset();
    return false;
  }

  // What it skipped (complete once next() returned false).
  const ScanCounts& counts() const { return counts_; }

 private:
  // Opens the file and starts its scan: the columns of the work schema it has (by its own
  // spelling), and the filter's conjuncts whose columns it holds with the dataset's types.
  void open() {
    const Dataset::State& s = *plan_.state;
    FileReader file = open_fragment(s, fragment_);
    file_name_ = file.name();
    Schema file_fields = file.arrow_schema(ScanOptions{});
    // Columns chosen by field id: the file's field of that id stands under the dataset's
    // name, whatever this file calls it.
    std::map<std::string, std::string> renamed;  // the dataset's name -> the file's
    for (const auto& by_name : plan_.ids_by_name) {
      const std::string& name = by_name.first;
      const int32_t id = by_name.second;
      for (Field& f : file_fields.fields) {
        if (f.name == name || path_of_field_id({f}, id, "") != f.name) continue;
        if (std::any_of(file_fields.fields.begin(), file_fields.fields.end(),
                        [&name](const Field& o) { return o.name == name; })) {
          throw Error(ErrorKind::InvalidArgument, "file '" + file.name() + "' has the field '" + f.name + "' of field id " +
                                                      std::to_string(id) + " and another named '" + name + "'");
        }
        renamed[name] = f.name;
        f.name = name;
      }
    }
    dataset::FieldNames file_index;
    if (s.options.case_insensitive) {
      // Two columns of one name but for case: which one the dataset's is, is unknown.
      file_index = dataset::FieldNames({}, true);
      for (size_t i = 0; i < file_fields.fields.size(); ++i) {
        if (!file_index.add(file_fields.fields[i].name, i)) {
          throw Error(ErrorKind::InvalidArgument, "file '" + file.name() + "' has two columns named '" +
                                                      file_fields.fields[i].name +
                                                      "' but for case, which case-insensitive names cannot tell apart");
        }
      }
    } else {
      file_index = dataset::FieldNames(file_fields.fields, false);
    }
    // Every field this file has must read as the dataset's (the file columns a given schema
    // lacks are not read); without merging, it must have every column too.
    const dataset::Fit fit{s.options.case_insensitive, s.options.schema_merge != SchemaMerge::None ||
                                                           !s.options.schema.fields.empty()};
    for (const Field& f : file_fields.fields) {
      const int d = s.file_names.find(f.name);
      if (d < 0) {
        if (s.is_partition(f.name) || fit.subset) continue;  // the partition value wins; or not asked for
        throw Error(ErrorKind::InvalidArgument, "file '" + file.name() + "' has the field '" + f.name +
                                                    "', which the dataset's schema has not (SchemaMerge::Union reads it)");
      }
      const Field& to = s.file_schema.fields[static_cast<size_t>(d)];
      std::string where;
      if (!dataset::reads_as(f.type, to.type, fit, where)) {
        throw Error(ErrorKind::InvalidArgument, "field '" + to.name + (where.empty() ? "" : "." + where) + "' of '" +
                                                    file.name() + "' is " + f.type.to_string() +
                                                    ", which does not read as the dataset's " + to.type.to_string());
      }
    }
    if (!fit.subset) {
      for (const Field& f : s.file_schema.fields) {
        if (file_index.find(f.name) < 0) {
          throw Error(ErrorKind::InvalidArgument, "file '" + file.name() + "' lacks the column '" + f.name +
                                                      "' of the dataset (SchemaMerge::Union reads it as nulls)");
        }
      }
    }
    // The file's name of each work field ("" where it has none).
    for (const Field& f : plan_.work.fields) {
      const int at = s.is_partition(f.name) ? -1 : file_index.find(f.name);
      source_.push_back(at < 0 ? std::string() : file_fields.fields[static_cast<size_t>(at)].name);
      if (const auto r = renamed.find(source_.back()); r != renamed.end()) source_.back() = r->second;
    }
    // A conjunct goes to the file's scan when the file has each of its columns under the
    // same name and of the same type (a literal may not fit a narrower type: `x > 1e9` with
    // an int32 `x`); the others are evaluated on the batches brought to the dataset's types.
    const auto answers = [&](const std::string& n) {
      if (renamed.count(n)) return false;  // the file knows it by another name
      const int at = file_fields.field_index(n);
      return at >= 0 && file_fields.fields[static_cast<size_t>(at)].type ==
                            s.file_schema.fields[static_cast<size_t>(s.file_names.find(n))].type;
    };
    ScanOptions o = plan_.options;
    o.columns.clear();
    o.read_dictionary.clear();
    std::vector<Expression> here, residual = plan_.mixed;
    for (const auto& [c, names] : plan_.on_files) {
      (std::all_of(names.begin(), names.end(), answers) ? here : residual).push_back(c);
    }
    o.filter = all_of(here);
    for (size_t i = 0; i < plan_.work.fields.size(); ++i) {
      if (source_[i].empty()) continue;
      const Field& f = plan_.work.fields[i];
      const DataType& full = s.file_schema.fields[static_cast<size_t>(s.file_names.find(f.name))].type;
      if (f.type.id() == DataType::Id::Struct && !(f.type == full)) {
        // Some fields of a struct: those of them the file has, or none (nulls).
        const DataType& have = file_fields.fields[static_cast<size_t>(file_index.find(f.name))].type;
        const auto paths = dataset::file_paths(f.type, full, source_[i], have, s.options.case_insensitive);
        if (paths.empty()) source_[i].clear();
        o.columns.insert(o.columns.end(), paths.begin(), paths.end());
        continue;
      }
      o.columns.push_back(source_[i]);
      if (f.type.id() == DataType::Id::Dictionary) o.read_dictionary.push_back(source_[i]);
    }
    if (!residual.empty()) residual_ = expr::bind(all_of(residual), plan_.work);
    if (o.columns.empty()) {
      if (o.filter.empty()) {
        // Nothing to decode: the rows of the row groups are all that is needed.
        const FileMetadata& md = file.metadata();
        if (o.row_groups.empty()) {
          rows_left_ = md.num_rows();
          counts_.row_groups_read = md.num_row_groups();
          return;
        }
        rows_left_ = 0;
        for (const int32_t g : o.row_groups) {
          if (g < 0 || g >= md.num_row_groups()) {
            throw Error(ErrorKind::InvalidArgument, "row group " + std::to_string(g) + " is out of range (the file has " +
                                                        std::to_string(md.num_row_groups()) + ")",
                        ErrorContext{file.name(), {}, {}, {}});
          }
          rows_left_ += md.row_group(g).num_rows();
        }
        counts_.row_groups_read = static_cast<int64_t>(o.row_groups.size());
        return;
      }
      // The filter's columns are read to know which rows it keeps; not returned.
      std::set<std::string> names;
      columns_of(o.filter, names);
      o.columns.assign(names.begin(), names.end());
    }
    batches_.emplace(file.batches(o));
  }

  // The file cannot be read (and skip_unreadable_files): the rest of its rows are not.
  void give_up() {
    if (batches_) add_counts(counts_, batches_->counts());
    batches_.reset();
    rows_left_ = 0;
    counts_.files_read = 0;
    counts_.files_unreadable = 1;
  }

  bool read(RecordBatch& batch) {
    if (rows_left_ < 0) return batches_ && batches_->next(batch);
    if (rows_left_ == 0) return false;
    const int64_t size = plan_.options.batch_size > 0 ? plan_.options.batch_size : rows_left_;
    batch = {};
    batch.num_rows = std::min(size, rows_left_);
    rows_left_ -= batch.num_rows;
    return true;
  }

  // A file's batch as the work schema (missing columns null, types brought to the
  // dataset's, the partition values beside), the residual filter applied, then the
  // output's columns.
  bool finish(const RecordBatch& batch, RecordBatch& out) {
    const Dataset::State& s = *plan_.state;
    const Schema& work_schema = plan_.work;
    RecordBatch work;
    work.schema = work_schema;
    work.num_rows = batch.num_rows;
    const size_t first_partition = work_schema.fields.size() - s.partition_schema.fields.size();
    for (size_t i = 0; i < work_schema.fields.size(); ++i) {
      const Field& f = work_schema.fields[i];
      if (i >= first_partition) {
        // A partition column neither returned nor filtered on is not built (no use reads it).
        const size_t c = i - first_partition;
        work.columns.push_back(plan_.partition_needed[c] ? dataset::constant_array(
                                                               f.type, s.fragments[fragment_].partition_values[c], batch.num_rows)
                                                         : nullptr);
        continue;
      }
      const int at = source_[i].empty() ? -1 : batch.schema.field_index(source_[i]);
      work.columns.push_back(at < 0 ? table::null_array(f.type, batch.num_rows)
                                    : dataset::conform(batch.columns[static_cast<size_t>(at)], f.type,
                                                       s.options.case_insensitive, f.name, file_name_));
    }
    std::vector<int64_t> kept;
    bool all = true;
    if (residual_) {
      kept = table::selected_rows(expr::evaluate(*residual_, work));
      all = static_cast<int64_t>(kept.size()) == work.num_rows;
      counts_.rows_skipped += work.num_rows - static_cast<int64_t>(kept.size());
      if (kept.empty()) return false;
    }
    out = {};
    out.schema = plan_.output;
    out.num_rows = all ? work.num_rows : static_cast<int64_t>(kept.size());
    for (const Field& f : plan_.output.fields) {
      const auto at = static_cast<size_t>(work_schema.field_index(f.name));
      ArrayPtr a = all ? work.columns[at] : table::take(*work.columns[at], kept);
      // A struct read whole for the filter, narrowed to the fields selected.
      if (!(work_schema.fields[at].type == f.type)) a = dataset::conform(a, f.type, false, f.name, file_name_);
      out.columns.push_back(std::move(a));
    }
    return true;
  }

  const ScanPlan& plan_;
  size_t fragment_;
  std::string file_name_;
  std::vector<std::string> source_;  // the file's name of each work field, "" if none
  std::optional<RecordBatchReader> batches_;
  std::optional<expr::Bound> residual_;
  int64_t rows_left_ = -1;  // a file read for its row count alone: rows still to hand out
  ScanCounts counts_;
};

// A fragment read ahead on the shared task queue: a task decodes a few batches into
// `ready` and ends; the scan starts it again when it has taken some (no task ever waits,
// so the queue's threads are never held by a scan that is not being read).
struct ReadAhead {
  size_t fragment = 0;
  std::mutex mutex;
  std::deque<RecordBatch> ready;
  std::deque<int64_t> ready_bytes;  // of each ready batch
  int64_t ready_total = 0;          // their sum
  bool running = false, done = false, cancelled = false;
  std::exception_ptr error;
  std::optional<FragmentReader> reader;  // opened by the first task
  ScanCounts counts;
};

// A dataset's scan: fragments in order, their files opened only when their partition
// values leave the filter a chance. With several threads, the next fragments are read ahead
// while one is handed out (at most `threads` fragments in flight, and 8, each holding
// decoded batches up to its share of read_ahead_bytes). Unordered, batches are handed out
// from whichever fragment has one first.
class __attribute__((visibility("hidden"))) DatasetScan final : public RecordBatchReader::Source {
 public:
  DatasetScan(std::shared_ptr<const Dataset::State> state, const ScanOptions& options)
      : plan_(std::make_unique<ScanPlan>(std::move(state), options)) {
    const int threads = options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
    // One fragment in flight per thread, eight at most: each holds its decoded batches.
    ahead_ = threads > 1 ? static_cast<size_t>(std::min(threads, 8)) : 0;
  }

  ~DatasetScan() override {
    // Tasks still running read the plan: wait for them (they stop after their batch).
    for (auto& a : pending_) {
      std::lock_guard lock(a->mutex);
      a->cancelled = true;
    }
    util::shared_task_queue().help_until([this] {
      for (auto& a : pending_) {
        std::lock_guard lock(a->mutex);
        if (a->running) return false;
      }
      return true;
    });
  }

  const Schema& schema() const override { return plan_->output; }
  const ScanCounts& counts() const override { return counts_; }

  bool next(RecordBatch& out) override {
    if (ahead_ == 0) return next_in_order(out);
    while (true) {
      fill_window();
      if (pending_.empty()) return false;
      // In order, the first fragment; else the first that has a batch or has ended.
      const size_t window = plan_->options.ordered ? 1 : pending_.size();
      size_t at = 0;
      util::shared_task_queue().help_until([&] {
        for (at = 0; at < window; ++at) {
          ReadAhead& a = *pending_[at];
          std::lock_guard lock(a.mutex);
          if (!a.ready.empty() || a.done) return true;
        }
        return false;
      });
      ReadAhead& a = *pending_[at];
      std::unique_lock lock(a.mutex);
      if (!a.ready.empty()) {
        out = std::move(a.ready.front());
        a.ready.pop_front();
        bytes_ahead_ -= a.ready_bytes.front();
        a.ready_total -= a.ready_bytes.front();
        a.ready_bytes.pop_front();
        lock.unlock();
        for (const auto& p : pending_) start(p);  // this one, and any the byte bound held back
        return true;
      }
      if (a.error) std::rethrow_exception(a.error);
      add_counts(counts_, a.counts);
      lock.unlock();
      pending_.erase(pending_.begin() + static_cast<std::ptrdiff_t>(at));
    }
  }

 private:
  // Whether a fragment read ahead holds enough: a batch at least, and its share of
  // read_ahead_bytes, or the scan holds all of it. (A bound in bytes rather than batches
  // lets a selective filter's small batches pile up while its thread keeps decoding.)
  bool holds_enough(const ReadAhead& a) const {
    return !a.ready.empty() &&
           (a.ready_total >= plan_->options.read_ahead_bytes / static_cast<int64_t>(ahead_) ||
            bytes_ahead_.load() >= plan_->options.read_ahead_bytes);
  }

  // The next fragment the partition filter does not rule out, or false.
  bool next_fragment(size_t& f) {
    const Dataset::State& s = *plan_->state;
    while (next_fragment_ < s.fragments.size()) {
      f = next_fragment_++;
      if (plan_->may_match(f)) return true;
      ++counts_.files_skipped;
    }
    return false;
  }

  // One thread: each fragment read in turn, here.
  bool next_in_order(RecordBatch& out) {
    while (true) {
      if (!current_) {
        size_t f;
        if (!next_fragment(f)) return false;
        current_.emplace(*plan_, f);
      }
      if (current_->next(out)) return true;
      add_counts(counts_, current_->counts());
      current_.reset();
    }
  }

  void fill_window() {
    size_t f;
    while (pending_.size() < ahead_ && next_fragment(f)) {
      pending_.push_back(std::make_shared<ReadAhead>());
      pending_.back()->fragment = f;
      start(pending_.back());
    }
  }

  // Starts a task reading `a` ahead unless one runs, it is done, or it holds enough.
  void start(const std::shared_ptr<ReadAhead>& a) {
    {
      std::lock_guard lock(a->mutex);
      if (a->running || a->done || a->cancelled || holds_enough(*a)) return;
      a->running = true;
    }
    // Only the task that set `running` touches the reader. Stopping clears `running` under
    // the lock that saw there was no reason to go on: a batch taken in between would
    // otherwise find the fragment running, not restart it, and wait for it forever.
    util::shared_task_queue().push([a, this] {
      while (true) {
        {
          std::lock_guard lock(a->mutex);
          if (a->cancelled || holds_enough(*a)) {
            a->running = false;
            break;
          }
        }
        RecordBatch b;
        bool more = false;
        int64_t bytes = 0;
        std::exception_ptr error;
        try {
          if (!a->reader) a->reader.emplace(*plan_, a->fragment);
          more = a->reader->next(b);
          for (const ArrayPtr& c : b.columns) bytes += table::estimated_bytes(*c, 0, b.num_rows);
        } catch (...) {
          error = std::current_exception();
        }
        if (error || !more) {
          const ScanCounts counts = error ? ScanCounts{} : a->reader->counts();
          a->reader.reset();  // before the scan may see the fragment done and let it go
          std::lock_guard lock(a->mutex);
          a->error = error;
          a->counts = counts;
          a->done = true;
          a->running = false;
          break;
        }
        std::lock_guard lock(a->mutex);
        a->ready.push_back(std::move(b));
        a->ready_bytes.push_back(bytes);
        a->ready_total += bytes;
        bytes_ahead_ += bytes;
      }
      util::shared_task_queue().notify();
    });
  }

  std::unique_ptr<ScanPlan> plan_;  // fixed: read by the tasks reading ahead
  size_t ahead_ = 0;
  std::atomic<int64_t> bytes_ahead_{0};  // of the batches read ahead, not yet handed out
  ScanCounts counts_;
  size_t next_fragment_ = 0;
  std::optional<FragmentReader> current_;           // one thread
  std::deque<std::shared_ptr<ReadAhead>> pending_;  // several: in fragment order
};

namespace {

// The dataset of `files` below options.base_path; their footers (and schema) from
// `_metadata` when `summary` is given (its files are `files`), else read from the files.
// `common_schema` (from `_common_metadata`) stands for the first file's schema.
std::shared_ptr<Dataset::State> open_files(const std::vector<std::string>& files, const DatasetOptions& options,
                                           std::shared_ptr<const dataset::MetadataFooters> summary,
                                           const std::optional<Schema>& common_schema = std::nullopt) {
  if (const auto& c = options.decryption_config) {
    if (!c->crypto_factory) throw Error(ErrorKind::InvalidArgument, "decryption_config has no crypto_factory");
    if (options.file_options.decryption) {
      throw Error(ErrorKind::InvalidArgument, "give file_options.decryption or decryption_config, not both");
    }
  }
  auto s = std::make_shared<Dataset::State>();
  s->options = options;
  std::string base = options.base_path;
  if (base.empty()) base = dataset::listed(files).base;
  std::vector<std::vector<std::string>> segments;
  for (const std::string& f : files) {
    const std::string prefix = base.empty() || base.back() == '/' ? base : base + "/";
    if (!base.empty() && f.compare(0, prefix.size(), prefix) != 0) {
      throw Error(ErrorKind::InvalidArgument, "file '" + f + "' is not below the base path '" + base + "'");
    }
    segments.push_back(dataset::segments_below(base, f));
  }
  // A given schema's field named as a partition column types it.
  Partitioning partitioning = options.partitioning;
  for (const Field& f : options.schema.fields) {
    const auto given = std::find_if(partitioning.types.begin(), partitioning.types.end(),
                                    [&](const Field& t) { return t.name == f.name; });
    if (given == partitioning.types.end()) partitioning.types.push_back(f);
  }
  dataset::PartitionValues partitions = dataset::partition_files(segments, files, partitioning);
  s->partition_schema = partitions.schema;
  for (size_t f = 0; f < files.size(); ++f) s->fragments.push_back({files[f], std::move(partitions.values[f])});
  s->readers.resize(files.size());
  Schema merged;
  if (summary) {
    merged = summary->schema();
    s->summary = std::move(summary);
  }
  if (!options.schema.fields.empty()) {
    merged = options.schema;
  } else if (common_schema && !s->summary) {
    merged = *common_schema;
  } else if (!s->summary) {
    // Footers: every file's to merge schemas; the first alone otherwise (the others are
    // checked against it when a scan opens them). Unreadable ones may be left out.
    std::vector<char> unreadable(files.size(), 0);
    const auto read_footers = [&](size_t begin, size_t end) {
      util::run_tasks(end - begin, options.threads, [&](size_t i) {
        try {
          s->readers[begin + i] = open_fragment(*s, begin + i);
        } catch (const Error& e) {
          if (!s->skips(e)) throw;
          unreadable[begin + i] = 1;
        }
      });
    };
    if (options.schema_merge == SchemaMerge::Union) {
      read_footers(0, files.size());
    } else {
      for (size_t f = 0; f < files.size(); ++f) {
        read_footers(f, f + 1);
        if (s->readers[f]) break;
      }
    }
    std::vector<Schema> schemas;
    std::vector<std::string> paths;
    std::vector<Fragment> kept;
    std::vector<std::optional<FileReader>> readers;
    for (size_t f = 0; f < files.size(); ++f) {
      if (unreadable[f]) continue;
      if (s->readers[f]) {
        schemas.push_back(s->readers[f]->arrow_schema(ScanOptions{}));
        paths.push_back(files[f]);
      }
      kept.push_back(std::move(s->fragments[f]));
      readers.push_back(std::move(s->readers[f]));
    }
    s->fragments = std::move(kept);
    s->readers = std::move(readers);
    merged = dataset::merge_schemas(schemas, paths, options.schema_merge, options.case_insensitive);
  }
  // A column that is also a partition key reads the partition's value (as DuckDB does).
  s->partition_names = dataset::FieldNames(s->partition_schema.fields, options.case_insensitive);
  for (const Field& f : merged.fields) {
    if (!s->is_partition(f.name)) s->file_schema.fields.push_back(f);
  }
  s->file_names = dataset::FieldNames(s->file_schema.fields, options.case_insensitive);
  s->schema = s->file_schema;
  for (const Field& f : s->partition_schema.fields) s->schema.fields.push_back(f);
  return s;
}

}  // namespace

namespace {

// Options whose files all go through one filesystem: the one given, or, for s3:// and
// http(s):// paths, one client (connections and retry budget) shared by every file; none
// for local disk.
DatasetOptions with_store(const DatasetOptions& options, const std::string& path) {
  DatasetOptions o = options;
  if (!o.file_options.filesystem && io::is_remote_url(path)) o.file_options.filesystem = filesystem_for(path, o.file_options.s3);
  return o;
}

}  // namespace

Dataset Dataset::open(const std::string& source, const DatasetOptions& given) {
  // A URL names one file ('?' starts its query, not a glob); servers list nothing.
  if (io::is_http_url(source)) return open(std::vector<std::string>{source}, given);
  const DatasetOptions options = with_store(given, source);
  const FileSystem* store = options.file_options.filesystem.get();
  auto discover = [&] {
    return store ? dataset::discover(*store, source, options.extensions)
                 : dataset::discover(source, options.extensions, options.threads);
  };
  Dataset d;
  // A directory with `_metadata`: its files and footers come from it, and (MetadataFile::Use)
  // the directory is not even listed.
  std::string root = source;
  while (root.size() > 1 && root.back() == '/') root.pop_back();
  std::error_code ec;
  const bool has_summary =
      options.metadata_file != MetadataFile::Ignore && source.find_first_of("*?") == std::string::npos &&
      (store ? store->kind(root + "/_metadata") == FileSystem::Kind::File
             : std::filesystem::is_directory(root, ec) && std::filesystem::is_regular_file(root + "/_metadata", ec));
  if (has_summary) {
    DatasetOptions o = options;
    if (o.base_path.empty()) o.base_path = root;
    try {
      auto summary = std::make_shared<const dataset::MetadataFooters>(root + "/_metadata", root, options.file_options);
      if (options.metadata_file == MetadataFile::UseIfValid) {
        summary->check_matches(discover().files, [&](const std::string& f) { return file_open_options(options, f); });
      }
      d.state_ = open_files(summary->files(), o, summary);
      return d;
    } catch (const Error& e) {
      // A `_metadata` that does not match the files: the files' own footers, if asked.
      if (options.metadata_file != MetadataFile::UseIfValid || e.kind() != ErrorKind::Corrupt) throw;
    }
  }
  dataset::Discovered found = discover();
  if (!options.base_path.empty()) found.base = options.base_path;
  DatasetOptions o = options;
  o.base_path = found.base;
  // `_common_metadata` gives the schema in place of the first file's (Spark reads it first
  // without mergeSchema; pyarrow's ParquetDataset too): no data file is opened for it.
  std::optional<Schema> common_schema;
  if (found.common_metadata_file && options.metadata_file != MetadataFile::Ignore &&
      options.schema_merge == SchemaMerge::None && options.schema.fields.empty() &&
      source.find_first_of("*?") == std::string::npos) {
    try {
      ReadOptions read;
      static_cast<OpenOptions&>(read) = options.file_options;
      common_schema = FileReader::open(*found.common_metadata_file, read).arrow_schema(ScanOptions{});
    } catch (const Error& e) {
      if (options.metadata_file != MetadataFile::UseIfValid || e.kind() != ErrorKind::Corrupt) throw;
    }
  }
  d.state_ = open_files(found.files, o, nullptr, common_schema);
  return d;
}

Dataset Dataset::open(const std::vector<std::string>& files, const DatasetOptions& options) {
  Dataset d;
  d.state_ = open_files(files, files.empty() ? options : with_store(options, files.front()), nullptr);
  return d;
}

const Schema& Dataset::schema() const { return state_->schema; }
const Schema& Dataset::partition_schema() const { return state_->partition_schema; }
const std::vector<Fragment>& Dataset::fragments() const { return state_->fragments; }

std::vector<int64_t> Dataset::fragment_rows() const {
  std::vector<int64_t> out;
  for (size_t f = 0; f < state_->fragments.size(); ++f) {
    const auto& summary = state_->summary;
    out.push_back(summary ? summary->num_rows(f) : open_fragment(*state_, f).metadata().num_rows());
  }
  return out;
}

RecordBatchReader Dataset::scan(const ScanOptions& options) const {
  return RecordBatchReader(std::make_unique<DatasetScan>(state_, options));
}

namespace {

// One fragment's scan (Dataset::scan_fragment): nothing when its partition values rule the
// filter out.
class __attribute__((visibility("hidden"))) FragmentScan final : public RecordBatchReader::Source {
 public:
  FragmentScan(std::shared_ptr<const Dataset::State> state, size_t fragment, const ScanOptions& options)
      : plan_(std::move(state), options, true) {
    if (plan_.may_match(fragment)) {
      reader_.emplace(plan_, fragment);
    } else {
      counts_.files_skipped = 1;
    }
  }
  const Schema& schema() const override { return plan_.output; }
  bool next(RecordBatch& out) override {
    if (!reader_) return false;
    if (reader_->next(out)) return true;
    counts_ = reader_->counts();
    reader_.reset();
    return false;
  }
  const ScanCounts& counts() const override { return reader_ ? reader_->counts() : counts_; }

 private:
  ScanPlan plan_;
  std::optional<FragmentReader> reader_;  // refers to plan_
  ScanCounts counts_;
};

}  // namespace

std::vector<size_t> Dataset::fragments_matching(const Expression& filter) const {
  ScanOptions o;
  o.filter = filter;
  const ScanPlan plan(state_, o);
  std::vector<size_t> out;
  for (size_t f = 0; f < state_->fragments.size(); ++f) {
    if (plan.may_match(f)) out.push_back(f);
  }
  return out;
}

RecordBatchReader Dataset::scan_fragment(size_t fragment, const ScanOptions& options) const {
  if (fragment >= state_->fragments.size()) {
    throw Error(ErrorKind::InvalidArgument, "fragment " + std::to_string(fragment) + " is out of range (the dataset has " +
                                                std::to_string(state_->fragments.size()) + ")");
  }
  return RecordBatchReader(std::make_unique<FragmentScan>(state_, fragment, options));
}

Table Dataset::read_table(const ScanOptions& options) const {
  RecordBatchReader reader = scan(options);
  Table out;
  out.schema = reader.schema();
  RecordBatch batch;
  while (reader.next(batch)) out.batches.push_back(std::move(batch));
  return out;
}

}  // namespace parkett
