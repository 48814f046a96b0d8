// The structures of parquet.thrift (apache/parquet-format, src/main/thrift/parquet.thrift).
// Field comments are omitted where the name says it all; see the IDL for semantics.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace parkett::format {

enum class Type : int32_t {
  BOOLEAN = 0, INT32 = 1, INT64 = 2, INT96 = 3, FLOAT = 4, DOUBLE = 5, BYTE_ARRAY = 6,
  FIXED_LEN_BYTE_ARRAY = 7,
};

enum class ConvertedType : int32_t {
  UTF8 = 0, MAP = 1, MAP_KEY_VALUE = 2, LIST = 3, ENUM = 4, DECIMAL = 5, DATE = 6,
  TIME_MILLIS = 7, TIME_MICROS = 8, TIMESTAMP_MILLIS = 9, TIMESTAMP_MICROS = 10, UINT_8 = 11,
  UINT_16 = 12, UINT_32 = 13, UINT_64 = 14, INT_8 = 15, INT_16 = 16, INT_32 = 17, INT_64 = 18,
  JSON = 19, BSON = 20, INTERVAL = 21,
};

enum class FieldRepetitionType : int32_t { REQUIRED = 0, OPTIONAL = 1, REPEATED = 2, VECTOR = 3 };

enum class Encoding : int32_t {
  PLAIN = 0, PLAIN_DICTIONARY = 2, RLE = 3, BIT_PACKED = 4, DELTA_BINARY_PACKED = 5,
  DELTA_LENGTH_BYTE_ARRAY = 6, DELTA_BYTE_ARRAY = 7, RLE_DICTIONARY = 8, BYTE_STREAM_SPLIT = 9,
  ALP = 10,
};

enum class CompressionCodec : int32_t {
  UNCOMPRESSED = 0, SNAPPY = 1, GZIP = 2, LZO = 3, BROTLI = 4, LZ4 = 5, ZSTD = 6, LZ4_RAW = 7,
};

enum class PageType : int32_t { DATA_PAGE = 0, INDEX_PAGE = 1, DICTIONARY_PAGE = 2, DATA_PAGE_V2 = 3 };

enum class BoundaryOrder : int32_t { UNORDERED = 0, ASCENDING = 1, DESCENDING = 2 };

enum class EdgeInterpolationAlgorithm : int32_t {
  SPHERICAL = 0, VINCENTY = 1, THOMAS = 2, ANDOYER = 3, KARNEY = 4,
};

// An optional member kept on the heap: for large structs that are rarely present, so that
// the common ones (a footer holds one ColumnChunk per column per row group) stay small.
// Same interface as the parts of std::optional that serde.cc uses.
template <class T>
class Boxed {
 public:
  using value_type = T;
  Boxed() = default;
  Boxed(const T& v) : p_(std::make_unique<T>(v)) {}  // NOLINT: implicit like std::optional
  Boxed(const Boxed& o) : p_(o.p_ ? std::make_unique<T>(*o.p_) : nullptr) {}
  Boxed(Boxed&&) noexcept = default;
  Boxed& operator=(const Boxed& o) {
    p_ = o.p_ ? std::make_unique<T>(*o.p_) : nullptr;
    return *this;
  }
  Boxed& operator=(Boxed&&) noexcept = default;

  explicit operator bool() const { return p_ != nullptr; }
  bool has_value() const { return p_ != nullptr; }
  T& emplace() {
    p_ = std::make_unique<T>();
    return *p_;
  }
  void reset() { p_.reset(); }
  T& operator*() { return *p_; }
  const T& operator*() const { return *p_; }
  T* operator->() { return p_.get(); }
  const T* operator->() const { return p_.get(); }
  bool operator==(const Boxed& o) const { return p_ && o.p_ ? *p_ == *o.p_ : p_ == o.p_; }

 private:
  std::unique_ptr<T> p_;
};

