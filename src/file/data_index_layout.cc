#include "file/data_index_layout.h"

#include <cstdio>
#include <random>

#include <nlohmann/json.hpp>

#include "parkett/version.h"

namespace parkett::file {
namespace {

using Json = nlohmann::ordered_json;

std::string joined(const std::vector<std::string>& columns) {
  std::string out;
  for (const std::string& c : columns) out += (out.empty() ? "" : ",") + c;
  return out;
}

std::string writer_version() { return std::string("parkett ") + version(); }

std::optional<Json> parsed_object(const std::string& text) {
  Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return std::nullopt;
  return j;
}

// A path that stays below the data file's directory.
bool relative_below(const std::string& path) {
  if (path.empty() || path[0] == '/' || path.find('\\') != std::string::npos || path.find(':') != std::string::npos) {
    return false;
  }
  size_t start = 0;
  for (;;) {
    const size_t slash = path.find('/', start);
    const std::string segment = path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (segment.empty() || segment == "..") return false;
    if (slash == std::string::npos) return true;
    start = slash + 1;
  }
}

}  // namespace

std::string new_index_token() {
  std::random_device random;
  std::string out;
  for (int i = 0; i < 4; ++i) {
    char part[9];
    std::snprintf(part, sizeof part, "%08x", static_cast<unsigned>(random()));
    out += part;
  }
  return out;
}

bool lists_sidecars(const std::string& table_info) {
  const std::optional<Json> j = parsed_object(table_info);
  return j && (j->contains("dataIndexes") || j->contains("groupingColumns"));
}

std::string per_file_key(const char* prefix, const std::string& relative_path) {
  std::string key = prefix + relative_path;
  for (char& c : key) {
    if (c == '/') c = '_';
  }
  return key;
}

std::string data_index_path(const std::vector<std::string>& columns, const std::string& data_file_name) {
  const std::string key = joined(columns);
  return ".dh_metadata/indexes/" + key + "/index_" + key + "_" + data_file_name;
}

std::string data_file_table_info(const std::string* inherited, const std::vector<DataIndexEntry>& indexes) {
  // Deephaven's field order: version, groupingColumns, dataIndexes, columnTypes,
  // sortingColumns. What another file listed of its own sidecars is dropped: they are not
  // beside this one.
  Json out = Json::object();
  out["version"] = writer_version();
  if (!indexes.empty()) {
    Json list = Json::array();
    for (const DataIndexEntry& e : indexes) list.push_back({{"columns", e.columns}, {"indexTablePath", e.path}});
    out["dataIndexes"] = std::move(list);
  }
  if (inherited) {
    if (const std::optional<Json> j = parsed_object(*inherited)) {
      for (const auto& [key, value] : j->items()) {
        if (key != "version" && key != "groupingColumns" && key != "dataIndexes") out[key] = value;
      }
    }
  }
  return out.dump();
}

std::string index_file_table_info(const std::vector<std::string>& columns) {
  Json sorting = Json::array();
  for (const std::string& c : columns) sorting.push_back({{"columnName", c}, {"sortDirection", "Ascending"}});
  Json out = Json::object();
  out["version"] = writer_version();
  out["columnTypes"] = Json::array({{{"columnName", kRowSetColumn},
                                     {"codec",
                                      {{"codecName", "io.deephaven.engine.table.impl.dataindex.RowSetCodec"},
                                       {"dataType", "io.deephaven.engine.rowset.RowSet"}}}}});
  out["sortingColumns"] = std::move(sorting);
  return out.dump();
}

std::vector<ListedIndex> listed_indexes(const std::string& table_info) {
  std::vector<ListedIndex> out;
  const std::optional<Json> j = parsed_object(table_info);
  if (!j) return out;
  const auto text = [](const Json& o, const char* key) -> std::string {
    const auto it = o.find(key);
    return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  if (const auto it = j->find("dataIndexes"); it != j->end() && it->is_array()) {
    for (const Json& index : *it) {
      if (!index.is_object()) continue;
      ListedIndex listed;
      listed.entry.path = text(index, "indexTablePath");
      const auto columns = index.find("columns");
      if (!relative_below(listed.entry.path) || columns == index.end() || !columns->is_array() || columns->empty()) continue;
      bool strings = true;
      for (const Json& c : *columns) {
        if (!c.is_string()) strings = false;
        else listed.entry.columns.push_back(c.get<std::string>());
      }
      if (strings) out.push_back(std::move(listed));
    }
  }
  if (const auto it = j->find("groupingColumns"); it != j->end() && it->is_array()) {
    for (const Json& grouping : *it) {
      if (!grouping.is_object()) continue;
      ListedIndex listed;
      listed.grouping = true;
      listed.entry.path = text(grouping, "groupingTablePath");
      const std::string column = text(grouping, "columnName");
      if (!relative_below(listed.entry.path) || column.empty()) continue;
      listed.entry.columns = {column};
      out.push_back(std::move(listed));
    }
  }
  return out;
}

}  // namespace parkett::file
