#include "dataset/projection.h"

#include <map>

#include "dataset/conform.h"
#include "parkett/error.h"

namespace parkett::dataset {
namespace {

using Id = DataType::Id;

const Field* child(const DataType& type, const std::string& name, bool case_insensitive) {
  if (type.id() != Id::Struct) return nullptr;
  for (const Field& f : type.children()) {
    if (same_name(f.name, name, case_insensitive)) return &f;
  }
  return nullptr;
}

void collect(const DataType& selected, const DataType& full, const std::string& prefix, const DataType& file_type,
             bool case_insensitive, std::vector<std::string>& out) {
  for (const Field& want : selected.children()) {
    const Field* have = child(file_type, want.name, case_insensitive);
    if (!have) continue;  // read as nulls
    const Field* whole = child(full, want.name, false);
    const std::string path = prefix + "." + have->name;
    if (!whole || want.type == whole->type || have->type.id() != Id::Struct) {
      out.push_back(path);
    } else {
      collect(want.type, whole->type, path, have->type, case_insensitive, out);
    }
  }
}

}  // namespace

DataType select_fields(const DataType& type, const std::vector<std::string>& paths, const std::string& column) {
  // The paths grouped by their first field; an empty rest selects the whole field.
  std::map<std::string, std::vector<std::string>> below;
  for (const std::string& p : paths) {
    const size_t dot = p.find('.');
    const std::string first = p.substr(0, dot);
    if (!child(type, first, false)) {
      throw Error(ErrorKind::InvalidArgument, "the dataset has no column '" + column + "." + p +
                                                  "' (dotted paths select fields of structs)");
    }
    below[first].push_back(dot == std::string::npos ? std::string() : p.substr(dot + 1));
  }
  std::vector<Field> fields;
  for (const Field& f : type.children()) {
    const auto it = below.find(f.name);
    if (it == below.end()) continue;
    bool whole = false;
    std::vector<std::string> rest;
    for (const std::string& r : it->second) {
      if (r.empty()) whole = true;
      else rest.push_back(r);
    }
    Field kept = f;
    if (!whole) kept.type = select_fields(f.type, rest, column + "." + f.name);
    fields.push_back(std::move(kept));
  }
  return DataType::structure(std::move(fields));
}

std::vector<std::string> file_paths(const DataType& selected, const DataType& full, const std::string& file_column,
                                    const DataType& file_type, bool case_insensitive) {
  std::vector<std::string> out;
  collect(selected, full, file_column, file_type, case_insensitive, out);
  return out;
}

}  // namespace parkett::dataset