// Every struct names itself for error messages ("ColumnMetaData is missing ...").
#define PARKETT_THRIFT_STRUCT(Name) static constexpr const char* kThriftName = #Name

struct Empty {
  PARKETT_THRIFT_STRUCT(Empty);
  bool operator==(const Empty&) const = default;
};

struct SizeStatistics {
  PARKETT_THRIFT_STRUCT(SizeStatistics);
  std::optional<int64_t> unencoded_byte_array_data_bytes;
  std::optional<std::vector<int64_t>> repetition_level_histogram;
  std::optional<std::vector<int64_t>> definition_level_histogram;
  bool operator==(const SizeStatistics&) const = default;
};

struct BoundingBox {
  PARKETT_THRIFT_STRUCT(BoundingBox);
  double xmin = 0, xmax = 0, ymin = 0, ymax = 0;
  std::optional<double> zmin, zmax, mmin, mmax;
  bool operator==(const BoundingBox&) const = default;
};

struct GeospatialStatistics {
  PARKETT_THRIFT_STRUCT(GeospatialStatistics);
  std::optional<BoundingBox> bbox;
  std::optional<std::vector<int32_t>> geospatial_types;
  bool operator==(const GeospatialStatistics&) const = default;
};

struct Statistics {
  PARKETT_THRIFT_STRUCT(Statistics);
  std::optional<std::string> max;  // deprecated: signed order
  std::optional<std::string> min;  // deprecated: signed order
  std::optional<int64_t> null_count;
  std::optional<int64_t> distinct_count;
  std::optional<std::string> max_value;
  std::optional<std::string> min_value;
  std::optional<bool> is_max_value_exact;
  std::optional<bool> is_min_value_exact;
  std::optional<int64_t> nan_count;
  bool operator==(const Statistics&) const = default;
};

struct DecimalType {
  PARKETT_THRIFT_STRUCT(DecimalType);
  int32_t scale = 0;
  int32_t precision = 0;
  bool operator==(const DecimalType&) const = default;
};

struct TimeUnit {  // union
  PARKETT_THRIFT_STRUCT(TimeUnit);
  std::optional<Empty> MILLIS, MICROS, NANOS;
  bool operator==(const TimeUnit&) const = default;
};

struct TimestampType {
  PARKETT_THRIFT_STRUCT(TimestampType);
  bool isAdjustedToUTC = false;
  TimeUnit unit;
  bool operator==(const TimestampType&) const = default;
};

struct TimeType {
  PARKETT_THRIFT_STRUCT(TimeType);
  bool isAdjustedToUTC = false;
  TimeUnit unit;
  bool operator==(const TimeType&) const = default;
};

struct IntType {
  PARKETT_THRIFT_STRUCT(IntType);
  int8_t bitWidth = 0;
  bool isSigned = false;
  bool operator==(const IntType&) const = default;
};

struct VariantType {
  PARKETT_THRIFT_STRUCT(VariantType);
  std::optional<int8_t> specification_version;
  bool operator==(const VariantType&) const = default;
};

struct GeometryType {
  PARKETT_THRIFT_STRUCT(GeometryType);
  std::optional<std::string> crs;
  bool operator==(const GeometryType&) const = default;
};

struct GeographyType {
  PARKETT_THRIFT_STRUCT(GeographyType);
  std::optional<std::string> crs;
  std::optional<EdgeInterpolationAlgorithm> algorithm;
  bool operator==(const GeographyType&) const = default;
};

struct LogicalType {  // union
  PARKETT_THRIFT_STRUCT(LogicalType);
  std::optional<Empty> STRING, MAP, LIST, ENUM;
  std::optional<DecimalType> DECIMAL;
  std::optional<Empty> DATE;
  std::optional<TimeType> TIME;
  std::optional<TimestampType> TIMESTAMP;
  std::optional<IntType> INTEGER;
  std::optional<Empty> UNKNOWN, JSON, BSON, UUID, FLOAT16;
  std::optional<VariantType> VARIANT;
  Boxed<GeometryType> GEOMETRY;    // boxed: rare, and their CRS strings would triple the
  Boxed<GeographyType> GEOGRAPHY;  // size of every annotated schema element
  std::optional<Empty> VECTOR;
  bool operator==(const LogicalType&) const = default;
};

