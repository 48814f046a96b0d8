// Writing Parquet files from Arrow-layout tables and record batches.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "parkett/export.h"
#include "parkett/array.h"
#include "parkett/encryption.h"
#include "parkett/filesystem.h"
#include "parkett/metadata.h"
#include "parkett/types.h"

namespace parkett {

namespace file {
class FileWriterAccess;
}

/// A codec and its level (the codec's own scale; nullopt: the codec's default, ZSTD 3,
/// GZIP 6, BROTLI 1). Levels are checked when the writer opens.
struct PARKETT_EXPORT CodecOptions {
  Compression codec = Compression::Snappy;
  std::optional<int> level;
};

/// "zstd:9", "snappy", "LZ4", ...: uncompressed (or none), snappy, gzip, brotli, lz4 or
/// lz4_raw (both LZ4_RAW, as pyarrow, DuckDB and polars write "lz4"), lz4_hadoop (the
/// deprecated LZ4 codec, Hadoop's framing), zstd, lzo; any case; optionally ':' and a level.
/// Throws Error(InvalidArgument) for anything else.
PARKETT_EXPORT CodecOptions parse_codec(const std::string& text);

/// Settings that can be given per column (by dotted leaf path, or a prefix of one: a
/// setting for "a" applies to every leaf under the field "a"). Unset members take the file-wide value.
struct PARKETT_EXPORT ColumnWriteOptions {
  std::optional<CodecOptions> compression;
  /// Dictionary-encode the column; falls back to `encoding` (PLAIN when unset) once the
  /// dictionary outgrows max_dictionary_keys / max_dictionary_bytes.
  std::optional<bool> dictionary;
  /// The non-dictionary encoding: Plain, DeltaBinaryPacked (INT32/INT64),
  /// DeltaLengthByteArray and DeltaByteArray (BYTE_ARRAY; DeltaByteArray also FLBA),
  /// ByteStreamSplit (fixed-width), Alp (FLOAT/DOUBLE), Rle (BOOLEAN). A pair the format
  /// does not allow is Error(InvalidArgument) at open.
  std::optional<Encoding> encoding;
  std::optional<StatisticsLevel> statistics;
  /// Write the exact number of distinct non-null values in the chunk statistics.
  std::optional<bool> distinct_count;
  /// Write a bloom filter of each chunk of the column.
  std::optional<BloomFilterOptions> bloom_filter;
};

/// A column the rows of every row group are sorted by (RowGroup.sorting_columns).
struct PARKETT_EXPORT SortingColumnSpec {
  std::string path;  // dotted leaf path, as in WriteOptions::columns
  bool descending = false;
  bool nulls_first = false;
};

struct PARKETT_EXPORT WriteOptions {
  CodecOptions compression;
  /// Dictionary encoding, falling back to `encoding` (PLAIN by default) for the rest of a
  /// column chunk once the dictionary holds more than max_dictionary_keys entries or
  /// max_dictionary_bytes (PLAIN size). A chunk's first page of 4096 values or more also
  /// judges it: a dictionary expected to outgrow those limits (from how fast the page added
  /// entries) whose page compresses no smaller than the fallback's is not written at all,
  /// as DuckDB drops dictionaries that do not pay.
  bool dictionary = true;
  std::optional<Encoding> encoding;  // see ColumnWriteOptions::encoding
  int64_t max_dictionary_keys = int64_t{1} << 20;
  int64_t max_dictionary_bytes = int64_t{1} << 20;
  /// 1 or 2: DATA_PAGE or DATA_PAGE_V2.
  int data_page_version = 1;
  /// A data page is closed once its values take about this many bytes (before compression).
  int64_t data_page_size = int64_t{1} << 20;
  int64_t max_rows_per_page = 20000;
  /// A row group is closed at this many rows, or once its columns hold about
  /// row_group_bytes of values (whichever comes first).
  int64_t row_group_rows = int64_t{1} << 20;
  int64_t row_group_bytes = int64_t{128} << 20;
  StatisticsLevel statistics = StatisticsLevel::Page;
  /// Binary min/max longer than this are truncated (is_min/max_value_exact = false).
  int32_t statistics_truncate_length = 64;
  /// Write the column index and offset index of every column.
  bool page_index = true;
  /// Store a CRC-32 in each page header.
  bool page_crc = false;
  std::string created_by;  // default: "parkett version X.Y.Z"
  std::vector<std::pair<std::string, std::string>> key_value_metadata;
  FormatVersion format_version = FormatVersion::V2_6;
  /// Store timestamps in this unit (Milli or Micro; Nano needs format 2.6). A value that
  /// would lose precision is Error(InvalidArgument) unless allow_truncated_timestamps.
  /// Seconds are always stored as milliseconds.
  std::optional<TimeUnit> coerce_timestamps;
  bool allow_truncated_timestamps = false;
  /// Store every timestamp as the deprecated INT96 (as Spark and Impala read them).
  bool int96_timestamps = false;
  /// Spark's datetimeRebaseModeInWrite and int96RebaseModeInWrite (see
  /// OpenOptions::datetime_rebase). Unset (the default): values are stored as they are, in
  /// the proleptic Gregorian calendar, with no Spark keys. Set: the file also carries
  /// org.apache.spark.version, so that Spark reads it by its keys and not by its own
  /// configuration; Legacy rebases dates and UTC-adjusted timestamps (INT96 separately)
  /// into the hybrid calendar of Spark 2.x and Hive, in UTC, and adds the legacyDateTime /
  /// legacyINT96 keys and org.apache.spark.timeZone = UTC; Exception refuses values before
  /// 1582-10-15 (dates) or 1900-01-01T00:00:00Z (timestamps) with Error(InvalidArgument).
  std::optional<CalendarRebase> datetime_rebase;
  std::optional<CalendarRebase> int96_rebase;
  /// Decimals of precision up to 18 as INT32 / INT64 (else FIXED_LEN_BYTE_ARRAY, as legacy
  /// Spark and Hive need).
  bool decimals_as_integers = true;
  /// pyarrow's flavor='spark': INT96 timestamps, decimals as FIXED_LEN_BYTE_ARRAY, and the
  /// characters " ,;{}()\n\t=" of field names replaced by '_'.
  bool spark_flavor = false;
  /// Spark's writeLegacyFormat, for Spark 1.x, Hive and Impala readers of the old layouts:
  /// lists as `repeated group bag { optional T array; }` (or `repeated T array` when the
  /// elements are not nullable), maps' entries as `repeated group map (MAP_KEY_VALUE)`,
  /// and decimals as FIXED_LEN_BYTE_ARRAY. Per-column options then name the leaves by those
  /// paths ("tags.bag.array").
  bool spark_legacy_format = false;
  /// Fields written under another name: Arrow field path (dotted, "a.b" for a struct child)
  /// -> the Parquet name. Per-column options, sorting columns and bloom filters use the
  /// Parquet names.
  std::map<std::string, std::string> rename;
  /// Store the Arrow schema in the key-value metadata (ARROW:schema, base64 of an Arrow IPC
  /// schema message, as pyarrow and arrow-rs do) so that time zones, large and dictionary
  /// types, durations and field metadata read back as written.
  bool store_arrow_schema = true;
  /// Floating-point columns ordered by IEEE 754 totalOrder (ColumnOrder IEEE_754_TOTAL_ORDER):
  /// min/max may then be NaN or -0.0 exactly as the bits order them. Off: the type-defined
  /// order, NaN left out of min/max. nan_count is written in both. Readers older than
  /// parquet-format 2.13 may refuse the file (nodejs-polars 0.24 does).
  bool ieee754_total_order = false;
  bool distinct_count = false;  // see ColumnWriteOptions::distinct_count
  /// Bloom filters for every column (per column: ColumnWriteOptions::bloom_filter).
  std::optional<BloomFilterOptions> bloom_filter;
  /// Rows between checks of the page size: pages close at a multiple of this many rows
  /// (or at max_rows_per_page).
  int64_t write_batch_size = 1024;
  /// Written into every row group (the caller promises the order; it is not checked).
  std::vector<SortingColumnSpec> sorting_columns;
  /// Data indexes, as Deephaven writes them (index_columns of its write and batch_write):
  /// for each set of top-level columns (Parquet names, as after `rename`), an index table of
  /// every distinct key of those columns (null included) and the positions of the rows
  /// holding it (`dh_row_set`, Deephaven's RowSet bytes), sorted by key, in one row group,
  /// written beside the file as `.dh_metadata/indexes/a,b/index_a,b_<file name>` and listed
  /// in the file's `deephaven` key-value metadata. A scan with `=` or `IN` on all of an
  /// index's columns reads the index to skip row groups and pages (ScanOptions::
  /// use_data_index). Only for files written by path (FileWriter::open(path), write_table,
  /// write_tables, dataset writes), never encrypted ones (Error(Unsupported)); key columns
  /// must be of primitive types. Memory holds every distinct key of the file and its row
  /// ranges until close(). The index files are made visible just before the file; a token
  /// in both footers (parkett.data_index_token) keeps readers from pairing a file with the
  /// index of another write of that name (overwritten, or left by a failed write).
  std::vector<std::vector<std::string>> index_columns;
  /// Threads encoding column chunks in parallel; 0 uses every core.
  int threads = 0;
  /// Per-column settings by dotted path (see ColumnWriteOptions).
  std::map<std::string, ColumnWriteOptions> columns;
  /// Where paths are written. Null: by the path, "s3://bucket/key" on S3 (with `s3`), any
  /// other path on local disk.
  std::shared_ptr<FileSystem> filesystem;
  /// S3 settings for s3:// paths when no filesystem is given (parkett/s3.h).
  S3Options s3;
  /// Parquet modular encryption (parkett/encryption.h): keys, algorithm, footer mode, AAD
  /// prefix. Null writes a plaintext file.
  std::shared_ptr<const EncryptionProperties> encryption;

