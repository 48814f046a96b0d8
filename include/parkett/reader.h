// Opening Parquet files.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <vector>

#include "parkett/export.h"
#include "parkett/filesystem.h"
#include "parkett/input_file.h"
#include "parkett/array.h"
#include "parkett/bloom_filter.h"
#include "parkett/encryption.h"
#include "parkett/expression.h"
#include "parkett/metadata.h"
#include "parkett/page_index.h"

struct ArrowArrayStream;  // the Arrow C stream interface (parkett/c_data.h)

namespace parkett {

/// What is fixed when a file is opened: how its footer is read, whether it is mapped, how
/// far its pages are trusted and how its types are read (FileReader::arrow_schema).
struct PARKETT_EXPORT OpenOptions {
  FooterOptions footer;
  /// Map local files into memory instead of reading them with pread: column chunks are then
  /// decoded in place, without a copy.
  bool memory_map = false;
  /// Bytes read from the end of the file on open; a footer that fits needs one read.
  int64_t footer_read_size = 64 * 1024;
  /// Footers larger than this are refused (Error(ResourceLimit)) instead of read.
  int64_t max_footer_size = int64_t{1} << 30;
  /// Apply the Arrow schema the writer stored (ARROW:schema, as pyarrow and arrow-rs do):
  /// time zone names, large and dictionary types, list element names and field metadata
  /// come back as written, where they fit the Parquet schema.
  bool use_arrow_schema = true;
  /// Unit of timestamps read from legacy INT96 columns. Nanoseconds (the default, as in
  /// pyarrow and arrow-rs) cover the years 1677-2262: values outside wrap around as they do
  /// there; microseconds (as DuckDB reads them) cover every INT96 value.
  TimeUnit int96_unit = TimeUnit::Nano;
  /// BYTE_ARRAY columns without an annotation read as strings (utf8), not binary, as Spark's
  /// binaryAsString reads the files of writers that never marked strings (Impala, Hive,
  /// Spark 1.x). The bytes are not checked to be UTF-8.
  bool binary_as_string = false;
  /// The calendar of dates and timestamps before 1582-10-15 / 1900-01-01T00:00:00Z in files
  /// that do not say which they use (Spark's datetimeRebaseModeInRead and
  /// int96RebaseModeInRead; int96_rebase for INT96 timestamps, datetime_rebase for DATE and
  /// UTC-adjusted TIMESTAMP(MILLIS|MICROS)). A file Spark 2.4.6 or later wrote says it (its
  /// org.apache.spark.version and legacyDateTime / legacyINT96 keys) and is read by what it
  /// says, as Spark reads it: hybrid-calendar values rebased to the proleptic Gregorian
  /// calendar. Corrected, the default, takes the values of other files as they are (as
  /// Spark 4, pyarrow and DuckDB do; Spark 3 defaulted to Exception). Rebasing is in UTC:
  /// a file Spark rebased in another zone (org.apache.spark.timeZone) refuses timestamps
  /// before 1900 with Error(Unsupported). Statistics, page indexes and bloom filters of
  /// rebased columns do not prune (they hold the file's calendar).
  CalendarRebase datetime_rebase = CalendarRebase::Corrected;
  CalendarRebase int96_rebase = CalendarRebase::Corrected;
  /// Every field, at every depth, reads as nullable (as Spark reads Parquet files), whatever
  /// the file says; the values are the same.
  bool all_nullable = false;
  /// Check page CRCs where the writer stored them (corrupt pages fail with Error(Corrupt)).
  bool verify_crc = false;
  /// Largest decompressed page accepted; larger ones fail with Error(ResourceLimit).
  int64_t max_page_size = int64_t{1} << 31;
  /// Where paths are opened. Null: by the path, "s3://bucket/key" on S3 (with `s3`),
  /// "http(s)://..." from a web server, any other path on local disk.
  std::shared_ptr<FileSystem> filesystem;
  /// S3 settings for s3:// paths when no filesystem is given (parkett/s3.h); its connection
  /// settings also apply to http(s):// URLs.
  S3Options s3;
  /// Keys and AAD prefix of encrypted files (parkett/encryption.h); null for plaintext ones.
  std::shared_ptr<const DecryptionProperties> decryption;
};

/// What one scan of a file asks for (FileReader::read_table, FileReader::batches): columns,
/// rows, a filter and how it may prune, batching, threads and how bytes are fetched.
struct PARKETT_EXPORT ScanOptions {
  /// Top-level columns to read, by name or dotted leaf path; empty reads all.
  std::vector<std::string> columns;
  /// Columns chosen by Parquet field id instead (Spark's parquet.fieldId.read.enabled,
  /// Iceberg): each id selects the field carrying it, at any depth (a field below the top
  /// level is read within its parents, as a dotted path in `columns` is), so that a field
  /// renamed since the file was written is still found. Not with `columns`. A file without
  /// field ids, or without one of these, is Error(NotFound); an id carried by two fields is
  /// Error(InvalidArgument) naming them.
  std::vector<int32_t> column_ids;
  /// Row groups to read, by index; empty reads all.
  std::vector<int32_t> row_groups;
  /// String and binary columns to read as dictionary arrays (int32 indices into the chunk's
  /// dictionary, as pyarrow's read_dictionary): top-level names or leaf paths.
  std::vector<std::string> read_dictionary;
  /// Only rows where this is true (parkett/expression.h); empty: every row. Its columns
  /// need not be among `columns`. Row groups whose statistics show it cannot be true are
  /// not read.
  Expression filter;
  /// Skip row groups by their column chunk statistics (min/max, null counts).
  bool use_statistics = true;
  /// Skip row groups whose bloom filters show that no value of an `=` or `IN` is there.
  bool use_bloom_filter = true;
  /// Skip row groups where a column whose pages are all dictionary-encoded has none of the
  /// values of an `=` or `IN` in its dictionary (its dictionary page is read to tell).
  bool use_dictionary_filter = true;
  /// Use the data indexes the file lists (Deephaven's, WriteOptions::index_columns) when the
  /// filter's top-level AND has `=`, `IN` or `IS NULL` on every column of one: row groups
  /// and pages without rows of those keys are not read. Only for files opened by path (the
  /// index files are found beside them); a missing index file is not used.
  bool use_data_index = true;
  /// Use the page index: skip pages whose column index shows the filter cannot be true
  /// (with use_statistics), and read only the pages holding rows the filter keeps.
  bool use_page_index = true;
  /// Threads decoding column chunks in parallel; 0 uses every core.
  int threads = 0;
  /// Rows per record batch from FileReader::batches() (0: one batch per row group).
  int64_t batch_size = 65536;
  /// Bytes of each column chunk a batch scan (batches()) fetches at a time, a page larger
  /// than this whole: with the page being decoded, what it holds of the file per column.
  /// 0 fetches whole chunks (only the pages a filter needs, with a page index), as scans of
  /// high-latency storage (S3; InputFile::high_latency) always do.
  int64_t stream_read_size = int64_t{1} << 20;
  /// Byte ranges of a row group closer than this are fetched in one read, and no read is
  /// made larger than max_coalesced_read by merging. On high-latency storage the gap is at
  /// least 1 MiB.
  int64_t coalesce_gap = 64 * 1024;
  int64_t max_coalesced_read = int64_t{64} << 20;
  /// Datasets: false returns each file's batches as they are decoded, files interleaved
  /// (each file's batches stay in their order), which keeps every thread busy when files
  /// differ in size or in what a filter leaves; true returns files in order.
  bool ordered = true;
  /// Datasets: bytes of decoded batches held ahead of the reader, over all files (with
  /// several threads, the next files are read ahead: at most `threads` files, and 8, each
  /// holding up to its share, and one batch whatever the bound).
  int64_t read_ahead_bytes = int64_t{32} << 20;
};

/// Both, to open and read in one call (read_table(path), or FileReader::open, whose scan
/// options become those of read_table() and batches() without arguments).
struct PARKETT_EXPORT ReadOptions : OpenOptions, ScanOptions {};

/// What a filtered scan skipped.
struct PARKETT_EXPORT ScanCounts {
  int64_t row_groups_read = 0;
  int64_t row_groups_skipped = 0;  // by statistics, unread
  int64_t row_groups_skipped_by_bloom_filter = 0;  // unread but for their bloom filters
  int64_t row_groups_skipped_by_dictionary = 0;    // unread but for a dictionary page
  int64_t row_groups_skipped_by_data_index = 0;    // unread: a data index holds none of their rows
  int64_t rows_skipped = 0;        // in skipped row groups or filtered out
  int64_t pages_read = 0;          // data and dictionary pages decompressed
  int64_t pages_skipped = 0;       // data pages of read row groups never decompressed
  int64_t bytes_read = 0;          // column chunk bytes fetched
  int64_t files_read = 0;          // datasets: files opened and scanned
  int64_t files_skipped = 0;       // datasets: files their partition values ruled out, unopened
  int64_t files_unreadable = 0;    // datasets: files skipped as unreadable (skip_unreadable_files)
};

class RecordBatchReader;

class PARKETT_EXPORT FileReader {
 public:
  FileReader() = default;

