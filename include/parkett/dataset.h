// Datasets: a directory tree (or a list or glob) of Parquet files read as one table, with
// values taken from the paths (partitioning) and the files' schemas merged.
//
//   parkett::DatasetOptions options;
//   options.partitioning.kind = parkett::Partitioning::Kind::Hive;  // sales/year=2024/...
//   auto ds = parkett::Dataset::open("sales/", options);
//   parkett::ScanOptions scan;
//   scan.columns = {"amount", "year"};
//   scan.filter = parkett::col("year") >= 2023;  // other years' files are never opened
//   parkett::Table t = ds.read_table(scan);
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "parkett/array.h"
#include "parkett/export.h"
#include "parkett/reader.h"

namespace parkett {

/// How directory names below the dataset's root carry column values.
struct PARKETT_EXPORT Partitioning {
  enum class Kind {
    /// Hive segments when every file's directories are `key=value` segments, else none.
    Detect,
    /// `key=value` segments (Spark, Hive, pyarrow, DuckDB, polars): the key names the column.
    Hive,
    /// Positional segments: the first directory below the root is `names[0]`, and so on.
    Directory,
    /// The paths carry no values.
    None,
  };
  Kind kind = Kind::Detect;
  /// Directory: the column of each level of directories (required).
  std::vector<std::string> names;
  /// The types of the partition columns by name (others are inferred): int32, int64,
  /// float64, date32, timestamp[us] or string (also as dictionary).
  std::vector<Field> types;
  /// Infer types as Spark does (integers, then doubles, dates, timestamps, else strings),
  /// one type per column over all its values; false reads every value as a string.
  bool infer_types = true;
  /// Hive: allow keys in a different order in different paths (a/b=1/c=2 and c=3/b=4): the
  /// partition columns are then ordered by first appearance. Without it such paths are an
  /// Error(InvalidArgument) naming two of them.
  bool allow_key_order_mismatch = false;
};

/// How the schemas of a dataset's files become one.
enum class SchemaMerge {
  /// The first file's schema; every other file must have the same fields (any order) with
  /// the same types, or the open fails naming the file and the field.
  None,
  /// Every field of every file, by name, in order of first appearance (Spark's mergeSchema,
  /// DuckDB's union_by_name): files without a field read it as nulls. A field whose types
  /// differ across files must widen losslessly (int32 -> int64, float32 -> float64) or the
  /// open fails naming both files.
  Union,
};

struct PARKETT_EXPORT DatasetOptions {
  Partitioning partitioning;
  SchemaMerge schema_merge = SchemaMerge::None;
  /// Where partition directories start (a prefix of every file's path); default the root
  /// given to open(), or the files' common directory for a list or a glob.
  std::string base_path;
  /// Files with these endings are data files (a directory's other files are ignored).
  std::vector<std::string> extensions = {".parquet", ".parq", ".pq"};
  /// How every file is opened (footer limits, memory map, Arrow schema).
  OpenOptions file_options;
};

/// One data file of a dataset and the partition values its path gives.
struct PARKETT_EXPORT Fragment {
  std::string path;
  /// One entry per partition column (Dataset::partition_schema()); null where the path
  /// holds a null (`__HIVE_DEFAULT_PARTITION__`).
  std::vector<std::optional<std::string>> partition_values;
};

class PARKETT_EXPORT Dataset {
 public:
  /// A directory (every data file below it, recursively; names starting with `_` or `.`
  /// are skipped), one file, or a glob (`*`, `?`, and `**` for any number of directories).
  /// Reads every file's footer to merge the schemas. Throws Error(NotFound) when there is
  /// no such path, Error(InvalidArgument) for partitions or schemas that do not agree (naming
  /// the paths), and the errors of opening a file (naming it).
  static Dataset open(const std::string& source, const DatasetOptions& options = {});
  /// The given files, in the given order.
  static Dataset open(const std::vector<std::string>& files, const DatasetOptions& options = {});

  /// The file columns, then the partition columns.
  const Schema& schema() const;
  const Schema& partition_schema() const;
  const std::vector<Fragment>& fragments() const;
  /// Rows of each fragment, from its footer.
  std::vector<int64_t> fragment_rows() const;

  /// Every fragment's rows as batches, files in order. `options` are a file scan's: the
  /// columns and filter may name partition columns; a filter on them skips whole files
  /// without opening them (counted in ScanCounts::files_skipped). `row_groups` must be empty.
  RecordBatchReader scan(const ScanOptions& options = {}) const;
  Table read_table(const ScanOptions& options = {}) const;

  struct State;  // opaque: the files, partitions and schemas found by open()

 private:
  std::shared_ptr<const State> state_;
};

}  // namespace parkett