  ColumnWriteOptions& column(const std::string& path) { return columns[path]; }
};

/// Writes one Parquet file from record batches. The file appears under its final name only
/// when close() succeeds: until then the data goes to a temporary file beside it (on S3: a
/// multipart upload), which an error, an exception or destruction without close() removes
/// (an existing file of that name stays untouched). Memory holds about one row group of the
/// batches written.
class PARKETT_EXPORT FileWriter {
 public:
  /// Checks the schema and options (Error(InvalidArgument) / Error(Unsupported) naming the
  /// field) and opens the file (Error(Io)) on options.filesystem, or the one the path names.
  static FileWriter open(const std::string& path, const Schema& schema, const WriteOptions& options = {});
  /// Writes into `out` (any storage; parkett/filesystem.h), which close() closes.
  static FileWriter open(std::unique_ptr<OutputFile> out, const Schema& schema, const WriteOptions& options = {});

  FileWriter(FileWriter&&) noexcept;
  FileWriter& operator=(FileWriter&&) noexcept;
  ~FileWriter();

  /// Buffers the batch's rows, writing row groups as they fill. A batch whose schema
  /// differs from the writer's is Error(InvalidArgument) naming the first differing field.
  void write(const RecordBatch& batch);
  void write(const Table& table);
  /// About the bytes of the rows buffered for the next row group (as Arrow arrays).
  int64_t buffered_bytes() const;
  /// Writes the buffered rows as a row group now (none if nothing is buffered): bounds
  /// memory at the cost of a smaller row group.
  void flush();
  /// Writes what is buffered and the footer, then makes the file visible (renamed into
  /// place; the upload completed). Returns the footer written.
  FileMetadata close();

