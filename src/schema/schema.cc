#include "parkett/schema.h"

#include <algorithm>
#include <functional>

#include "parkett/error.h"

namespace parkett {
namespace {

constexpr int kMaxNesting = 1000;  // deeper trees are refused, whatever the levels say

[[noreturn]] void bad_schema(const std::string& what) {
  throw Error(ErrorKind::Corrupt, "invalid schema: " + what);
}

}  // namespace

ParquetSchema ParquetSchema::from_flat(std::vector<SchemaNode> nodes,
                                       const std::vector<int32_t>& num_children) {
  if (nodes.empty()) bad_schema("the schema has no root element");
  if (num_children.size() != nodes.size()) bad_schema("child counts do not match the nodes");
  ParquetSchema schema;
  schema.nodes_ = std::move(nodes);
  auto& all = schema.nodes_;
  const int32_t n = static_cast<int32_t>(all.size());

  // Depth-first walk: a stack of (group, children still to come).
  struct Open {
    int32_t node;
    int32_t remaining;
  };
  std::vector<Open> stack;
  std::vector<std::string> path;
  for (int32_t i = 0; i < n; ++i) {
    SchemaNode& node = all[static_cast<size_t>(i)];
    node.children.clear();
    int32_t children = num_children[static_cast<size_t>(i)];
    if (children < 0) {
      bad_schema("element " + std::to_string(i) + " ('" + node.name + "') has " +
                 std::to_string(children) + " children");
    }
    if (i == 0) {
      node.parent = -1;
      node.repetition = Repetition::Required;
      node.physical_type.reset();  // the root is a group whatever its type says
    } else {
      if (stack.empty()) {
        bad_schema("element " + std::to_string(i) + " ('" + node.name +
                   "') is outside the root's " + std::to_string(all[0].children.size()) +
                   " children");
      }
      Open& parent = stack.back();
      node.parent = parent.node;
      all[static_cast<size_t>(parent.node)].children.push_back(i);
      const SchemaNode& p = all[static_cast<size_t>(parent.node)];
      int rep = p.max_repetition_level + (node.repetition == Repetition::Repeated ? 1 : 0);
      int def = p.max_definition_level + (node.repetition == Repetition::Optional ||
                                                  node.repetition == Repetition::Repeated
                                              ? 1
                                              : 0);
      if (def > INT16_MAX || rep > INT16_MAX) bad_schema("nesting levels exceed 32767");
      node.max_definition_level = static_cast<int16_t>(def);
      node.max_repetition_level = static_cast<int16_t>(rep);
      --parent.remaining;
    }
    if (children > 0) {
      node.physical_type.reset();  // groups carry no physical type
      if (static_cast<int64_t>(children) > n - 1 - i) {
        bad_schema("element " + std::to_string(i) + " ('" + node.name + "') claims " +
                   std::to_string(children) + " children but only " +
                   std::to_string(n - 1 - i) + " elements follow");
      }
      if (stack.size() >= kMaxNesting) bad_schema("nesting deeper than 1000");
      stack.push_back({i, children});
    }
    while (!stack.empty() && stack.back().remaining == 0) stack.pop_back();
  }
  if (!stack.empty()) {
    bad_schema("element '" + all[static_cast<size_t>(stack.back().node)].name + "' is missing " +
               std::to_string(stack.back().remaining) + " children");
  }

  // Each leaf keeps its whole path: a long group name above many leaves is copied into every
  // one. Refuse paths that would take far more memory than the names themselves.
  {
    std::vector<uint64_t> path_bytes(static_cast<size_t>(n), 0);
    uint64_t names = 0, total = 0;
    for (int32_t i = 1; i < n; ++i) {
      const SchemaNode& node = all[static_cast<size_t>(i)];
      names += node.name.size();
      const uint64_t above = node.parent > 0 ? path_bytes[static_cast<size_t>(node.parent)] : 0;
      path_bytes[static_cast<size_t>(i)] = above + node.name.size() + 1;
      if (node.is_leaf()) total += path_bytes[static_cast<size_t>(i)];
    }
    if (total > std::max<uint64_t>(uint64_t{256} << 20, 64 * names)) {
      throw Error(ErrorKind::ResourceLimit, "invalid schema: the column paths would take " + std::to_string(total) +
                                                " bytes for " + std::to_string(names) + " bytes of names");
    }
  }

  // Leaves in depth-first order are the column chunks.
  schema.columns_.reserve(static_cast<size_t>(n));
  for (int32_t i = 1; i < n; ++i) {
    SchemaNode& node = all[static_cast<size_t>(i)];
    if (!node.is_leaf()) continue;
    ColumnDescriptor col;
    col.node = i;
    size_t depth = 0;
    for (int32_t at = i; at > 0; at = all[static_cast<size_t>(at)].parent) ++depth;
    col.path.resize(depth);
    for (int32_t at = i; at > 0; at = all[static_cast<size_t>(at)].parent) {
      col.path[--depth] = all[static_cast<size_t>(at)].name;
    }
    for (const auto& part : col.path) {
      if (!col.dotted_path.empty()) col.dotted_path += '.';
      col.dotted_path += part;
    }
    col.physical_type = *node.physical_type;
    col.max_definition_level = node.max_definition_level;
    col.max_repetition_level = node.max_repetition_level;
    node.column_index = static_cast<int32_t>(schema.columns_.size());
    schema.columns_.push_back(std::move(col));
  }
  return schema;
}

int32_t ParquetSchema::find_column(const std::string& dotted_path) const {
  for (const auto& c : columns_) {
    if (c.dotted_path == dotted_path) return nodes_[static_cast<size_t>(c.node)].column_index;
  }
  return -1;
}

std::vector<int32_t> ParquetSchema::columns_under(const std::string& dotted_path) const {
  std::vector<int32_t> out;
  for (size_t i = 0; i < columns_.size(); ++i) {
    const std::string& p = columns_[i].dotted_path;
    if (p == dotted_path ||
        (p.size() > dotted_path.size() && p.compare(0, dotted_path.size(), dotted_path) == 0 &&
         p[dotted_path.size()] == '.')) {
      out.push_back(static_cast<int32_t>(i));
    }
  }
  return out;
}

std::string ParquetSchema::to_string() const {
  std::string out;
  if (nodes_.empty()) return out;
  std::function<void(int32_t, int)> print = [&](int32_t i, int indent) {
    const SchemaNode& node = nodes_[static_cast<size_t>(i)];
    out.append(static_cast<size_t>(indent) * 2, ' ');
    out += parkett::to_string(node.repetition);
    out += ' ';
    if (node.is_leaf()) {
      switch (*node.physical_type) {
        case PhysicalType::Boolean: out += "boolean"; break;
        case PhysicalType::Int32: out += "int32"; break;
        case PhysicalType::Int64: out += "int64"; break;
        case PhysicalType::Int96: out += "int96"; break;
        case PhysicalType::Float: out += "float"; break;
        case PhysicalType::Double: out += "double"; break;
        case PhysicalType::ByteArray: out += "binary"; break;
        case PhysicalType::FixedLenByteArray:
          out += "fixed_len_byte_array(" + std::to_string(node.type_length) + ")";
          break;
        default: out += parkett::to_string(*node.physical_type); break;
      }
    } else {
      out += "group";
    }
    out += " field_id=" + std::to_string(node.field_id.value_or(-1)) + " " + node.name;
    if (node.logical_type.kind != LogicalType::Kind::None) {
      out += " (" + node.logical_type.to_string() + ")";
    } else if (node.converted_type) {
      out += " (" + parkett::to_string(*node.converted_type) + ")";
    }
    if (node.is_leaf()) {
      out += ";\n";
      return;
    }
    out += " {\n";
    for (int32_t c : node.children) print(c, indent + 1);
    out.append(static_cast<size_t>(indent) * 2, ' ');
    out += "}\n";
  };
  print(0, 0);
  return out;
}

}  // namespace parkett
