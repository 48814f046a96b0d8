// Parquet enumerations as parkett names them (the numeric values are those of parquet.thrift,
// so values a newer writer adds survive a round trip and print as "UNKNOWN(n)").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "parkett/export.h"

namespace parkett {

enum class PhysicalType : int32_t {
  Boolean = 0, Int32 = 1, Int64 = 2, Int96 = 3, Float = 4, Double = 5, ByteArray = 6,
  FixedLenByteArray = 7,
};

enum class Repetition : int32_t { Required = 0, Optional = 1, Repeated = 2, Vector = 3 };

enum class Encoding : int32_t {
  Plain = 0, PlainDictionary = 2, Rle = 3, BitPacked = 4, DeltaBinaryPacked = 5,
  DeltaLengthByteArray = 6, DeltaByteArray = 7, RleDictionary = 8, ByteStreamSplit = 9,
  Alp = 10,  // AlpEncoding.md (FLOAT and DOUBLE)
};

enum class Compression : int32_t {
  Uncompressed = 0, Snappy = 1, Gzip = 2, Lzo = 3, Brotli = 4, Lz4 = 5, Zstd = 6, Lz4Raw = 7,
};

enum class PageType : int32_t { DataPage = 0, IndexPage = 1, DictionaryPage = 2, DataPageV2 = 3 };

/// The deprecated ConvertedType annotation (LogicalTypes.md, "Deprecated ConvertedType").
enum class ConvertedType : int32_t {
  Utf8 = 0, Map = 1, MapKeyValue = 2, List = 3, Enum = 4, Decimal = 5, Date = 6, TimeMillis = 7,
  TimeMicros = 8, TimestampMillis = 9, TimestampMicros = 10, Uint8 = 11, Uint16 = 12,
  Uint32 = 13, Uint64 = 14, Int8 = 15, Int16 = 16, Int32 = 17, Int64 = 18, Json = 19, Bson = 20,
  Interval = 21,
};

enum class TimeUnit : int32_t { Second, Milli, Micro, Nano };

/// What to do with dates before 1582-10-15 and timestamps before 1900-01-01T00:00:00Z, where
/// the hybrid Julian+Gregorian calendar of Spark 2.x, Hive and Impala and the proleptic
/// Gregorian calendar of Spark 3 and every other writer differ (Spark's datetimeRebaseMode
/// and int96RebaseMode, SPARK-31404).
enum class CalendarRebase : int32_t {
  Exception,  // refuse such values: Error(InvalidArgument) naming the column and the value
  Corrected,  // take them as they are: proleptic Gregorian on both sides
  Legacy,     // the file holds the hybrid calendar: rebased on read and on write
};

/// Order of min/max statistics (parquet.thrift ColumnOrder).
enum class ColumnOrder : int32_t { Undefined, TypeDefined, Ieee754TotalOrder, Int96Timestamp, Unknown };

/// Names as parquet.thrift spells them: "INT32", "RLE_DICTIONARY", "SNAPPY", "UTF8", ...
PARKETT_EXPORT std::string to_string(PhysicalType v);
PARKETT_EXPORT std::string to_string(Encoding v);
PARKETT_EXPORT std::string to_string(Compression v);
PARKETT_EXPORT std::string to_string(PageType v);
PARKETT_EXPORT std::string to_string(ConvertedType v);
PARKETT_EXPORT std::string to_string(ColumnOrder v);
/// "EXCEPTION", "CORRECTED", "LEGACY" (as Spark spells them)
PARKETT_EXPORT std::string to_string(CalendarRebase v);
/// The reverse, in any case; nullopt for another name.
PARKETT_EXPORT std::optional<CalendarRebase> parse_calendar_rebase(std::string_view name);
/// "required", "optional", "repeated", "vector"
PARKETT_EXPORT std::string to_string(Repetition v);
/// "s", "ms", "us", "ns"
PARKETT_EXPORT std::string to_string(TimeUnit v);

/// A Parquet logical type annotation (LogicalTypes.md). `kind` says which; the other
/// members are meaningful only for the kinds that use them.
struct PARKETT_EXPORT LogicalType {
  enum class Kind : int32_t {
    None,  // no annotation
    String, Map, List, Enum, Decimal, Date, Time, Timestamp, Integer,
    Unknown,  // the "always null" type, thrift name UNKNOWN
    Json, Bson, Uuid, Float16, Variant, Geometry, Geography, Vector,
    Unrecognized,  // an annotation newer than this library: read the physical values
  };
  Kind kind = Kind::None;
  int32_t precision = 0;            // Decimal
  int32_t scale = 0;                // Decimal
  bool adjusted_to_utc = false;     // Time, Timestamp
  TimeUnit unit = TimeUnit::Micro;  // Time, Timestamp
  int32_t bit_width = 0;            // Integer
  bool is_signed = true;            // Integer
  std::optional<std::string> crs;   // Geometry, Geography
  std::optional<int32_t> edge_algorithm;  // Geography (thrift EdgeInterpolationAlgorithm)
  std::optional<int32_t> variant_version; // Variant

  /// "String", "Decimal(precision=10, scale=2)", "Timestamp(isAdjustedToUTC=true,
  /// timeUnit=milliseconds)", ... as Arrow C++ and pyarrow print them.
  std::string to_string() const;
  bool operator==(const LogicalType&) const = default;
};

/// A legacy INT96 value: 8 bytes of nanoseconds in the day, then 4 bytes of Julian day.
struct PARKETT_EXPORT Int96 {
  uint32_t words[3] = {0, 0, 0};
  bool operator==(const Int96&) const = default;
};

/// A typed statistics value; std::string holds BYTE_ARRAY / FIXED_LEN_BYTE_ARRAY bytes.
using StatValue = std::variant<std::monostate, bool, int32_t, int64_t, Int96, float, double,
                               std::string>;

/// Parquet format version of the file (pyarrow's `version`): which annotations may be used.
/// 1.0 writes UINT32 as INT64 and no timestamps in nanoseconds; 2.4 allows every annotation
/// but nanosecond timestamps; 2.6 allows all. Nanoseconds become microseconds below 2.6.
enum class FormatVersion : int32_t { V1_0, V2_4, V2_6 };

/// A split-block bloom filter for a column (BloomFilter.md), sized for `ndv` distinct values
/// at false-positive probability `fpp`. Without ndv the filter is sized for the chunk's
/// actual distinct values.
struct PARKETT_EXPORT BloomFilterOptions {
  double fpp = 0.05;
  std::optional<int64_t> ndv;
  bool enabled = true;  // false: none for this column (when the file-wide setting asks for one)
};

enum class StatisticsLevel : int32_t {
  None,   // no min/max/null counts
  Chunk,  // in each column chunk's metadata
  Page,   // also in each data page header and in the column index
};

}  // namespace parkett