 private:
  struct State;
  explicit FileWriter(std::unique_ptr<State> state);
  static FileWriter start(std::unique_ptr<State> state);
  friend class file::FileWriterAccess;
  std::unique_ptr<State> state_;
};

/// The summary files of a dataset (pyarrow's metadata_collector and write_metadata; Spark's,
/// Dask's and Deephaven's `_metadata` and `_common_metadata`), from the footers of files
/// written elsewhere. `_metadata` holds every file's row groups, each column chunk's
/// file_path naming its file relative to the dataset's root, so that a reader plans a scan
/// from it without reading the files' footers (Dataset::open does); `_common_metadata`
/// holds the schema and key-value metadata alone.
class PARKETT_EXPORT MetadataCollector {
 public:
  MetadataCollector();
  ~MetadataCollector();
  MetadataCollector(MetadataCollector&&) noexcept;
  MetadataCollector& operator=(MetadataCollector&&) noexcept;

  /// Appends the row groups of `footer` (FileWriter::close()'s, or FileReader::metadata())
  /// as those of the file `relative_path` ('/'-separated, below the root). Every file must
  /// have the first one's Parquet schema: Error(InvalidArgument) naming both files
  /// otherwise; an encrypted footer is Error(Unsupported).
  void add(const std::string& relative_path, const FileMetadata& footer);
  int64_t num_files() const;
  /// The combined footer (row_group(i).column(j).file_path() names each file).
  FileMetadata metadata() const;
  /// Writes `_metadata` (a Parquet file of no rows but this footer) to `path`, atomically,
  /// on `filesystem` (null: the one the path names, parkett/filesystem.h).
  void write_metadata_file(const std::string& path, std::shared_ptr<FileSystem> filesystem = nullptr) const;
  /// Writes `_common_metadata` (the schema and key-value metadata, no row groups).
  void write_common_metadata_file(const std::string& path, std::shared_ptr<FileSystem> filesystem = nullptr) const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// Writes `table` to `path` (FileWriter::open, write, close).
PARKETT_EXPORT FileMetadata write_table(const Table& table, const std::string& path, const WriteOptions& options = {});

/// Writes tables[i] to paths[i], all with one schema and `options` (Deephaven's
/// batch_write): either every file is written or none is. Checked before any file is
/// opened: as many paths as tables (at least one), paths distinct, every table's schema
/// the first's (Error(InvalidArgument) naming the table and the field that differs). The
/// files are then written without being made visible; only when all are complete are they
/// made visible, in order (an error before that leaves no file, and existing files of
/// those names untouched; a failure while making them visible, such as a failing rename,
/// leaves those made visible so far).
PARKETT_EXPORT std::vector<FileMetadata> write_tables(const std::vector<Table>& tables,
                                                     const std::vector<std::string>& paths,
                                                     const WriteOptions& options = {});

}  // namespace parkett
