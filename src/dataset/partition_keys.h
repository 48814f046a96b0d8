// The partitions of a dataset write: each row's partition from the values of its
// partition_by columns, rows grouped by partition, and each partition's directory name
// (values as text, escaped as Hive escapes them).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "parkett/array.h"
#include "parkett/dataset.h"

namespace parkett::dataset {

/// `value` as one directory name: `%XX` for the characters Hive escapes (control
/// characters, `"#%'*/:=?\{[]^` and DEL) and for a leading `.` or `_` (which readers skip,
/// and which keeps a string "__HIVE_DEFAULT_PARTITION__" apart from a null).
std::string escape_path_segment(const std::string& value);

class PartitionKeys {
 public:
  /// Throws Error(InvalidArgument) for a column that `schema` lacks or names twice, or
  /// Error(Unsupported) for one whose type cannot name a directory.
  PartitionKeys(const Schema& schema, const std::vector<std::string>& columns, Partitioning::Kind flavor);
  ~PartitionKeys();
  PartitionKeys(const PartitionKeys&) = delete;
  PartitionKeys& operator=(const PartitionKeys&) = delete;

  /// The partition_by columns' indices in the schema.
  const std::vector<int>& columns() const { return columns_; }

  /// The rows of one partition in a batch.
  struct Group {
    uint32_t partition = 0;
    int64_t rows = 0;
  };
  /// Groups the rows of `batch` by partition (ids stable across batches; one partition per
  /// distinct directory), groups in order of first row; group_of_row() then says which
  /// group each row is in. Throws Error(InvalidArgument) for a value the flavor cannot name
  /// (an empty string in a Directory partitioning).
  void group(const RecordBatch& batch, std::vector<Group>& out);
  const std::vector<uint32_t>& group_of_row() const { return row_partition_; }

  /// Partition `p`'s directory below the root ("a=1/b=x", or "1/x").
  const std::string& directory(uint32_t p) const;
  /// Its values as text, per column (nullopt: null).
  std::vector<std::optional<std::string>> values(uint32_t p) const;

 private:
  struct Column;
  std::vector<int> columns_;
  std::vector<std::unique_ptr<Column>> keys_;
  Partitioning::Kind flavor_;
  struct Partition {
    std::vector<uint32_t> value_ids;  // per column
    std::string directory;
  };
  std::vector<Partition> partitions_;
  struct Combined;
  std::unique_ptr<Combined> combined_;  // (partition of the columns before, value id) -> partition
  std::vector<uint32_t> row_ids_, row_partition_;  // per row (partition, then group), reused
  std::vector<int32_t> group_of_partition_;        // per partition, reused
};

}  // namespace parkett::dataset