  /// Opens a local file. Throws Error(NotFound / Io) if it cannot be read, Error(Corrupt)
  /// if it is not Parquet, Error(Crypto) if its footer is encrypted and no keys are given.
  static FileReader open(const std::string& path, const ReadOptions& options = {});
  /// Opens a local file whose footer is already known (a dataset's `_metadata` holds every
  /// file's, or a cache): the footer is not read. Error(Corrupt) when a column chunk of
  /// `footer` ends past the file's end (a footer of another file).
  static FileReader open(const std::string& path, const FileMetadata& footer, const ReadOptions& options = {});
  /// Opens a Parquet file read through `input` (any storage; parkett/input_file.h).
  static FileReader open(std::shared_ptr<const InputFile> input, const ReadOptions& options = {});
  /// Opens a Parquet file held in memory; `name` is used in error messages.
  static FileReader open_buffer(std::shared_ptr<const std::string> bytes,
                                const ReadOptions& options = {},
                                std::string name = "<memory>");

  const FileMetadata& metadata() const;

  /// Reads the selected columns of the selected row groups (the scan options given at open,
  /// or these; the open options stay those given at open). One record batch per row group.
  Table read_table() const;
  Table read_table(const ScanOptions& options) const;
  /// read_table that also says what a filter let it skip.
  Table read_table(const ScanOptions& options, ScanCounts& counts) const;
  /// The Arrow schema read_table returns for the scan options given at open, or these
  /// (projection and dictionaries applied).
  Schema arrow_schema() const;
  Schema arrow_schema(const ScanOptions& options) const;
  /// The same data as read_table, as a stream of record batches of at most
  /// ReadOptions::batch_size rows of a row group each (a filter may leave fewer), decoded
  /// as they are asked for.
  RecordBatchReader batches() const;
  RecordBatchReader batches(const ScanOptions& options) const;
  const std::string& name() const;
  /// The bloom filter of column chunk `column` of row group `row_group`; nullopt when the
  /// writer wrote none. Throws Error(Corrupt) for a malformed filter, Error(Unsupported) for
  /// an encrypted one.
  std::optional<BloomFilter> bloom_filter(int32_t row_group, int32_t column) const;
  /// The offset index / column index of a column chunk; nullopt when the writer wrote none.
  /// Throws Error(Corrupt) for a malformed or inconsistent index.
  std::optional<OffsetIndex> offset_index(int32_t row_group, int32_t column) const;
  std::optional<ColumnIndex> column_index(int32_t row_group, int32_t column) const;

