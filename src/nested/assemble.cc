#include "nested/assemble.h"

#include <algorithm>
#include <string>
#include <vector>

#include "column/to_arrow.h"
#include "parkett/error.h"
#include "variant/shredded.h"

namespace parkett::nested {
namespace {

using schema::FieldPlan;

struct Range {
  int64_t begin, end;
};
// The slots of one field in each of its leaves (keyed by leaf column index).
using Slots = std::map<int32_t, std::vector<Range>>;

[[noreturn]] void corrupt(const std::string& what) { throw Error(ErrorKind::Corrupt, what); }

// The type of a struct, list or map built from the plan, given the types its children were
// built with: the same unless a string leaf below passed 2 GiB and took 64-bit offsets.
DataType with_child_types(const DataType& type, const std::vector<ArrayPtr>& children) {
  using Id = DataType::Id;
  std::vector<Field> fields = type.children();
  if (fields.size() != children.size()) return type;
  bool changed = false;
  for (size_t i = 0; i < fields.size(); ++i) {
    const DataType& planned = fields[i].type;
    const DataType& built = children[i]->type;
    if (planned == built) continue;
    const bool widened = built.id() == planned.id() || (planned.id() == Id::String && built.id() == Id::LargeString) ||
                         (planned.id() == Id::Binary && built.id() == Id::LargeBinary);
    if (!widened) continue;  // a stand-in child (the null values of a map without them)
    fields[i].type = built;
    changed = true;
  }
  if (!changed) return type;
  switch (type.id()) {
    case Id::Struct: return DataType::structure(std::move(fields));
    case Id::List:
    case Id::LargeList: return DataType::list(std::move(fields[0]), type.id() == Id::LargeList);
    case Id::Map: {
      const auto& kv = fields[0].type.children();
      return DataType::map(kv.at(0), kv.at(1), type.keys_sorted());
    }
    default: return type;
  }
}

class Assembler {
 public:
  Assembler(const ParquetSchema& schema, const std::map<int32_t, column::LeafColumn*>& leaves)
      : schema_(schema), leaves_(leaves) {}

  ArrayPtr build(const FieldPlan& plan, const Slots& slots) {
    if (plan.leaves.empty()) {  // columnless() takes these before they get here
      throw Error(ErrorKind::Internal, "field '" + plan.field.name + "' has no columns to assemble");
    }
    const size_t n = slots.at(plan.leaves.front()).size();
    for (int32_t leaf : plan.leaves) {
      if (slots.at(leaf).size() != n) {
        corrupt("columns under '" + plan.field.name + "' disagree on the number of values (" +
                std::to_string(n) + " and " + std::to_string(slots.at(leaf).size()) + ")");
      }
    }
    switch (plan.kind) {
      case FieldPlan::Kind::Leaf: return leaf(plan, slots.at(plan.leaves.front()));
      case FieldPlan::Kind::Struct: return structure(plan, slots, n);
      case FieldPlan::Kind::List:
      case FieldPlan::Kind::Map: return list(plan, slots, n);
    }
    return nullptr;
  }

 private:
  column::LeafColumn& leaf_of(int32_t column) const { return *leaves_.at(column); }

  int16_t def_at(int32_t column, int64_t entry) const {
    const auto& l = leaf_of(column);
    return l.def_levels.empty() ? 0 : l.def_levels[static_cast<size_t>(entry)];
  }
  int16_t rep_at(int32_t column, int64_t entry) const {
    const auto& l = leaf_of(column);
    return l.rep_levels.empty() ? 0 : l.rep_levels[static_cast<size_t>(entry)];
  }

  // Validity of each slot from the first leaf's first entry; null when all are valid.
  std::shared_ptr<Buffer> validity(const FieldPlan& plan, const std::vector<Range>& ranges,
                                   int64_t& null_count) const {
    null_count = 0;
    if (!plan.field.nullable) return nullptr;
    const int32_t first = plan.leaves.front();
    auto bits = Buffer::allocate((ranges.size() + 7) / 8, true);
    for (size_t i = 0; i < ranges.size(); ++i) {
      if (def_at(first, ranges[i].begin) >= plan.def_valid) {
        bits->data()[i >> 3] |= static_cast<uint8_t>(1u << (i & 7));
      } else {
        ++null_count;
      }
    }
    return null_count ? bits : nullptr;
  }

