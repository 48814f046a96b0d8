// File, row group and column chunk metadata: everything a Parquet footer says, decoded.
// Handles are cheap to copy and keep the file's metadata alive; all are read-only and safe
// to use from several threads.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "parkett/export.h"
#include "parkett/schema.h"
#include "parkett/types.h"

namespace parkett {

namespace detail {
struct FileMetadataImpl;
}

using KeyValueMetadata = std::vector<std::pair<std::string, std::optional<std::string>>>;

/// Statistics of a column chunk. min/max follow the column's sort order: the min_value /
/// max_value fields when present, else the deprecated signed-order min / max only where a
/// signed comparison is the column's order (otherwise they are not trusted and
/// has_min_max() is false).
class PARKETT_EXPORT Statistics {
 public:
  bool has_min_max() const { return has_min_max_; }
  const StatValue& min() const { return min_; }
  const StatValue& max() const { return max_; }
  /// The plain-encoded bytes min() and max() were decoded from.
  const std::string& encoded_min() const { return encoded_min_; }
  const std::string& encoded_max() const { return encoded_max_; }
  /// min()/max() rendered as JSON by the rules of the canonical dump (logical types applied:
  /// decimals "12.30", dates "2024-01-31", strings, "0x.." for binary, ...).
  std::string min_json() const;
  std::string max_json() const;
  /// True when min/max came from the deprecated fields.
  bool from_deprecated_fields() const { return deprecated_; }

  std::optional<int64_t> null_count() const { return null_count_; }
  std::optional<int64_t> distinct_count() const { return distinct_count_; }
  std::optional<int64_t> nan_count() const { return nan_count_; }
  std::optional<bool> is_min_value_exact() const { return min_exact_; }
  std::optional<bool> is_max_value_exact() const { return max_exact_; }
  PhysicalType physical_type() const { return physical_type_; }

 private:
  friend struct detail::FileMetadataImpl;
  bool has_min_max_ = false;
  bool deprecated_ = false;
  StatValue min_, max_;
  std::string encoded_min_, encoded_max_;
  std::optional<int64_t> null_count_, distinct_count_, nan_count_;
  std::optional<bool> min_exact_, max_exact_;
  PhysicalType physical_type_ = PhysicalType::Int32;
  const SchemaNode* node_ = nullptr;  // for logical rendering; owned by the file metadata
  std::shared_ptr<const detail::FileMetadataImpl> owner_;
};

struct PARKETT_EXPORT PageEncodingCount {
  PageType page_type;
  Encoding encoding;
  int32_t count;
};

struct PARKETT_EXPORT SizeStatistics {
  std::optional<int64_t> unencoded_byte_array_data_bytes;
  std::optional<std::vector<int64_t>> repetition_level_histogram;
  std::optional<std::vector<int64_t>> definition_level_histogram;
};

struct PARKETT_EXPORT GeospatialStatistics {
  struct BoundingBox {
    double xmin, xmax, ymin, ymax;
    std::optional<double> zmin, zmax, mmin, mmax;
  };
  std::optional<BoundingBox> bbox;
  std::optional<std::vector<int32_t>> geospatial_types;
};

struct PARKETT_EXPORT SortingColumn {
  int32_t column_index;
  bool descending;
  bool nulls_first;
};

/// Encryption of one column chunk (plaintext-footer files show it without keys).
struct PARKETT_EXPORT ColumnEncryption {
  bool with_footer_key = false;
  std::vector<std::string> path;        // column key only
  std::optional<std::string> key_metadata;
};

class PARKETT_EXPORT ColumnChunkMetadata {
 public:
  const ColumnDescriptor& descriptor() const;
  /// Dotted path as written in the chunk ("a.list.element").
  std::string path_in_schema() const;
  PhysicalType physical_type() const;
  Compression compression() const;
  std::vector<Encoding> encodings() const;
  std::optional<std::vector<PageEncodingCount>> encoding_stats() const;
  int64_t num_values() const;
  int64_t total_compressed_size() const;
  int64_t total_uncompressed_size() const;
  int64_t data_page_offset() const;
  std::optional<int64_t> dictionary_page_offset() const;
  std::optional<int64_t> index_page_offset() const;
  bool has_dictionary_page() const { return dictionary_page_offset().has_value(); }
  /// Where the chunk's pages start: the dictionary page if any, else the first data page.
  int64_t file_offset_of_pages() const;
  /// The deprecated ColumnChunk.file_offset and the (external) file_path, as written.
  int64_t file_offset() const;
  std::optional<std::string> file_path() const;

  std::optional<Statistics> statistics() const;
  std::optional<SizeStatistics> size_statistics() const;
  std::optional<GeospatialStatistics> geospatial_statistics() const;
  std::optional<KeyValueMetadata> key_value_metadata() const;

  std::optional<int64_t> bloom_filter_offset() const;
  std::optional<int32_t> bloom_filter_length() const;
  std::optional<int64_t> column_index_offset() const;
  std::optional<int32_t> column_index_length() const;
  std::optional<int64_t> offset_index_offset() const;
  std::optional<int32_t> offset_index_length() const;

