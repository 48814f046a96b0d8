#include "dataset/schema_merge.h"

#include <optional>
#include <unordered_map>

#include "dataset/conform.h"
#include "parkett/error.h"

namespace parkett::dataset {
namespace {

using Id = DataType::Id;

// Where two types do not merge: the dotted path below the column, and the types there.
struct Conflict {
  std::string path;
  DataType a, b;
};

std::optional<DataType> merged_type(const DataType& a, const DataType& b, bool ci, Conflict& conflict);

// The fields of `a` and then those only `b` has; a field either lacks becomes nullable.
std::optional<std::vector<Field>> merged_fields(const std::vector<Field>& a, const std::vector<Field>& b, bool ci,
                                                Conflict& conflict) {
  std::vector<Field> out = a;
  const FieldNames in_b(b, ci);
  for (Field& f : out) {
    if (in_b.find(f.name) < 0) f.nullable = true;
  }
  FieldNames index(out, ci);
  for (const Field& f : b) {
    const int at = index.find(f.name);
    if (at < 0) {
      index.add(f.name, out.size());
      out.push_back(f);
      out.back().nullable = true;
      continue;
    }
    Field& have = out[static_cast<size_t>(at)];
    const auto type = merged_type(have.type, f.type, ci, conflict);
    if (!type) {
      conflict.path = have.name + (conflict.path.empty() ? "" : "." + conflict.path);
      return std::nullopt;
    }
    have.type = *type;
    have.nullable = have.nullable || f.nullable;
  }
  return out;
}

// The type values of both `a` and `b` read as, if there is one.
std::optional<DataType> merged_type(const DataType& a, const DataType& b, bool ci, Conflict& conflict) {
  conflict = {"", a, b};
  if (a == b || b.id() == Id::Null) return a;
  if (a.id() == Id::Null) return b;
  if (a.id() != b.id() || (a.id() != Id::Struct && a.id() != Id::List && a.id() != Id::LargeList && a.id() != Id::Map)) {
    if (widens(a, b)) return b;
    if (widens(b, a)) return a;
    return std::nullopt;
  }
  if (a.id() == Id::Struct) {
    const auto fields = merged_fields(a.children(), b.children(), ci, conflict);
    if (!fields) return std::nullopt;
    return DataType::structure(*fields);
  }
  // Lists' elements, and maps' keys and values, by position: writers name them differently
  // (element, item, array; key_value, entries), and the first file's names are kept.
  const bool map = a.id() == Id::Map;
  std::vector<Field> have = map ? a.children().at(0).type.children() : a.children();
  const std::vector<Field>& add = map ? b.children().at(0).type.children() : b.children();
  if (have.size() != add.size()) return std::nullopt;
  for (size_t i = 0; i < have.size(); ++i) {
    const auto type = merged_type(have[i].type, add[i].type, ci, conflict);
    if (!type) {
      conflict.path = have[i].name + (conflict.path.empty() ? "" : "." + conflict.path);
      return std::nullopt;
    }
    have[i].type = *type;
    have[i].nullable = have[i].nullable || add[i].nullable;
  }
  if (map) return DataType::map(have.at(0), have.at(1), a.keys_sorted() && b.keys_sorted());
  return DataType::list(have.at(0), a.id() == Id::LargeList);
}

// Error(InvalidArgument) when two of `fields` (of the file `path`) have one name ignoring
// case, which case-insensitive matching cannot tell apart (as Spark refuses them).
void check_distinct(const std::vector<Field>& fields, const std::string& path, const std::string& prefix) {
  std::unordered_map<std::string, const std::string*> seen;  // lower-cased name -> the field's
  for (const Field& f : fields) {
    const auto [it, added] = seen.emplace(lower_case(f.name), &f.name);
    if (!added) {
      throw Error(ErrorKind::InvalidArgument, "file '" + path + "' has the fields '" + prefix + *it->second +
                                                  "' and '" + prefix + f.name +
                                                  "', which case-insensitive names cannot tell apart");
    }
    if (f.type.id() == Id::Struct) check_distinct(f.type.children(), path, prefix + f.name + ".");
  }
}

std::string dotted(const std::string& column, const std::string& below) {
  return below.empty() ? column : column + "." + below;
}

}  // namespace

Schema merge_schemas(const std::vector<Schema>& schemas, const std::vector<std::string>& paths, SchemaMerge how,
                     bool ci) {
  Schema out;
  if (schemas.empty()) return out;
  if (ci) {
    for (size_t f = 0; f < schemas.size(); ++f) check_distinct(schemas[f].fields, paths[f], "");
  }
  out = schemas[0];
  FieldNames index(out.fields, ci);
  std::vector<size_t> origin(out.fields.size(), 0);  // the file whose type each field has
  for (size_t f = 1; f < schemas.size(); ++f) {
    for (const Field& field : schemas[f].fields) {
      const int at = index.find(field.name);
      if (at < 0) {
        if (how == SchemaMerge::None) {
          throw Error(ErrorKind::InvalidArgument,
                      "file '" + paths[f] + "' has the field '" + field.name + "', which '" + paths[0] +
                          "' has not (SchemaMerge::Union reads such datasets)");
        }
        origin.push_back(f);
        index.add(field.name, out.fields.size());
        out.fields.push_back(field);
        out.fields.back().nullable = true;  // the files before read it as nulls
        continue;
      }
      Field& have = out.fields[static_cast<size_t>(at)];
      if (how == SchemaMerge::None) {
        std::string where;
        if (!reads_as(field.type, have.type, Fit{ci, false}, where)) {
          throw Error(ErrorKind::InvalidArgument, "field '" + dotted(have.name, where) + "' of '" + paths[f] +
                                                      "' (" + field.type.to_string() + ") does not read as in '" +
                                                      paths[0] + "' (" + have.type.to_string() + ")");
        }
        continue;
      }
      Conflict conflict;
      const auto type = merged_type(have.type, field.type, ci, conflict);
      if (!type) {
        throw Error(ErrorKind::InvalidArgument,
                    "field '" + dotted(have.name, conflict.path) + "' is " + conflict.a.to_string() + " in '" +
                        paths[origin[static_cast<size_t>(at)]] + "' and " + conflict.b.to_string() + " in '" +
                        paths[f] + "'");
      }
      if (!(*type == have.type)) origin[static_cast<size_t>(at)] = f;
      have.type = *type;
      have.nullable = have.nullable || field.nullable;
    }
    const FieldNames in_file(schemas[f].fields, ci);
    for (Field& have : out.fields) {
      if (in_file.find(have.name) >= 0) continue;
      if (how == SchemaMerge::None) {
        throw Error(ErrorKind::InvalidArgument, "file '" + paths[f] + "' lacks the field '" + have.name + "' of '" +
                                                    paths[0] + "' (SchemaMerge::Union reads such datasets)");
      }
      have.nullable = true;  // this file reads it as nulls
    }
  }
  return out;
}

}  // namespace parkett::dataset
