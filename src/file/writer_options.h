// What FileWriter::open makes of its WriteOptions before a byte is written: the Parquet
// schema, the options of each leaf's chunks (file-wide and per-column settings resolved,
// codecs and encodings checked) and the sorting columns. Testable without a file.
#pragma once

#include <vector>

#include "column/chunk_writer.h"
#include "file/calendar_modes.h"
#include "file/file_encryptor.h"
#include "format/parquet_types.h"
#include "parkett/schema.h"
#include "parkett/writer.h"
#include "schema/field_plan.h"
#include "schema/to_parquet.h"

namespace parkett::file {

struct ResolvedWrite {
  std::vector<format::SchemaElement> elements;  // the Parquet schema, root first
  ParquetSchema parquet;
  std::vector<schema::FieldPlan> plans;               // per top-level field
  std::vector<column::ChunkOptions> leaf_options;     // per leaf column
  std::vector<format::SortingColumn> sorting_columns;
  std::shared_ptr<const FileEncryptor> encryptor;  // encrypted files only
  std::map<int32_t, column::CalendarRule> calendar_rules;  // leaves rebased or checked (rebase options)
};

/// The WriteOptions that shape the Parquet schema.
schema::ParquetSchemaOptions schema_options(const WriteOptions& options);

/// Resolves `options` for `schema`. Throws Error(InvalidArgument) for options that cannot
/// apply (sizes, unknown columns, encodings a type cannot take, a bloom filter on BOOLEAN),
/// Error(Unsupported) for types Parquet cannot hold.
ResolvedWrite resolve_write(const Schema& schema, const WriteOptions& options);

/// The footer's FileMetaData but for its row groups and row count: format version, schema,
/// key-value metadata (the options', then the Arrow schema's, then ARROW:schema unless
/// stored already or turned off), created_by and each column's sort order.
format::FileMetaData footer_metadata(const Schema& schema, const WriteOptions& options, const ParquetSchema& parquet,
                                     const std::vector<format::SchemaElement>& elements,
                                     const std::vector<column::ChunkOptions>& leaf_options);

}  // namespace parkett::file