  ArrayPtr leaf(const FieldPlan& plan, const std::vector<Range>& ranges) const {
    std::vector<int64_t> entries(ranges.size());
    for (size_t i = 0; i < ranges.size(); ++i) {
      if (ranges[i].end - ranges[i].begin != 1) {
        corrupt("column '" + schema_.column(plan.leaves.front()).dotted_path +
                "' repeats where its schema does not");
      }
      entries[i] = ranges[i].begin;
    }
    const ColumnDescriptor& desc = schema_.column(plan.leaves.front());
    return column::leaf_to_arrow(leaf_of(plan.leaves.front()), &entries, desc,
                                 schema_.node(desc.node), plan.field.type);
  }

  ArrayPtr structure(const FieldPlan& plan, const Slots& slots, size_t n) {
    auto out = std::make_shared<ArrayData>();
    out->type = plan.field.type;
    if (plan.variant) {
      // Read the group's Parquet fields as they are, then fold them into Variant values.
      std::vector<Field> fields;
      for (const auto& c : plan.children) fields.push_back(c.field);
      out->type = DataType::structure(std::move(fields));
    }
    out->length = static_cast<int64_t>(n);
    out->buffers.push_back(validity(plan, slots.at(plan.leaves.front()), out->null_count));
    for (const auto& child : plan.children) {
      if (child.leaves.empty()) {
        // A group without columns beside ones with columns: present wherever this struct is.
        out->children.push_back(columnless(child, out->length, out->buffers[0], out->null_count));
        continue;
      }
      Slots sub;
      for (int32_t l : child.leaves) sub[l] = slots.at(l);
      out->children.push_back(build(child, sub));
    }
    if (plan.variant) return variant::reassemble(*out, plan, schema_);
    out->type = with_child_types(out->type, out->children);
    return out;
  }

  [[noreturn]] void disagree(const FieldPlan& plan, int32_t leaf) const {
    corrupt("column '" + schema_.column(leaf).dotted_path + "' and column '" +
            schema_.column(plan.leaves.front()).dotted_path + "' disagree on the lengths of '" + plan.field.name + "'");
  }

