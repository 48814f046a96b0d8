// The plan of a read, made once from the file schema, the projection, the options and the
// stored Arrow schema: for each output field the shape to assemble (projection, INT96 unit
// and dictionaries applied), the Arrow field it becomes and the leaves it reads.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "parkett/reader.h"
#include "schema/field_plan.h"

namespace parkett::file {

struct ReadField {
  int32_t field_index = 0;  // among the root's children
  bool whole = false;       // every leaf of the top-level field is read
  schema::FieldPlan plan;
  Field output;                       // the Arrow field returned (stored Arrow schema applied)
  std::set<int32_t> dictionary_leaves;  // leaves read as dictionary arrays
};

struct ReadPlan {
  std::vector<ReadField> fields;
  Schema schema() const;
};

/// The dotted paths (as ScanOptions::columns takes them) of the fields carrying `ids`.
/// Throws Error(NotFound) naming `file` for an id no field carries (or a file with no
/// field ids), Error(InvalidArgument) for an id two fields carry.
std::vector<std::string> paths_of_field_ids(const ParquetSchema& schema, const std::vector<int32_t>& ids,
                                            const std::string& file);

/// The plan for `options.columns` (every field when empty) of `metadata`: assembly builds
/// each field's output type as it is (nothing relabels arrays after). Throws
/// Error(InvalidArgument) naming `file` for a column the file does not have.
ReadPlan make_read_plan(const FileMetadata& metadata, const ReadOptions& options, const std::string& file);
/// The plan of a scan of options.row_groups (all when empty): make_read_plan, with 64-bit
/// offsets for the strings of fields whose chunks there may pass 2 GiB (by their metadata),
/// so that every batch of the scan has one type. A chunk passing 2 GiB with no sign of it
/// in its metadata is decoded with 64-bit offsets all the same (its array then has them).
ReadPlan make_scan_plan(const FileMetadata& metadata, const ReadOptions& options, const std::string& file);

}  // namespace parkett::file
