// Where Deephaven keeps the data indexes of a Parquet file and how the files name them
// (deephaven-core's ParquetTools and TableInfo; src/file/README.md): an index on columns
// a,b of `t.parquet` is the Parquet file `.dh_metadata/indexes/a,b/index_a,b_t.parquet`
// beside it, and the data file's footer lists its indexes in the JSON of its `deephaven`
// key ({"version", "dataIndexes": [{"columns", "indexTablePath"}]}, the path relative to
// the data file's directory). The index file's own `deephaven` key says that its
// `dh_row_set` column holds row sets (RowSetCodec) and that it is sorted by its keys.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace parkett::file {

inline constexpr const char* kDeephavenKey = "deephaven";
inline constexpr const char* kRowSetColumn = "dh_row_set";
/// parkett's own key, in a data file and its index files alike: one random value per write,
/// so that a reader never pairs a file with the index of an earlier write of that name.
inline constexpr const char* kIndexTokenKey = "parkett.data_index_token";

/// A fresh token.
std::string new_index_token();

struct DataIndexEntry {
  std::vector<std::string> columns;
  std::string path;  // relative to the data file's directory, '/'-separated
};

/// The index's path relative to the data file's directory.
std::string data_index_path(const std::vector<std::string>& columns, const std::string& data_file_name);

/// The data file's `deephaven` value: `inherited` (the value of a file this one was read
/// from, or nullptr) without the indexes it named, with `indexes` listed.
std::string data_file_table_info(const std::string* inherited, const std::vector<DataIndexEntry>& indexes);

/// The index file's `deephaven` value.
std::string index_file_table_info(const std::vector<std::string>& columns);

/// Whether a `deephaven` value lists indexes or groupings (sidecars beside its file).
bool lists_sidecars(const std::string& table_info);

/// The keys under which `_metadata` keeps one file's own `deephaven` value (as Deephaven
/// names it: "deephaven_per_file_" and the file's path below the root, '/' as '_') and its
/// index token ("parkett.data_index_token_per_file_" and the same).
inline constexpr const char* kPerFileTableInfoPrefix = "deephaven_per_file_";
inline constexpr const char* kPerFileTokenPrefix = "parkett.data_index_token_per_file_";
std::string per_file_key(const char* prefix, const std::string& relative_path);

/// The indexes a data file's `deephaven` value lists: dataIndexes, and the one-column
/// groupings of older Deephaven versions (key column dh_key, rows [dh_begin_pos,
/// dh_end_pos)) as entries with `grouping` set. A value that is not the JSON Deephaven
/// writes lists none; an entry whose path could leave the data file's directory (absolute,
/// `..`, a URL) is left out.
struct ListedIndex {
  DataIndexEntry entry;
  bool grouping = false;
};
std::vector<ListedIndex> listed_indexes(const std::string& table_info);

}  // namespace parkett::file