  // Lists and maps: each non-empty slot splits into element slots where the repetition level
  // equals the list's.
  ArrayPtr list(const FieldPlan& plan, const Slots& slots, size_t n) {
    auto out = std::make_shared<ArrayData>();
    out->type = plan.field.type;
    out->length = static_cast<int64_t>(n);
    const int32_t first = plan.leaves.front();
    out->buffers.push_back(validity(plan, slots.at(first), out->null_count));
    const bool large = plan.field.type.id() == DataType::Id::LargeList;
    auto offsets = Buffer::allocate((n + 1) * (large ? sizeof(int64_t) : sizeof(int32_t)));
    Slots elements;
    std::vector<int64_t> first_counts;  // elements per slot in the first leaf
    for (int32_t l : plan.leaves) {
      const auto& ranges = slots.at(l);
      auto& el = elements[l];
      // At most one element per level of the slots: sized once, not grown (and copied) as
      // elements come.
      if (!ranges.empty()) el.reserve(static_cast<size_t>(ranges.back().end - ranges.front().begin));
      first_counts.reserve(ranges.size());
      for (size_t k = 0; k < ranges.size(); ++k) {
        const Range& r = ranges[k];
        const size_t before = el.size();
        if (def_at(l, r.begin) < plan.def_elements) {  // null or empty list: one entry
          if (r.end - r.begin != 1) {
            corrupt("column '" + schema_.column(l).dotted_path + "' continues a null or empty list of '" +
                    plan.field.name + "'");
          }
          if (l == first) first_counts.push_back(0);
          else if (first_counts[k] != 0) disagree(plan, l);
          continue;
        }
        int64_t start = r.begin;
        for (int64_t i = r.begin + 1; i < r.end; ++i) {
          const int16_t rep = rep_at(l, i);
          if (rep < plan.rep_level) corrupt("repetition level below the list's inside a list");
          if (rep == plan.rep_level) {
            el.push_back({start, i});
            start = i;
          }
        }
        el.push_back({start, r.end});
        const auto count = static_cast<int64_t>(el.size() - before);
        if (l == first) first_counts.push_back(count);
        else if (first_counts[k] != count) disagree(plan, l);  // siblings must pair up slot by slot
      }
    }
    // Offsets from the first leaf (the others were checked to agree in build()).
    const auto& ranges = slots.at(first);
    int64_t count = 0;
    if (large) offsets->as<int64_t>()[0] = 0;
    else offsets->as<int32_t>()[0] = 0;
    size_t e = 0;
    const auto& el = elements[first];
    for (size_t k = 0; k < n; ++k) {
      while (e < el.size() && el[e].begin < ranges[k].end) {
        ++count;
        ++e;
      }
      if (large) {
        offsets->as<int64_t>()[k + 1] = count;
        continue;
      }
      if (count > INT32_MAX) throw Error(ErrorKind::Unsupported, "list with more than 2^31 elements");
      offsets->as<int32_t>()[k + 1] = static_cast<int32_t>(count);
    }
    out->buffers.push_back(offsets);
    if (plan.kind == FieldPlan::Kind::List) {
      out->children.push_back(build(plan.children[0], elements));
    } else {
      // Map: one non-null entries struct of (key, value).
      auto entries = std::make_shared<ArrayData>();
      entries->type = plan.field.type.children()[0].type;
      entries->length = count;
      entries->buffers.push_back(nullptr);
      for (const auto& child : plan.children) {
        Slots sub;
        for (int32_t l : child.leaves) sub[l] = elements.at(l);
        entries->children.push_back(build(child, sub));
      }
      if (plan.children.size() == 1) {
        auto nulls = std::make_shared<ArrayData>();
        nulls->type = DataType(DataType::Id::Null);
        nulls->length = count;
        nulls->null_count = count;
        entries->children.push_back(nulls);
      }
      entries->type = with_child_types(entries->type, entries->children);
      out->children.push_back(entries);
    }
    out->type = with_child_types(out->type, out->children);
    return out;
  }