struct SchemaElement {
  PARKETT_THRIFT_STRUCT(SchemaElement);
  std::optional<Type> type;
  std::optional<int32_t> type_length;
  std::optional<FieldRepetitionType> repetition_type;
  std::string name;
  std::optional<int32_t> num_children;
  std::optional<ConvertedType> converted_type;
  std::optional<int32_t> scale;
  std::optional<int32_t> precision;
  std::optional<int32_t> field_id;
  Boxed<LogicalType> logicalType;  // boxed: keeps a schema of many leaves small
  std::optional<int32_t> vector_length;
  bool operator==(const SchemaElement&) const = default;
};

struct DataPageHeader {
  PARKETT_THRIFT_STRUCT(DataPageHeader);
  int32_t num_values = 0;
  Encoding encoding = Encoding::PLAIN;
  Encoding definition_level_encoding = Encoding::RLE;
  Encoding repetition_level_encoding = Encoding::RLE;
  std::optional<Statistics> statistics;
  bool operator==(const DataPageHeader&) const = default;
};

struct DictionaryPageHeader {
  PARKETT_THRIFT_STRUCT(DictionaryPageHeader);
  int32_t num_values = 0;
  Encoding encoding = Encoding::PLAIN;
  std::optional<bool> is_sorted;
  bool operator==(const DictionaryPageHeader&) const = default;
};

struct DataPageHeaderV2 {
  PARKETT_THRIFT_STRUCT(DataPageHeaderV2);
  int32_t num_values = 0;
  int32_t num_nulls = 0;
  int32_t num_rows = 0;
  Encoding encoding = Encoding::PLAIN;
  int32_t definition_levels_byte_length = 0;
  int32_t repetition_levels_byte_length = 0;
  std::optional<bool> is_compressed;  // absent means true
  std::optional<Statistics> statistics;
  bool operator==(const DataPageHeaderV2&) const = default;
};

struct BloomFilterAlgorithm {  // union
  PARKETT_THRIFT_STRUCT(BloomFilterAlgorithm);
  std::optional<Empty> BLOCK;
  bool operator==(const BloomFilterAlgorithm&) const = default;
};

struct BloomFilterHash {  // union
  PARKETT_THRIFT_STRUCT(BloomFilterHash);
  std::optional<Empty> XXHASH;
  bool operator==(const BloomFilterHash&) const = default;
};

struct BloomFilterCompression {  // union
  PARKETT_THRIFT_STRUCT(BloomFilterCompression);
  std::optional<Empty> UNCOMPRESSED;
  bool operator==(const BloomFilterCompression&) const = default;
};

struct BloomFilterHeader {
  PARKETT_THRIFT_STRUCT(BloomFilterHeader);
  int32_t numBytes = 0;
  BloomFilterAlgorithm algorithm;
  BloomFilterHash hash;
  BloomFilterCompression compression;
  bool operator==(const BloomFilterHeader&) const = default;
};

struct PageHeader {
  PARKETT_THRIFT_STRUCT(PageHeader);
  PageType type = PageType::DATA_PAGE;
  int32_t uncompressed_page_size = 0;
  int32_t compressed_page_size = 0;
  std::optional<int32_t> crc;
  std::optional<DataPageHeader> data_page_header;
  std::optional<Empty> index_page_header;
  std::optional<DictionaryPageHeader> dictionary_page_header;
  std::optional<DataPageHeaderV2> data_page_header_v2;
  bool operator==(const PageHeader&) const = default;
};