  std::optional<ColumnEncryption> encryption() const;
  /// True when the chunk's ColumnMetaData is encrypted (only key-holders can see it). The
  /// accessors above that need it then throw Error(Crypto).
  bool metadata_encrypted() const;

 private:
  friend struct detail::FileMetadataImpl;
  std::shared_ptr<const detail::FileMetadataImpl> file_;
  const void* chunk_ = nullptr;  // format::ColumnChunk, decoded on first use
  int32_t row_group_ = 0;
  int32_t column_ = 0;
};

class PARKETT_EXPORT RowGroupMetadata {
 public:
  int32_t ordinal_in_file() const { return row_group_; }
  int64_t num_rows() const;
  int32_t num_columns() const;
  int64_t total_byte_size() const;
  std::optional<int64_t> total_compressed_size() const;
  std::optional<int64_t> file_offset() const;
  std::optional<int16_t> ordinal() const;  // as written, if the writer wrote it
  std::vector<SortingColumn> sorting_columns() const;
  /// Column chunk i. Decodes its metadata on first use (lazy footer). Throws
  /// Error(Corrupt) if that chunk's metadata is malformed.
  ColumnChunkMetadata column(int32_t i) const;

 private:
  friend struct detail::FileMetadataImpl;
  std::shared_ptr<const detail::FileMetadataImpl> file_;
  int32_t row_group_ = 0;
};

struct PARKETT_EXPORT FooterOptions {
  /// Decode column chunk metadata on first use (true) or all at open (false). Both give
  /// the same answers; lazy opening of wide files is much faster.
  bool lazy = true;
};

/// Encryption facts of a file (plaintext footer: from FileMetaData; encrypted footer:
/// from FileCryptoMetaData).
struct PARKETT_EXPORT FileEncryption {
  enum class Algorithm { AesGcmV1, AesGcmCtrV1, Unknown } algorithm = Algorithm::Unknown;
  std::optional<std::string> aad_prefix;
  std::optional<std::string> aad_file_unique;
  std::optional<bool> supply_aad_prefix;
  std::optional<std::string> footer_key_metadata;
  bool footer_encrypted = false;
};

class PARKETT_EXPORT FileMetadata {
 public:
  FileMetadata() = default;
  /// Decodes a serialized FileMetaData (the footer bytes between the data and the
  /// 8-byte trailer). Throws Error(Corrupt) on malformed input.
  /// `source` names the file in errors raised later (lazy decoding).
  static FileMetadata parse(std::string footer, const FooterOptions& options = {},
                            std::string source = {});

  int32_t version() const;
  /// "1.0" for version 1, "2.6" for 2 (as pyarrow reports it), else the number.
  std::string format_version() const;
  int64_t num_rows() const;
  int32_t num_row_groups() const;
  int32_t num_columns() const;
  std::optional<std::string> created_by() const;
  const KeyValueMetadata& key_value_metadata() const;
  const ParquetSchema& schema() const;
  /// Sort order of column i's statistics (Undefined when the file lists none).
  ColumnOrder column_order(int32_t column) const;
  bool has_column_orders() const;
  std::optional<FileEncryption> encryption() const;
  /// Size of the serialized footer in bytes.
  int64_t serialized_size() const;
  /// The footer bytes as read (an encrypted footer's once decrypted, with the metadata of
  /// the columns whose keys were at hand decrypted in place).
  const std::string& serialized() const;

  RowGroupMetadata row_group(int32_t i) const;
  /// How many column chunks have had their metadata decoded so far (lazy footer).
  int64_t decoded_column_chunks() const;

 private:
  friend struct detail::FileMetadataImpl;
  std::shared_ptr<const detail::FileMetadataImpl> impl_;
};

/// What the statistics of a leaf column's chunks answer without a page read (Spark's
/// aggregate pushdown: COUNT, MIN, MAX).
struct PARKETT_EXPORT ColumnAggregate {
  std::string column;  // dotted leaf path
  int64_t rows = 0;    // rows of the row groups (of the files) summed: exact
  int64_t values = 0;  // level entries of the chunks: rows for a flat column
  /// Null values summed; unset unless every chunk gave its null count.
  std::optional<int64_t> null_count;
  /// Min and max over every chunk, in the column's sort order: set when every chunk holding
  /// a non-null value has usable bounds. *_json renders them with the logical type
  /// (Statistics::min_json).
  std::optional<StatValue> min, max;
  std::string min_json, max_json;
  /// min and max are values the column holds: no chunk's bound was truncated, and no
  /// floating-point chunk may hold NaN (which a type-defined order leaves out of bounds).
  bool exact = false;
  /// Why a part is not answered, or not exactly ("row group 2 has no statistics"); empty
  /// when everything is answered exactly.
  std::string note;
};

/// The aggregates of `columns` (dotted leaf paths; every leaf when empty) over every row
/// group of `files` (one file, or a dataset's files: a column a file lacks counts its rows
/// as nulls). Error(InvalidArgument) for a column no file has. `file_names` (one per file,
/// optional) name the files in notes.
PARKETT_EXPORT std::vector<ColumnAggregate> aggregate_statistics(const std::vector<FileMetadata>& files,
                                                                 const std::vector<std::string>& columns = {},
                                                                 const std::vector<std::string>& file_names = {});

}  // namespace parkett