 private:
  friend class FileReaderAccess;
  struct State;  // the storage, the metadata and the options of an open file (immutable)
  std::shared_ptr<const State> state_;
};

/// Record batches of at most ReadOptions::batch_size rows (FileReader::batches), decoded a
/// batch at a time: memory holds the pages being decoded and the batch, not a row group.
class PARKETT_EXPORT RecordBatchReader {
 public:
  /// Where a reader's batches come from: a file's scan, a dataset's scan (parkett/dataset.h),
  /// or any other stream of batches of one schema.
  class PARKETT_EXPORT Source {
   public:
    virtual ~Source() = default;
    virtual const Schema& schema() const = 0;
    /// The next batch; false at the end.
    virtual bool next(RecordBatch& out) = 0;
    virtual const ScanCounts& counts() const = 0;
  };
  explicit RecordBatchReader(std::unique_ptr<Source> source);
  /// A scan of `file` (FileReader::batches).
  RecordBatchReader(FileReader file, const ScanOptions& options);
  ~RecordBatchReader();
  RecordBatchReader(RecordBatchReader&&) noexcept;
  RecordBatchReader& operator=(RecordBatchReader&&) noexcept;
  const Schema& schema() const;
  /// The next batch; false at the end. Throws parkett::Error like read_table.
  bool next(RecordBatch& out);
  /// What a filter let the stream skip so far.
  const ScanCounts& counts() const;

 private:
  std::unique_ptr<Source> source_;
};

/// Exports a batch stream to an ArrowArrayStream: each get_next reads on demand.
PARKETT_EXPORT void export_stream(RecordBatchReader reader, ::ArrowArrayStream* out);

/// Opens `path` and reads it (ReadOptions::columns / row_groups select what).
PARKETT_EXPORT Table read_table(const std::string& path, const ReadOptions& options = {});

}  // namespace parkett