struct KeyValue {
  PARKETT_THRIFT_STRUCT(KeyValue);
  std::string key;
  std::optional<std::string> value;
  bool operator==(const KeyValue&) const = default;
};

struct SortingColumn {
  PARKETT_THRIFT_STRUCT(SortingColumn);
  int32_t column_idx = 0;
  bool descending = false;
  bool nulls_first = false;
  bool operator==(const SortingColumn&) const = default;
};

struct PageEncodingStats {
  PARKETT_THRIFT_STRUCT(PageEncodingStats);
  PageType page_type = PageType::DATA_PAGE;
  Encoding encoding = Encoding::PLAIN;
  int32_t count = 0;
  bool operator==(const PageEncodingStats&) const = default;
};

struct ColumnMetaData {
  PARKETT_THRIFT_STRUCT(ColumnMetaData);
  Type type = Type::BOOLEAN;
  std::vector<Encoding> encodings;
  std::vector<std::string> path_in_schema;
  CompressionCodec codec = CompressionCodec::UNCOMPRESSED;
  int64_t num_values = 0;
  int64_t total_uncompressed_size = 0;
  int64_t total_compressed_size = 0;
  std::optional<std::vector<KeyValue>> key_value_metadata;
  int64_t data_page_offset = 0;
  std::optional<int64_t> index_page_offset;
  std::optional<int64_t> dictionary_page_offset;
  std::optional<Statistics> statistics;
  std::optional<std::vector<PageEncodingStats>> encoding_stats;
  std::optional<int64_t> bloom_filter_offset;
  std::optional<int32_t> bloom_filter_length;
  Boxed<SizeStatistics> size_statistics;
  Boxed<GeospatialStatistics> geospatial_statistics;
  bool operator==(const ColumnMetaData&) const = default;
};

struct EncryptionWithColumnKey {
  PARKETT_THRIFT_STRUCT(EncryptionWithColumnKey);
  std::vector<std::string> path_in_schema;
  std::optional<std::string> key_metadata;
  bool operator==(const EncryptionWithColumnKey&) const = default;
};

struct ColumnCryptoMetaData {  // union
  PARKETT_THRIFT_STRUCT(ColumnCryptoMetaData);
  std::optional<Empty> ENCRYPTION_WITH_FOOTER_KEY;
  std::optional<EncryptionWithColumnKey> ENCRYPTION_WITH_COLUMN_KEY;
  bool operator==(const ColumnCryptoMetaData&) const = default;
};

struct ColumnChunk {
  PARKETT_THRIFT_STRUCT(ColumnChunk);
  std::optional<std::string> file_path;
  int64_t file_offset = 0;
  std::optional<ColumnMetaData> meta_data;
  std::optional<int64_t> offset_index_offset;
  std::optional<int32_t> offset_index_length;
  std::optional<int64_t> column_index_offset;
  std::optional<int32_t> column_index_length;
  Boxed<ColumnCryptoMetaData> crypto_metadata;
  std::optional<std::string> encrypted_column_metadata;
  bool operator==(const ColumnChunk&) const = default;
};

// A RowGroup whose column chunks are `Chunk`: ColumnChunk when fully decoded, a byte range
// when the footer is indexed lazily (footer_index.h).
template <class Chunk>
struct BasicRowGroup {
  PARKETT_THRIFT_STRUCT(RowGroup);
  std::vector<Chunk> columns;
  int64_t total_byte_size = 0;
  int64_t num_rows = 0;
  std::optional<std::vector<SortingColumn>> sorting_columns;
  std::optional<int64_t> file_offset;
  std::optional<int64_t> total_compressed_size;
  std::optional<int16_t> ordinal;
  bool operator==(const BasicRowGroup&) const = default;
};
using RowGroup = BasicRowGroup<ColumnChunk>;

