#include "file/read_plan.h"

#include <climits>
#include <string_view>
#include <unordered_map>

#include "column/to_arrow.h"
#include "file/arrow_schema_hint.h"
#include "parkett/error.h"

namespace parkett::file {
namespace {

// A selected top-level field: its index among the root's children, and the leaf columns
// wanted under it (all of them when `whole`).
struct Selection {
  int32_t field = 0;
  bool whole = false;
  std::set<int32_t> leaves;
};

// The leaf columns below schema node `node`, in order.
std::vector<int32_t> leaves_under(const ParquetSchema& schema, int32_t node) {
  std::vector<int32_t> out;
  std::vector<int32_t> stack{node};
  while (!stack.empty()) {
    const SchemaNode& n = schema.node(stack.back());
    stack.pop_back();
    if (n.is_leaf()) out.push_back(n.column_index);
    for (auto c = n.children.rbegin(); c != n.children.rend(); ++c) stack.push_back(*c);
  }
  return out;
}

// The fields `names` select (top-level names, whole, or dotted Parquet paths such as "address.city"
// or "tags.list.element"), in the order of first mention; every field when `names` is empty.
// Linear in the schema: wide files (100,000 columns) must not be quadratic.
std::vector<Selection> select_fields(const ParquetSchema& schema, const std::vector<std::string>& names,
                                     const std::string& file) {
  const auto& root = schema.root();
  std::vector<Selection> out;
  if (names.empty()) {
    out.reserve(root.children.size());
    for (size_t f = 0; f < root.children.size(); ++f) out.push_back({static_cast<int32_t>(f), true, {}});
    return out;
  }
  std::unordered_map<std::string_view, int32_t> by_name;  // the first field of each name
  for (size_t f = 0; f < root.children.size(); ++f) by_name.emplace(schema.node(root.children[f]).name, static_cast<int32_t>(f));
  std::unordered_map<int32_t, size_t> slot;  // field -> its entry in `out`
  for (const auto& name : names) {
    // A top-level field whose name holds dots ("a.b", as pandas and Spark allow) is
    // selected by its whole name first; otherwise the name is a dotted path.
    const bool exact = by_name.count(name) > 0;
    const std::string top = exact ? name : name.substr(0, name.find('.'));
    auto it = by_name.find(top);
    if (it == by_name.end()) {
      throw Error(ErrorKind::InvalidArgument, "no column named '" + name + "'", ErrorContext{file, {}, {}, {}});
    }
    auto [at, added] = slot.emplace(it->second, out.size());
    if (added) out.push_back({it->second, false, {}});
    Selection& sel = out[at->second];
    if (name == top) {
      sel.whole = true;
      continue;
    }
    // The leaves under the path: they lie in the field's own (contiguous) leaf range.
    bool any = false;
    for (int32_t c : leaves_under(schema, schema.root().children[static_cast<size_t>(it->second)])) {
      const std::string& p = schema.column(c).dotted_path;
      if (p == name || (p.size() > name.size() && p.starts_with(name) && p[name.size()] == '.')) {
        sel.leaves.insert(c);
        any = true;
      }
    }
    if (!any) throw Error(ErrorKind::InvalidArgument, "no column named '" + name + "'", ErrorContext{file, {}, {}, {}});
  }
  return out;
}

// The Arrow type of a container rebuilt from its (possibly changed) children.
void rebuild_type(schema::FieldPlan& plan) {
  using Kind = schema::FieldPlan::Kind;
  if (plan.variant) return;  // its type is the Variant struct whatever its parts
  if (plan.kind == Kind::Struct) {
    std::vector<Field> fields;
    for (const auto& c : plan.children) fields.push_back(c.field);
    plan.field.type = DataType::structure(std::move(fields));
  } else if (plan.kind == Kind::List) {
    plan.field.type = DataType::list(plan.children[0].field, plan.field.type.id() == DataType::Id::LargeList);
  } else if (plan.kind == Kind::Map && plan.children.size() == 2) {
    plan.field.type = DataType::map(plan.children[0].field, plan.children[1].field, plan.field.type.keys_sorted());
  }
  plan.leaves.clear();
  if (plan.kind == Kind::Leaf) return;
  for (const auto& c : plan.children) plan.leaves.insert(plan.leaves.end(), c.leaves.begin(), c.leaves.end());
}

// Drops the parts of `plan` with none of `keep`'s leaves; false if nothing is left. Maps
// (an entry needs its key) and Variants are kept whole.
bool prune(schema::FieldPlan& plan, const std::set<int32_t>& keep) {
  using Kind = schema::FieldPlan::Kind;
  if (plan.kind == Kind::Leaf) return keep.count(plan.leaves.front()) > 0;
  bool any = false;
  for (int32_t l : plan.leaves) any = any || keep.count(l) > 0;
  if (!any) return false;
  if (plan.kind == Kind::Map || plan.variant) return true;  // a Variant needs all its parts
  std::vector<schema::FieldPlan> kept;
  for (auto& c : plan.children) {
    if (prune(c, keep)) kept.push_back(std::move(c));
  }
  plan.children = std::move(kept);
  rebuild_type(plan);
  return true;
}

// INT96 leaves are read in the unit the options ask for.
void apply_int96_unit(const ParquetSchema& schema, schema::FieldPlan& plan, TimeUnit unit) {
  for (auto& c : plan.children) apply_int96_unit(schema, c, unit);
  if (plan.kind == schema::FieldPlan::Kind::Leaf) {
    if (schema.node(plan.node).physical_type == PhysicalType::Int96) plan.field.type = column::int96_type(unit);
    return;
  }
  rebuild_type(plan);
}

// Unannotated BYTE_ARRAY leaves read as strings (OpenOptions::binary_as_string).
void apply_binary_as_string(const ParquetSchema& schema, schema::FieldPlan& plan) {
  for (auto& c : plan.children) apply_binary_as_string(schema, c);
  if (plan.kind == schema::FieldPlan::Kind::Leaf) {
    const SchemaNode& node = schema.node(plan.node);
    const bool unannotated = node.logical_type.kind == LogicalType::Kind::None && !node.converted_type;
    if (node.physical_type == PhysicalType::ByteArray && unannotated) {
      const auto as_string = [](const DataType& t) {
        if (t.id() == DataType::Id::Binary) return DataType(DataType::Id::String);
        if (t.id() == DataType::Id::LargeBinary) return DataType(DataType::Id::LargeString);
        return t;
      };
      const DataType& t = plan.field.type;
      plan.field.type = t.id() == DataType::Id::Dictionary ? DataType::dictionary(as_string(t.value_type())) : as_string(t);
    }
    return;
  }
  rebuild_type(plan);
}

// Every field nullable (OpenOptions::all_nullable) but map keys, which Arrow and Spark
// never let be null.
void apply_all_nullable(schema::FieldPlan& plan, bool map_key = false) {
  for (size_t c = 0; c < plan.children.size(); ++c) {
    apply_all_nullable(plan.children[c], plan.kind == schema::FieldPlan::Kind::Map && c == 0);
  }
  if (!map_key) plan.field.nullable = true;
  if (plan.kind != schema::FieldPlan::Kind::Leaf) rebuild_type(plan);
}

// The leaf columns of `plan` read as dictionary arrays.
void dictionary_leaves(const schema::FieldPlan& plan, std::set<int32_t>& out) {
  if (plan.kind == schema::FieldPlan::Kind::Leaf) {
    if (plan.field.type.id() == DataType::Id::Dictionary) out.insert(plan.leaves.front());
    return;
  }
  for (const auto& child : plan.children) dictionary_leaves(child, out);
}

// String and binary leaves named by `wanted` (a top-level name covers its leaves) become
// dictionary arrays.
void apply_dictionary(const ParquetSchema& schema, schema::FieldPlan& plan, const std::set<std::string>& wanted,
                      bool all) {
  using Kind = schema::FieldPlan::Kind;
  if (plan.variant) return;  // the parts of a Variant are folded into its value
  for (auto& c : plan.children) apply_dictionary(schema, c, wanted, all);
  if (plan.kind == Kind::Leaf) {
    const auto id = plan.field.type.id();
    const bool text = id == DataType::Id::String || id == DataType::Id::Binary;
    if (text && schema.node(plan.node).physical_type == PhysicalType::ByteArray &&
        (all || wanted.count(schema.column(plan.leaves.front()).dotted_path))) {
      plan.field.type = DataType::dictionary(plan.field.type);
    }
    return;
  }
  rebuild_type(plan);
}

// The plan's fields take the types of `restored` (restore_field of the plan's own field:
// the same shape), so that assembly builds the final types directly.
void apply_restored(schema::FieldPlan& plan, const Field& restored) {
  using Kind = schema::FieldPlan::Kind;
  plan.field = restored;
  if (plan.variant) return;
  const auto& types = restored.type.children();
  if (plan.kind == Kind::Struct && types.size() == plan.children.size()) {
    for (size_t i = 0; i < types.size(); ++i) apply_restored(plan.children[i], types[i]);
  } else if (plan.kind == Kind::List && types.size() == 1 && plan.children.size() == 1) {
    apply_restored(plan.children[0], types[0]);
  } else if (plan.kind == Kind::Map && plan.children.size() == 2 && types.size() == 1 &&
             types[0].type.children().size() == 2) {
    apply_restored(plan.children[0], types[0].type.children()[0]);
    apply_restored(plan.children[1], types[0].type.children()[1]);
  }
}

// Every string and binary leaf of the plan with 64-bit offsets.
void make_large(schema::FieldPlan& plan) {
  using Id = DataType::Id;
  if (plan.variant) return;
  for (auto& c : plan.children) make_large(c);
  if (plan.kind == schema::FieldPlan::Kind::Leaf) {
    if (plan.field.type.id() == Id::String) plan.field.type = DataType(Id::LargeString);
    if (plan.field.type.id() == Id::Binary) plan.field.type = DataType(Id::LargeBinary);
    return;
  }
  const std::vector<int32_t> leaves = plan.leaves;
  rebuild_type(plan);
  plan.leaves = leaves;  // a whole field keeps its column-less groups: rebuild_type recounts
}

// Whether a string leaf of `plan` may pass 2 GiB in one chunk of `groups`: its size
// statistics say so, or, without them, its uncompressed size does.
bool may_pass_2gib(const FileMetadata& md, const schema::FieldPlan& plan, const std::vector<int32_t>& groups) {
  const ParquetSchema& schema = md.schema();
  for (int32_t c : plan.leaves) {
    if (schema.column(c).physical_type != PhysicalType::ByteArray) continue;
    for (int32_t g : groups) {
      if (g < 0 || g >= md.num_row_groups()) continue;  // refused where the group is read
      const ColumnChunkMetadata chunk = md.row_group(g).column(c);
      if (chunk.metadata_encrypted()) continue;
      const auto sizes = chunk.size_statistics();
      const int64_t bytes = sizes && sizes->unencoded_byte_array_data_bytes ? *sizes->unencoded_byte_array_data_bytes
                                                                            : chunk.total_uncompressed_size();
      if (bytes > INT32_MAX) return true;
    }
  }
  return false;
}

}  // namespace

std::vector<std::string> paths_of_field_ids(const ParquetSchema& schema, const std::vector<int32_t>& ids,
                                            const std::string& file) {
  std::unordered_map<int32_t, std::vector<int32_t>> carriers;  // id -> nodes carrying it
  for (size_t n = 1; n < schema.nodes().size(); ++n) {
    if (const auto id = schema.nodes()[n].field_id) carriers[*id].push_back(static_cast<int32_t>(n));
  }
  const ErrorContext where{file, {}, {}, {}};
  if (carriers.empty()) {
    throw Error(ErrorKind::NotFound, "columns are chosen by field id, but the file's schema has no field ids", where);
  }
  auto path_of = [&schema](int32_t node) {
    std::string path = schema.node(node).name;
    for (int32_t p = schema.node(node).parent; p > 0; p = schema.node(p).parent) path = schema.node(p).name + "." + path;
    return path;
  };
  std::vector<std::string> out;
  for (const int32_t id : ids) {
    const auto it = carriers.find(id);
    if (it == carriers.end()) throw Error(ErrorKind::NotFound, "no field has field id " + std::to_string(id), where);
    if (it->second.size() > 1) {
      throw Error(ErrorKind::InvalidArgument, "field id " + std::to_string(id) + " is carried by both '" +
                                                  path_of(it->second[0]) + "' and '" + path_of(it->second[1]) +
                                                  "': columns cannot be matched by it",
                  where);
    }
    out.push_back(path_of(it->second[0]));
  }
  return out;
}

Schema ReadPlan::schema() const {
  Schema out;
  out.fields.reserve(fields.size());
  for (const ReadField& f : fields) out.fields.push_back(f.output);
  return out;
}

ReadPlan make_read_plan(const FileMetadata& metadata, const ReadOptions& options, const std::string& file) {
  const ParquetSchema& schema = metadata.schema();
  const auto stored = options.use_arrow_schema ? stored_arrow_schema(metadata) : std::nullopt;
  const std::set<std::string> wanted(options.read_dictionary.begin(), options.read_dictionary.end());
  ReadPlan out;
  for (const Selection& sel : select_fields(schema, options.columns, file)) {
    const int32_t node = schema.root().children[static_cast<size_t>(sel.field)];
    ReadField f;
    f.field_index = sel.field;
    f.plan = schema::plan_field(schema, node);
    schema::FieldPlan& plan = f.plan;
    f.whole = sel.whole || sel.leaves.size() == plan.leaves.size();
    // A whole field keeps its groups without columns (prune would drop them).
    if (!f.whole) prune(plan, sel.leaves);
    apply_int96_unit(schema, plan, options.int96_unit);
    // stored_arrow_schema checked that its fields match the root's children one by one.
    const schema::ArrowField* hint = stored ? &stored->fields[static_cast<size_t>(sel.field)] : nullptr;
    const std::string& name = schema.node(node).name;
    const bool whole = wanted.count(name) > 0 || (hint && hint->dictionary);
    if (whole || !wanted.empty()) apply_dictionary(schema, plan, wanted, whole);
    if (hint) apply_restored(plan, restore_field(plan.field, *hint));
    if (options.binary_as_string) apply_binary_as_string(schema, plan);
    if (options.all_nullable) apply_all_nullable(plan);
    f.output = plan.field;
    dictionary_leaves(plan, f.dictionary_leaves);
    out.fields.push_back(std::move(f));
  }
  return out;
}

ReadPlan make_scan_plan(const FileMetadata& metadata, const ReadOptions& options, const std::string& file) {
  ReadPlan plan = make_read_plan(metadata, options, file);
  std::vector<int32_t> groups = options.row_groups;
  if (groups.empty()) {
    for (int32_t g = 0; g < metadata.num_row_groups(); ++g) groups.push_back(g);
  }
  for (ReadField& f : plan.fields) {
    if (!may_pass_2gib(metadata, f.plan, groups)) continue;
    make_large(f.plan);
    f.output = f.plan.field;
  }
  return plan;
}

}  // namespace parkett::file
