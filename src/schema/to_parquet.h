// The Parquet schema a writer gives an Arrow schema: the inverse of field_plan.cc, so that
// parkett (and pyarrow, arrow-rs, DuckDB) read back the types that were written.
#pragma once

#include <vector>

#include "format/parquet_types.h"
#include "parkett/datatype.h"
#include <map>
#include <optional>
#include <string>

#include "parkett/types.h"

namespace parkett::schema {

/// The writer options that shape the Parquet schema (see WriteOptions for each; file/
/// resolves them).
struct ParquetSchemaOptions {
  FormatVersion version = FormatVersion::V2_6;
  std::optional<TimeUnit> coerce_timestamps;
  bool int96_timestamps = false;
  bool decimals_as_integers = true;
  bool sanitize_names = false;  // the Spark flavor
  // Spark's legacy layouts (writeLegacyFormat, as Spark 1.4 and Hive wrote): lists as
  // `repeated group bag { optional T array; }` (nullable elements) or `repeated T array`,
  // maps' entries as `repeated group map (MAP_KEY_VALUE)`.
  bool legacy_nested_layout = false;
  std::map<std::string, std::string> rename;  // Arrow field path -> Parquet name
};

/// The flattened SchemaElement list (root first) for `schema`, following LogicalTypes.md:
/// lists in the three-level form, maps as MAP/key_value, narrow and unsigned integers as
/// INT32/INT64 with INTEGER annotations, decimals as INT32/INT64 when the precision fits
/// (else FIXED_LEN_BYTE_ARRAY), timestamps in seconds coerced to milliseconds, dictionary
/// arrays as their value type, the arrow.parquet.variant extension as a VARIANT group.
/// Both the logical type and the legacy converted type are written where one exists.
/// Throws Error(Unsupported) naming the field for a type Parquet cannot hold.
/// A rename naming no field is Error(InvalidArgument).
std::vector<format::SchemaElement> to_parquet_schema(const Schema& schema, const ParquetSchemaOptions& options = {});

/// `schema` with the names the Parquet schema gives its fields (renames, the Spark flavor's
/// sanitizing): the Arrow schema to store beside it (ARROW:schema).
Schema with_parquet_names(const Schema& schema, const ParquetSchemaOptions& options);

/// The unit a timestamp of `unit` is stored in under `options` (INT96 aside).
TimeUnit stored_timestamp_unit(TimeUnit unit, const ParquetSchemaOptions& options);

/// True for the Arrow field of an (unshredded) VARIANT column.
bool is_variant_field(const Field& field);

/// Bytes of the FIXED_LEN_BYTE_ARRAY that holds every decimal of this precision.
int32_t decimal_byte_width(int32_t precision);

}  // namespace parkett::schema
