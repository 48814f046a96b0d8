// Dataset::open (discovery, partitions, merged schema) and its scan: fragments in order,
// pruned by their partition values before their files are opened, each file scanned by the
// file scan engine with the part of the filter it can answer, the rest evaluated on its
// batches with the partition columns beside them.
#include <algorithm>
#include <optional>
#include <set>

#include "dataset/discovery.h"
#include "dataset/partitioning.h"
#include "dataset/schema_merge.h"
#include "expr/bound.h"
#include "expr/evaluate.h"
#include "parkett/dataset.h"
#include "parkett/error.h"
#include "table/null_array.h"
#include "table/take.h"

namespace parkett {

struct __attribute__((visibility("hidden"))) Dataset::State {
  DatasetOptions options;
  std::vector<Fragment> fragments;
  Schema file_schema;       // the files' columns, merged (without those partitions replace)
  Schema partition_schema;
  Schema schema;            // both
  std::vector<std::optional<FileReader>> readers;  // footers read at open (the others on scan)
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

}  // namespace

// A dataset's scan: one file at a time, in order.
class __attribute__((visibility("hidden"))) DatasetScan final : public RecordBatchReader::Source {
 public:
  static FileReader open_file(const Dataset::State& s, size_t f) {
    if (s.readers[f]) return *s.readers[f];
    ReadOptions o;
    static_cast<OpenOptions&>(o) = s.options.file_options;
    return FileReader::open(s.fragments[f].path, o);
  }

  DatasetScan(std::shared_ptr<const Dataset::State> state, const ScanOptions& options)
      : state_(std::move(state)), options_(options) {
    const Dataset::State& s = *state_;
    if (!options.row_groups.empty()) {
      throw Error(ErrorKind::InvalidArgument, "a dataset scan reads every row group: row_groups must be empty");
    }
    // The output: the named columns (top-level) in dataset order, or all.
    for (const std::string& c : options.columns) {
      if (!contains(s.schema, c)) {
        throw Error(ErrorKind::InvalidArgument,
                    "the dataset has no column '" + c + "'" +
                        (c.find('.') != std::string::npos ? " (a dataset scan selects top-level columns)" : ""));
      }
    }
    for (const Field& f : s.schema.fields) {
      if (options.columns.empty() ||
          std::find(options.columns.begin(), options.columns.end(), f.name) != options.columns.end()) {
        output_.fields.push_back(typed(f));
      }
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
      const bool partitions_only = std::all_of(names.begin(), names.end(), [&](const std::string& n) {
        return contains(s.partition_schema, n);
      });
      const bool files_only = std::none_of(names.begin(), names.end(), [&](const std::string& n) {
        return contains(s.partition_schema, n);
      });
      if (partitions_only) {
        on_partitions.push_back(c);
      } else if (files_only) {
        on_files_.push_back({c, names});
      } else {
        mixed_.push_back(c);
        residual_columns.insert(names.begin(), names.end());
      }
    }
    for (const auto& [c, names] : on_files_) residual_columns.insert(names.begin(), names.end());
    if (!on_partitions.empty()) partition_filter_ = expr::bind(all_of(on_partitions), s.partition_schema);
    // What a batch holds before the residual filter: the output's file columns, the
    // columns a residual filter may need, then the partition columns.
    for (const Field& f : s.file_schema.fields) {
      if (contains(output_, f.name) || residual_columns.count(f.name)) work_.fields.push_back(typed(f));
    }
    for (const Field& f : s.partition_schema.fields) work_.fields.push_back(f);
  }

  const Schema& schema() const override { return output_; }
  const ScanCounts& counts() const override { return counts_; }

  bool next(RecordBatch& out) override {
    while (true) {
      if (!file_ && !open_next()) return false;
      RecordBatch batch;
      if (!read_from_file(batch)) {
        end_file();
        continue;
      }
      if (finish(batch, out)) return true;
    }
  }

 private:
  // A field as the scan returns it: strings asked as dictionaries become dictionaries.
  Field typed(Field f) const {
    const auto id = f.type.id();
    const bool text = id == DataType::Id::String || id == DataType::Id::Binary;
    if (text && !contains(state_->partition_schema, f.name) &&
        std::find(options_.read_dictionary.begin(), options_.read_dictionary.end(), f.name) !=
            options_.read_dictionary.end()) {
      f.type = DataType::dictionary(f.type);
    }
    return f;
  }