  const ParquetSchema& schema_;
  const std::map<int32_t, column::LeafColumn*>& leaves_;
};

}  // namespace

ArrayPtr columnless(const FieldPlan& plan, int64_t length, std::shared_ptr<Buffer> validity,
                    int64_t null_count) {
  if (plan.kind != FieldPlan::Kind::Struct || plan.variant) {
    throw Error(ErrorKind::Unsupported,
                "field '" + plan.field.name +
                    "' has no leaf columns, so the file does not store its lengths or values");
  }
  auto out = std::make_shared<ArrayData>();
  out->type = plan.field.type;
  out->length = length;
  const bool nullable = plan.field.nullable && null_count > 0;
  out->buffers.push_back(nullable ? validity : nullptr);
  out->null_count = nullable ? null_count : 0;
  for (const auto& child : plan.children) {
    out->children.push_back(columnless(child, length, out->buffers[0], out->null_count));
  }
  return out;
}

namespace {

// Whether nothing under `plan` repeats (and no Variant needs folding): then slot i of every
// part is level i of every leaf, and no ranges are needed.
bool flat_tree(const FieldPlan& plan, const ParquetSchema& schema) {
  if (plan.variant || plan.kind == FieldPlan::Kind::List || plan.kind == FieldPlan::Kind::Map) return false;
  for (int32_t l : plan.leaves) {
    if (schema.column(l).max_repetition_level != 0) return false;
  }
  for (const auto& c : plan.children) {
    if (!flat_tree(c, schema)) return false;
  }
  return true;
}

// A leaf or struct of a flat tree: one level per row in every leaf.
ArrayPtr assemble_flat(const FieldPlan& plan, const ParquetSchema& schema,
                       const std::map<int32_t, column::LeafColumn*>& leaves, int64_t num_rows) {
  column::LeafColumn& first = *leaves.at(plan.leaves.front());
  for (int32_t l : plan.leaves) {
    const column::LeafColumn& leaf = *leaves.at(l);
    if (leaf.num_levels != num_rows || !leaf.rep_levels.empty()) {
      corrupt("column '" + schema.column(l).dotted_path + "' has " + std::to_string(leaf.num_levels) +
              " rows, the row group " + std::to_string(num_rows));
    }
  }
  if (plan.kind == FieldPlan::Kind::Leaf) {
    const ColumnDescriptor& desc = schema.column(plan.leaves.front());
    return column::leaf_to_arrow(first, nullptr, desc, schema.node(desc.node), plan.field.type);
  }
  auto out = std::make_shared<ArrayData>();
  out->type = plan.field.type;
  out->length = num_rows;
  std::shared_ptr<Buffer> bits;
  if (plan.field.nullable && !first.def_levels.empty()) {
    bits = Buffer::allocate(static_cast<size_t>((num_rows + 7) / 8), true);
    const int16_t* def = first.def_levels.data();
    for (int64_t i = 0; i < num_rows; ++i) {
      if (def[i] >= plan.def_valid) {
        bits->data()[i >> 3] |= static_cast<uint8_t>(1u << (i & 7));
      } else {
        ++out->null_count;
      }
    }
    if (out->null_count == 0) bits = nullptr;
  }
  out->buffers.push_back(bits);
  for (const auto& child : plan.children) {
    out->children.push_back(child.leaves.empty() ? columnless(child, num_rows, bits, out->null_count)
                                                 : assemble_flat(child, schema, leaves, num_rows));
  }
  out->type = with_child_types(out->type, out->children);
  return out;
}

}  // namespace

ArrayPtr assemble(const FieldPlan& plan, const ParquetSchema& schema,
                  const std::map<int32_t, column::LeafColumn*>& leaves, int64_t num_rows) {
  if (plan.leaves.empty()) return columnless(plan, num_rows, nullptr, 0);
  if (plan.kind == FieldPlan::Kind::Leaf) {
    // A top-level leaf: one entry per row.
    column::LeafColumn& leaf = *leaves.at(plan.leaves.front());
    if (leaf.num_levels != num_rows || !leaf.rep_levels.empty()) {
      corrupt("column '" + schema.column(plan.leaves.front()).dotted_path + "' has " +
              std::to_string(leaf.num_levels) + " values, the row group " + std::to_string(num_rows) +
              " rows");
    }
    const ColumnDescriptor& desc = schema.column(plan.leaves.front());
    return column::leaf_to_arrow(leaf, nullptr, desc, schema.node(desc.node), plan.field.type);
  }
  // A struct with nothing repeated below: one entry per row in every leaf.
  if (flat_tree(plan, schema)) return assemble_flat(plan, schema, leaves, num_rows);
  // Rows: ranges of entries starting where the repetition level is 0.
  Slots rows;
  for (int32_t l : plan.leaves) {
    const column::LeafColumn& leaf = *leaves.at(l);
    auto& ranges = rows[l];
    const int64_t n = leaf.num_levels;
    // num_rows comes from the footer and is only checked below: never let it size memory alone.
    ranges.reserve(static_cast<size_t>(std::min(num_rows, n)));
    for (int64_t i = 0; i < n; ++i) {
      if (i == 0 || leaf.rep_levels.empty() || leaf.rep_levels[static_cast<size_t>(i)] == 0) {
        if (!ranges.empty()) ranges.back().end = i;
        ranges.push_back({i, n});
      }
    }
    if (n > 0 && !leaf.rep_levels.empty() && leaf.rep_levels[0] != 0) {
      corrupt("column '" + schema.column(l).dotted_path + "' starts inside a row (repetition level " +
              std::to_string(leaf.rep_levels[0]) + ")");
    }
    if (static_cast<int64_t>(ranges.size()) != num_rows) {
      corrupt("column '" + schema.column(l).dotted_path + "' has " + std::to_string(ranges.size()) +
              " rows, the row group " + std::to_string(num_rows));
    }
  }
  return Assembler(schema, leaves).build(plan, rows);
}

}  // namespace parkett::nested
