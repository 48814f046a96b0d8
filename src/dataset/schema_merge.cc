#include "dataset/schema_merge.h"

#include <optional>

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

int find(const std::vector<Field>& fields, const std::string& name, bool case_insensitive) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (same_name(fields[i].name, name, case_insensitive)) return static_cast<int>(i);
  }
  return -1;
}

std::optional<DataType> merged_type(const DataType& a, const DataType& b, bool ci, Conflict& conflict);

// The fields of `a` and then those only `b` has; a field either lacks becomes nullable.
std::optional<std::vector<Field>> merged_fields(const std::vector<Field>& a, const std::vector<Field>& b, bool ci,
                                                Conflict& conflict) {
  std::vector<Field> out = a;
  for (Field& f : out) {
    if (find(b, f.name, ci) < 0) f.nullable = true;
  }
  for (const Field& f : b) {
    const int at = find(out, f.name, ci);
    if (at < 0) {
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
  const auto fields = merged_fields(a.children(), b.children(), ci, conflict);
  if (!fields) return std::nullopt;
  switch (a.id()) {
    case Id::Struct: return DataType::structure(*fields);
    case Id::Map: {
      const auto& entries = fields->at(0).type.children();
      if (entries.size() != 2) return std::nullopt;
      return DataType::map(entries[0], entries[1], a.keys_sorted() && b.keys_sorted());
    }
    default: return DataType::list(fields->at(0), a.id() == Id::LargeList);
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
  out = schemas[0];
  std::vector<size_t> origin(out.fields.size(), 0);  // the file whose type each field has
  for (size_t f = 1; f < schemas.size(); ++f) {
    for (const Field& field : schemas[f].fields) {
      const int at = find(out.fields, field.name, ci);
      if (at < 0) {
        if (how == SchemaMerge::None) {
          throw Error(ErrorKind::InvalidArgument,
                      "file '" + paths[f] + "' has the field '" + field.name + "', which '" + paths[0] +
                          "' has not (SchemaMerge::Union reads such datasets)");
        }
        origin.push_back(f);
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
    for (Field& have : out.fields) {
      if (find(schemas[f].fields, have.name, ci) >= 0) continue;
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