struct ColumnOrder {  // union
  PARKETT_THRIFT_STRUCT(ColumnOrder);
  std::optional<Empty> TYPE_ORDER;
  std::optional<Empty> IEEE_754_TOTAL_ORDER;
  std::optional<Empty> INT96_TIMESTAMP_ORDER;
  bool operator==(const ColumnOrder&) const = default;
};

struct PageLocation {
  PARKETT_THRIFT_STRUCT(PageLocation);
  int64_t offset = 0;
  int32_t compressed_page_size = 0;
  int64_t first_row_index = 0;
  bool operator==(const PageLocation&) const = default;
};

struct OffsetIndex {
  PARKETT_THRIFT_STRUCT(OffsetIndex);
  std::vector<PageLocation> page_locations;
  std::optional<std::vector<int64_t>> unencoded_byte_array_data_bytes;
  bool operator==(const OffsetIndex&) const = default;
};

struct ColumnIndex {
  PARKETT_THRIFT_STRUCT(ColumnIndex);
  std::vector<bool> null_pages;
  std::vector<std::string> min_values;
  std::vector<std::string> max_values;
  BoundaryOrder boundary_order = BoundaryOrder::UNORDERED;
  std::optional<std::vector<int64_t>> null_counts;
  std::optional<std::vector<int64_t>> repetition_level_histograms;
  std::optional<std::vector<int64_t>> definition_level_histograms;
  std::optional<std::vector<int64_t>> nan_counts;
  bool operator==(const ColumnIndex&) const = default;
};

struct AesGcmV1 {
  PARKETT_THRIFT_STRUCT(AesGcmV1);
  std::optional<std::string> aad_prefix;
  std::optional<std::string> aad_file_unique;
  std::optional<bool> supply_aad_prefix;
  bool operator==(const AesGcmV1&) const = default;
};

struct AesGcmCtrV1 {
  PARKETT_THRIFT_STRUCT(AesGcmCtrV1);
  std::optional<std::string> aad_prefix;
  std::optional<std::string> aad_file_unique;
  std::optional<bool> supply_aad_prefix;
  bool operator==(const AesGcmCtrV1&) const = default;
};

struct EncryptionAlgorithm {  // union
  PARKETT_THRIFT_STRUCT(EncryptionAlgorithm);
  std::optional<AesGcmV1> AES_GCM_V1;
  std::optional<AesGcmCtrV1> AES_GCM_CTR_V1;
  bool operator==(const EncryptionAlgorithm&) const = default;
};

template <class RowGroupT>
struct BasicFileMetaData {
  PARKETT_THRIFT_STRUCT(FileMetaData);
  int32_t version = 0;
  std::vector<SchemaElement> schema;
  int64_t num_rows = 0;
  std::vector<RowGroupT> row_groups;
  std::optional<std::vector<KeyValue>> key_value_metadata;
  std::optional<std::string> created_by;
  std::optional<std::vector<ColumnOrder>> column_orders;
  std::optional<EncryptionAlgorithm> encryption_algorithm;
  std::optional<std::string> footer_signing_key_metadata;
  bool operator==(const BasicFileMetaData&) const = default;
};
using FileMetaData = BasicFileMetaData<RowGroup>;

struct FileCryptoMetaData {
  PARKETT_THRIFT_STRUCT(FileCryptoMetaData);
  EncryptionAlgorithm encryption_algorithm;
  std::optional<std::string> key_metadata;
  bool operator==(const FileCryptoMetaData&) const = default;
};

// A struct left undecoded: where it starts in the buffer and how many bytes it takes.
struct RawStruct {
  PARKETT_THRIFT_STRUCT(RawStruct);
  uint32_t offset = 0;
  uint32_t length = 0;
  bool operator==(const RawStruct&) const = default;
};

// The lazily indexed footer: everything decoded except column chunks, which stay byte
// ranges into the footer buffer until first use.
using RowGroupIndex = BasicRowGroup<RawStruct>;
using FooterIndex = BasicFileMetaData<RowGroupIndex>;

}  // namespace parkett::format
