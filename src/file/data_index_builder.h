// The index table of a file being written (WriteOptions::index_columns), as Deephaven
// writes its data indexes: one row per distinct key of the index's columns (nulls count as
// a key), the key's values, then `dh_row_set`, the row positions in the file holding it
// (row_set_codec.h); rows sorted by the keys ascending, nulls first.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "parkett/array.h"

namespace parkett::file {

class DataIndexBuilder {
 public:
  /// `columns`: the Parquet names of top-level fields of `schema`, whose Parquet names are
  /// `parquet_names` (one per field). Error(InvalidArgument) for a name no field has or one
  /// given twice, Error(Unsupported) for a field whose type cannot be a key (a nested one).
  DataIndexBuilder(const Schema& schema, const std::vector<std::string>& parquet_names,
                   std::vector<std::string> columns);
  ~DataIndexBuilder();
  DataIndexBuilder(const DataIndexBuilder&) = delete;
  DataIndexBuilder& operator=(const DataIndexBuilder&) = delete;

  const std::vector<std::string>& columns() const { return columns_; }

  /// Adds the keys of `batch`'s rows, the file's next rows.
  void add(const RecordBatch& batch);

  /// The index table (its fields are named as `columns` and nullable).
  Table finish();

 private:
  struct Keys;
  std::vector<std::string> columns_;
  std::unique_ptr<Keys> keys_;
};

}  // namespace parkett::file