  // Opens the next fragment its partition values do not rule out; false at the end.
  bool open_next() {
    const Dataset::State& s = *state_;
    while (next_fragment_ < s.fragments.size()) {
      const size_t f = next_fragment_++;
      if (partition_filter_) {
        RecordBatch values;
        values.schema = s.partition_schema;
        values.num_rows = 1;
        for (size_t c = 0; c < s.partition_schema.fields.size(); ++c) {
          values.columns.push_back(
              dataset::constant_array(s.partition_schema.fields[c].type, s.fragments[f].partition_values[c], 1));
        }
        if (!expr::evaluate(*partition_filter_, values).at(0)) {
          ++counts_.files_skipped;
          continue;
        }
      }
      FileReader file = open_file(s, f);
      fragment_ = f;
      start_file(std::move(file));
      return true;
    }
    return false;
  }

  void start_file(FileReader file) {
    const Dataset::State& s = *state_;
    const Schema file_fields = file.arrow_schema(ScanOptions{});
    // Every field this file has must read into the dataset's type.
    for (const Field& f : file_fields.fields) {
      const int d = s.file_schema.field_index(f.name);
      if (d < 0) {
        if (contains(s.partition_schema, f.name)) continue;  // the partition value wins
        throw Error(ErrorKind::InvalidArgument, "file '" + file.name() + "' has the field '" + f.name +
                                                    "', which the dataset's schema has not (SchemaMerge::Union reads it)");
      }
      if (!dataset::widens(f.type, s.file_schema.fields[static_cast<size_t>(d)].type)) {
        throw Error(ErrorKind::InvalidArgument, "field '" + f.name + "' is " + f.type.to_string() + " in '" +
                                                    file.name() + "', but " +
                                                    s.file_schema.fields[static_cast<size_t>(d)].type.to_string() +
                                                    " in the dataset");
      }
    }
    ScanOptions o = options_;
    o.columns.clear();
    o.read_dictionary.clear();
    o.filter = {};
    std::vector<Expression> here, residual = mixed_;
    for (const auto& [c, names] : on_files_) {
      const bool all_here = std::all_of(names.begin(), names.end(), [&](const std::string& n) {
        return contains(file_fields, n);
      });
      (all_here ? here : residual).push_back(c);
    }
    o.filter = all_of(here);
    for (const Field& f : work_.fields) {
      if (!contains(file_fields, f.name) || contains(s.partition_schema, f.name)) continue;
      o.columns.push_back(f.name);
      if (f.type.id() == DataType::Id::Dictionary) o.read_dictionary.push_back(f.name);
    }
    residual_.reset();
    if (!residual.empty()) residual_ = expr::bind(all_of(residual), work_);
    rows_left_ = -1;
    if (o.columns.empty()) {
      if (o.filter.empty()) {
        // Nothing to decode: the rows of the row groups are all that is needed.
        rows_left_ = file.metadata().num_rows();
        counts_.row_groups_read += file.metadata().num_row_groups();
        file_.emplace(std::move(file));
        return;
      }
      // The filter's columns are read to know which rows it keeps; not returned.
      std::set<std::string> names;
      columns_of(o.filter, names);
      o.columns.assign(names.begin(), names.end());
    }
    batches_.emplace(file.batches(o));
    file_.emplace(std::move(file));
  }

  bool read_from_file(RecordBatch& batch) {
    if (rows_left_ >= 0) {
      if (rows_left_ == 0) return false;
      const int64_t size = options_.batch_size > 0 ? options_.batch_size : rows_left_;
      batch.num_rows = std::min(size, rows_left_);
      rows_left_ -= batch.num_rows;
      return true;
    }
    return batches_->next(batch);
  }

  void end_file() {
    if (batches_) {
      const ScanCounts& c = batches_->counts();
      counts_.row_groups_read += c.row_groups_read;
      counts_.row_groups_skipped += c.row_groups_skipped;
      counts_.row_groups_skipped_by_bloom_filter += c.row_groups_skipped_by_bloom_filter;
      counts_.row_groups_skipped_by_dictionary += c.row_groups_skipped_by_dictionary;
      counts_.rows_skipped += c.rows_skipped;
      counts_.pages_read += c.pages_read;
      counts_.pages_skipped += c.pages_skipped;
      counts_.bytes_read += c.bytes_read;
    }
    ++counts_.files_read;
    batches_.reset();
    file_.reset();
  }

