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
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "parkett/array.h"
#include "parkett/encryption.h"
#include "parkett/export.h"
#include "parkett/reader.h"
#include "parkett/writer.h"

namespace parkett {

/// How directory names below the dataset's root carry column values.
struct PARKETT_EXPORT Partitioning {
  enum class Kind {
    /// Hive segments when every file's directories are `key=value` segments, else none.
    Detect,
    /// `key=value` segments (Spark, Hive, pyarrow, DuckDB, polars): the key names the column.
    /// Values are URL-decoded. `key=__HIVE_DEFAULT_PARTITION__` is null (every writer writes
    /// nulls so). `key=` is the empty string (as DuckDB, pyarrow and Spark's string columns
    /// read it), and `key=NULL` the text "NULL", as Spark, Hive and pyarrow read it, so that
    /// the string "NULL" any of them writes reads back as itself; DuckDB reads it as null.
    /// A key that is also a column inside the files reads the path's value (as DuckDB does:
    /// the directory is what writers partition by, and Spark's and pyarrow's files do not
    /// hold the column).
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
  /// float64, decimal128 (of any scale; values with finer fractions are refused), date32,
  /// timestamp[us] or string (also as dictionary).
  std::vector<Field> types;
  /// Infer types as Spark does (int32, int64, whole numbers of up to 38 digits as
  /// decimal(digits, 0), then doubles, dates, timestamps, else strings), one type per
  /// column over all its values; false reads every value as a string.
  bool infer_types = true;
  /// Hive: allow keys in a different order in different paths (a/b=1/c=2 and c=3/b=4): the
  /// partition columns are then ordered by first appearance. Without it such paths are an
  /// Error(InvalidArgument) naming two of them.
  bool allow_key_order_mismatch = false;
};

/// How the schemas of a dataset's files become one.
enum class SchemaMerge {
  /// The first file's schema; every other file must have the same fields (any order, also
  /// in structs) with types that read as its own (DatasetOptions::schema says which), or the
  /// open (or the scan, for files opened then) fails naming the file and the field.
  None,
  /// Every field of every file, by name, in order of first appearance (Spark's mergeSchema,
  /// DuckDB's union_by_name), and so on into structs (also in lists and maps): files without
  /// a field read it as nulls. A field whose types differ across files must widen without
  /// loss (as DatasetOptions::schema lists: int32 -> int64, float32 -> float64,
  /// timestamp[ms] -> timestamp[us], ...) or the open fails naming both files and the field.
  Union,
};

/// What Dataset::open does with a `_metadata` file in the directory it opens, and with a
/// `_common_metadata` file when there is no `_metadata`: with SchemaMerge::None and no
/// DatasetOptions::schema, its schema is the dataset's (as Spark and pyarrow take it), in
/// place of the first file's, and no data file is opened for it (Use; UseIfValid passes
/// over a corrupt one; Ignore reads the first file's footer).
enum class MetadataFile {
  /// Plan from it, as pyarrow, Spark and Dask do: the files it names (paths relative to the
  /// directory), their row groups and statistics, without listing the directory or reading
  /// any data file's footer. Other files in the directory are not read. A file it names that
  /// is missing or smaller than its chunks is Error(Corrupt) when a scan opens it.
  Use,
  /// Check it first: the directory is listed, and every data file must be in `_metadata`
  /// and every file it names must exist and hold its chunks; if not, the files' own footers
  /// are read instead, as with Ignore.
  UseIfValid,
  /// Read every file's footer, as without it.
  Ignore,
};

struct PARKETT_EXPORT DatasetOptions {
  Partitioning partitioning;
  SchemaMerge schema_merge = SchemaMerge::None;
  /// Where partition directories start (a prefix of every file's path); default the root
  /// given to open(), or the files' common directory for a list or a glob.
  std::string base_path;
  /// Files with these endings are data files (a directory's other files are ignored).
  std::vector<std::string> extensions = {".parquet", ".parq", ".pq"};
  /// How every file is opened (footer limits, memory map, Arrow schema, decryption).
  OpenOptions file_options;
  /// Each file's decryption properties from a KMS, by its path (instead of
  /// file_options.decryption, which gives every file the same): needed for files with
  /// external key material. `_metadata` summaries are read without keys.
  std::optional<DatasetDecryptionConfig> decryption_config;
  MetadataFile metadata_file = MetadataFile::Use;
  /// The dataset's file columns, given instead of taken from the files (pyarrow's
  /// dataset(schema=)): open() reads no footer for it, and each file's columns read as
  /// these types: the same, or widened without loss (integers to wider ones, integers of up
  /// to 32 bits and float32 to float64, timestamps to a finer unit, decimals to a larger
  /// precision), struct fields matched by name recursively (into lists and maps too). A
  /// column or struct field a file lacks reads as nulls; one the schema lacks is not read;
  /// a type that does not read as the schema's is Error(InvalidArgument) naming the file.
  /// A field named as a partition column gives that column's type (unless
  /// Partitioning::types does). Empty: SchemaMerge decides.
  Schema schema;
  /// Field names match ignoring ASCII case, as Spark and Hive reconcile them: merging
  /// schemas, matching the given schema, and reading each file's columns (a file's `ID` is
  /// the dataset's `id`; a file with both is refused). The dataset keeps the first
  /// spelling; scans name columns by it. Partition keys are matched as the paths spell them.
  bool case_insensitive = false;
  /// Files that cannot be read (Error NotFound, Io, Corrupt, Unsupported or Crypto: missing,
  /// truncated, not Parquet...) are left out instead of failing open() or the scan, as
  /// Spark's ignoreCorruptFiles. Those whose footers open() reads (every file with
  /// SchemaMerge::Union and neither `_metadata` nor a given schema; else the first) are
  /// not fragments; the others are found by the scan: their rows (those after the failure
  /// when it comes midway) are not read, and ScanCounts::files_unreadable counts them. A
  /// wrong schema, or a memory limit, is still an error.
  bool skip_unreadable_files = false;
  /// Threads listing directories and reading footers in open() (0: every core).
  int threads = 0;
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
  /// A directory with a `_metadata` file is planned from it (DatasetOptions::metadata_file);
  /// otherwise every file's footer is read to merge the schemas (the first one's alone
  /// with SchemaMerge::None). Throws Error(NotFound) when there is
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

  /// The fragments (indexes into fragments()) whose partition values leave `filter` a
  /// chance, in order: the partition pruning of scan(), with no file opened. Planning a
  /// distributed scan (parkett.dask) sends only these to workers.
  std::vector<size_t> fragments_matching(const Expression& filter) const;
  /// Fragment `fragment` alone, as scan() reads it (the dataset's schema, its partition
  /// values, the filter); `options.row_groups` may select row groups of its file, so that
  /// workers of a distributed scan each read a share of one file. Error(InvalidArgument)
  /// for a fragment or row group out of range.
  RecordBatchReader scan_fragment(size_t fragment, const ScanOptions& options = {}) const;

  struct State;  // opaque: the files, partitions and schemas found by open()

 private:
  std::shared_ptr<const State> state_;
};

/// What write_dataset does with files already below the root (pyarrow's
/// existing_data_behavior). Writing where data is (OverwriteOrIgnore, DeleteMatching) first
/// removes the root's `_metadata` and `_common_metadata`, which would no longer describe it
/// (written again at the end with write_metadata_files).
enum class ExistingData {
  /// Refuse to write (Error(InvalidArgument) naming a file found) when the root holds any
  /// file, hidden ones included.
  Error,
  /// Keep what is there; a file of the same name as one written is replaced. With a
  /// basename template using {uuid}, this appends to a dataset.
  OverwriteOrIgnore,
  /// Before the first file of a partition is written, delete everything in that
  /// partition's directory (the root itself when there are no partition columns), as when
  /// replacing the partitions a write touches; partitions it does not touch stay.
  DeleteMatching,
};

/// A file write_dataset completed.
struct PARKETT_EXPORT WrittenFile {
  std::string path;
  /// The partition's value of each partition_by column (nullopt for null), as the path
  /// gives them before escaping.
  std::vector<std::optional<std::string>> partition_values;
  FileMetadata metadata;  // its footer
};

struct PARKETT_EXPORT DatasetWriteOptions {
  /// Top-level columns whose values choose each row's directory, outermost first: integers,
  /// booleans, floats, decimals, dates, timestamps or strings (also as dictionaries).
  std::vector<std::string> partition_by;
  /// Hive: `name=value` directories; Directory: `value` directories. Values are escaped
  /// as Hive does (`%XX` for `/ = % : ? # * \ " ' { } [ ] ^` and control characters;
  /// a leading `.` or `_` too, so that readers do not skip the directory); a null is
  /// `__HIVE_DEFAULT_PARTITION__`. Dates as 2024-01-31, timestamps as
  /// `2024-01-31 12:00:00[.fraction]` (UTC for zoned ones), whole floats as `3.0`.
  Partitioning::Kind flavor = Partitioning::Kind::Hive;
  /// The file names in each directory: `{i}` is a counter per directory (from 0), `{uuid}`
  /// a random UUID per file; the template must hold one of them.
  std::string basename_template = "part-{i}.parquet";
  /// A file holding this many rows is closed and the next rows go to a new one (0: no limit).
  int64_t max_rows_per_file = 0;
  /// At most this many files open at once (and no more than the process's file descriptor
  /// limit less 64): opening another one closes (completes) the one written least recently;
  /// later rows of its partition go to a new file. pyarrow's default.
  int max_open_files = 900;
  /// Bytes of rows held in memory (as Arrow arrays, about) for all open files together:
  /// past it, the largest buffers are written out as row groups until half is left. The
  /// bound on memory with many partitions; with N partitions filling evenly, row groups hold
  /// about max_buffered_bytes / N bytes. A row group also ends at file_options.row_group_rows
  /// (pyarrow's max_rows_per_group) and row_group_bytes.
  int64_t max_buffered_bytes = int64_t{128} << 20;
  ExistingData existing_data = ExistingData::Error;
  /// Also store the partition columns inside the files (Spark, pyarrow and DuckDB leave
  /// them out: the path holds them).
  bool keep_partition_columns = false;
  /// After the last file, write `_metadata` (the row groups of every data file below the
  /// root, with file paths relative to it: this write's files and, when data was there
  /// before, the footers of those .parquet, .parq and .pq files) and `_common_metadata` (the
  /// schema) at the root (see MetadataCollector).
  bool write_metadata_files = false;
  /// How each file is written; file_options.threads is the write's thread count (files
  /// of different partitions are written in parallel). file_options.encryption encrypts
  /// every file with the same keys.
  WriteOptions file_options;
  /// Encryption through a KMS instead, with data keys of its own for each file (and, with
  /// external key material, its sidecar `_KEY_MATERIAL_FOR_<file>.json` beside it, removed
  /// again if the file is not completed).
  std::optional<DatasetEncryptionConfig> encryption_config;
  /// Called as each file is completed, in the order of completion (pyarrow's file_visitor):
  /// when a write fails, the files it was told of are those left complete.
  std::function<void(const WrittenFile&)> file_visitor;
};

/// Writes the rows of `batches` as a dataset below `root`: one directory per partition
/// (created as needed), files in them written atomically (until a file is complete it is a
/// hidden temporary file, which a failure removes). Memory: max_buffered_bytes, one input
/// batch (and its copy dealt out to the partitions), 64 KiB per open file, and the encoding
/// scratch of each thread. Returns the files written, in order of
/// completion. Throws Error(InvalidArgument) for bad options or partition columns (or
/// Error(Unsupported) for one whose type cannot name a directory), and the errors of writing
/// a file (naming it); the message says how many files were completed.
PARKETT_EXPORT std::vector<WrittenFile> write_dataset(RecordBatchReader& batches, const std::string& root,
                                                      const DatasetWriteOptions& options = {});
PARKETT_EXPORT std::vector<WrittenFile> write_dataset(const Table& table, const std::string& root,
                                                      const DatasetWriteOptions& options = {});

}  // namespace parkett