  // A file's batch as the work schema (missing columns null, narrower types widened, the
  // partition values beside), the residual filter applied, then the output's columns.
  bool finish(const RecordBatch& batch, RecordBatch& out) {
    const Dataset::State& s = *state_;
    RecordBatch work;
    work.schema = work_;
    work.num_rows = batch.num_rows;
    const size_t first_partition = work_.fields.size() - s.partition_schema.fields.size();
    for (size_t i = 0; i < work_.fields.size(); ++i) {
      const Field& f = work_.fields[i];
      if (i >= first_partition) {
        work.columns.push_back(dataset::constant_array(
            f.type, s.fragments[fragment_].partition_values[i - first_partition], batch.num_rows));
        continue;
      }
      const int at = batch.schema.field_index(f.name);
      work.columns.push_back(at < 0 ? table::null_array(f.type, batch.num_rows)
                                    : dataset::widen(batch.columns[static_cast<size_t>(at)], f.type));
    }
    std::vector<int64_t> kept;
    bool all = true;
    if (residual_) {
      const std::vector<uint8_t> keep = expr::evaluate(*residual_, work);
      kept = table::selected_rows(keep);
      all = static_cast<int64_t>(kept.size()) == work.num_rows;
      counts_.rows_skipped += work.num_rows - static_cast<int64_t>(kept.size());
      if (kept.empty()) return false;
    }
    out = {};
    out.schema = output_;
    out.num_rows = all ? work.num_rows : static_cast<int64_t>(kept.size());
    for (const Field& f : output_.fields) {
      const ArrayPtr& a = work.columns[static_cast<size_t>(work_.field_index(f.name))];
      out.columns.push_back(all ? a : table::take(*a, kept));
    }
    return true;
  }

  std::shared_ptr<const Dataset::State> state_;
  ScanOptions options_;
  Schema output_, work_;
  std::optional<expr::Bound> partition_filter_;
  std::vector<std::pair<Expression, std::set<std::string>>> on_files_;  // conjuncts on file columns
  std::vector<Expression> mixed_;  // conjuncts on both
  ScanCounts counts_;

  size_t next_fragment_ = 0, fragment_ = 0;
  std::optional<FileReader> file_;
  std::optional<RecordBatchReader> batches_;
  std::optional<expr::Bound> residual_;
  int64_t rows_left_ = -1;  // a file read for its row count alone: rows still to hand out
};

Dataset Dataset::open(const std::string& source, const DatasetOptions& options) {
  dataset::Discovered found = dataset::discover(source, options.extensions);
  if (!options.base_path.empty()) found.base = options.base_path;
  std::vector<std::string> files = found.files;
  DatasetOptions o = options;
  o.base_path = found.base;
  return open(files, o);
}

Dataset Dataset::open(const std::vector<std::string>& files, const DatasetOptions& options) {
  auto s = std::make_shared<State>();
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
  dataset::PartitionValues partitions = dataset::partition_files(segments, files, options.partitioning);
  s->partition_schema = partitions.schema;
  for (size_t f = 0; f < files.size(); ++f) s->fragments.push_back({files[f], std::move(partitions.values[f])});
  // Footers: every file's to merge schemas; the first alone otherwise (the others are
  // checked against it when a scan opens them).
  s->readers.resize(files.size());
  std::vector<Schema> schemas;
  const size_t opened = options.schema_merge == SchemaMerge::Union ? files.size() : std::min<size_t>(files.size(), 1);
  for (size_t f = 0; f < opened; ++f) {
    s->readers[f] = DatasetScan::open_file(*s, f);
    schemas.push_back(s->readers[f]->arrow_schema(ScanOptions{}));
  }
  const Schema merged = dataset::merge_schemas(schemas, files, options.schema_merge);
  // A column that is also a partition key reads the partition's value (as DuckDB does).
  for (const Field& f : merged.fields) {
    if (!contains(s->partition_schema, f.name)) s->file_schema.fields.push_back(f);
  }
  s->schema = s->file_schema;
  for (const Field& f : s->partition_schema.fields) s->schema.fields.push_back(f);
  Dataset d;
  d.state_ = std::move(s);
  return d;
}

const Schema& Dataset::schema() const { return state_->schema; }
const Schema& Dataset::partition_schema() const { return state_->partition_schema; }
const std::vector<Fragment>& Dataset::fragments() const { return state_->fragments; }

std::vector<int64_t> Dataset::fragment_rows() const {
  std::vector<int64_t> out;
  for (size_t f = 0; f < state_->fragments.size(); ++f) out.push_back(DatasetScan::open_file(*state_, f).metadata().num_rows());
  return out;
}

RecordBatchReader Dataset::scan(const ScanOptions& options) const {
  return RecordBatchReader(std::make_unique<DatasetScan>(state_, options));
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
