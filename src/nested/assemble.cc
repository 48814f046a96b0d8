#include "nested/assemble.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "column/to_arrow.h"
#include "parkett/error.h"
#include "variant/shredded.h"

namespace parkett::nested {
namespace {

using schema::FieldPlan;

[[noreturn]] void corrupt(const std::string& what) { throw Error(ErrorKind::Corrupt, what); }

// Where a field's slots are among the level entries of its leaves: an entry at definition
// level >= min_def (below, it stands for a null or empty list further up) and repetition
// level <= max_rep (above, it continues a list further down) starts one.
struct Depth {
  int16_t min_def = 0;
  int16_t max_rep = 0;
};

// Writes a bitmap one bit at a time, a byte at a time to memory.
class BitWriter {
 public:
  explicit BitWriter(uint8_t* out) : out_(out) {}
  void push(bool bit) {
    byte_ |= static_cast<uint8_t>(bit) << used_;
    if (++used_ == 8) {
      *out_++ = byte_;
      byte_ = 0;
      used_ = 0;
    }
  }
  void finish() {
    if (used_) *out_ = byte_;
  }

 private:
  uint8_t* out_;
  uint8_t byte_ = 0;
  int used_ = 0;
};

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

// Every field is built from the level entries of its leaves in one pass per leaf: a list's
// offsets and validity, a struct's validity, a leaf's validity (its values are dense, so
// validity says where they go). A field's children look at the entries inside its elements
// (a list) or at the same entries (a struct). Each pass also checks the levels it reads,
// so a corrupt file gets an error, not arrays that disagree.
class Assembler {
 public:
  Assembler(const ParquetSchema& schema, const std::map<int32_t, column::LeafColumn*>& leaves)
      : schema_(schema), leaves_(leaves) {}

  ArrayPtr build(const FieldPlan& plan, Depth depth, int64_t length) {
    if (plan.leaves.empty()) {  // columnless() takes these before they get here
      throw Error(ErrorKind::Internal, "field '" + plan.field.name + "' has no columns to assemble");
    }
    switch (plan.kind) {
      case FieldPlan::Kind::Leaf: return leaf(plan, depth, length);
      case FieldPlan::Kind::Struct: return structure(plan, depth, length);
      case FieldPlan::Kind::List:
      case FieldPlan::Kind::Map: return list(plan, depth, length);
    }
    return nullptr;
  }

 private:
  const column::LeafColumn& leaf_of(int32_t column) const { return *leaves_.at(column); }
  const std::string& path(int32_t column) const { return schema_.column(column).dotted_path; }

  // A leaf with more or fewer slots of `plan` than its parent has for it.
  [[noreturn]] void count_mismatch(int32_t column, int64_t found, int64_t expected, const FieldPlan& plan,
                                   Depth depth) const {
    if (depth.max_rep == 0) {  // not inside a list: the slots are rows
      corrupt("column '" + path(column) + "' has " + std::to_string(found) + " rows, the row group " +
              std::to_string(expected));
    }
    corrupt("column '" + path(column) + "' has " + std::to_string(found) + " values of '" + plan.field.name +
            "' where its parent has " + std::to_string(expected));
  }

  // Validity of the slots of `plan` from the first leaf's entries: a slot is valid when its
  // entry's definition level reaches the field's. Null when none is null.
  std::shared_ptr<Buffer> slot_validity(const FieldPlan& plan, Depth depth, int64_t length, int64_t& null_count) const {
    null_count = 0;
    if (!plan.field.nullable) return nullptr;
    const int32_t column = plan.leaves.front();
    const column::LeafColumn& leaf = leaf_of(column);
    if (leaf.def_levels.empty()) return nullptr;  // nothing above the leaf can be null
    const int16_t* def = leaf.def_levels.data();
    const int16_t* rep = leaf.rep_levels.empty() ? nullptr : leaf.rep_levels.data();
    auto bits = Buffer::allocate(static_cast<size_t>((length + 7) / 8));
    BitWriter writer(bits->data());
    int64_t slots = 0;
    for (int64_t i = 0; i < leaf.num_levels; ++i) {
      if (def[i] < depth.min_def || (rep && rep[i] > depth.max_rep)) continue;
      if (slots++ >= length) continue;  // too many: reported below, nothing written past the end
      const bool valid = def[i] >= plan.def_valid;
      writer.push(valid);
      null_count += !valid;
    }
    writer.finish();
    if (slots != length) count_mismatch(column, slots, length, plan, depth);
    return null_count ? bits : nullptr;
  }

  // A leaf's slots: valid where the definition level is the column's maximum (a value).
  std::shared_ptr<Buffer> values_at(const column::LeafColumn& leaf, int32_t column, Depth depth, int64_t length,
                                    const FieldPlan& plan, int64_t& null_count) const {
    null_count = 0;
    const int16_t max_def = schema_.column(column).max_definition_level;
    const int16_t* def = leaf.def_levels.empty() ? nullptr : leaf.def_levels.data();
    const int16_t* rep = leaf.rep_levels.empty() ? nullptr : leaf.rep_levels.data();
    auto bits = Buffer::allocate(static_cast<size_t>((length + 7) / 8));
    BitWriter writer(bits->data());
    int64_t slots = 0;
    for (int64_t i = 0; i < leaf.num_levels; ++i) {
      const int16_t d = def ? def[i] : 0;
      if (d < depth.min_def) continue;
      if (rep && rep[i] > depth.max_rep) {
        corrupt("column '" + path(column) + "' repeats where its schema does not (level entry " + std::to_string(i) +
                ")");
      }
      if (slots++ >= length) continue;
      const bool valid = d == max_def;
      writer.push(valid);
      null_count += !valid;
    }
    writer.finish();
    if (slots != length) count_mismatch(column, slots, length, plan, depth);
    return null_count ? bits : nullptr;
  }

  ArrayPtr leaf(const FieldPlan& plan, Depth depth, int64_t length) const {
    const int32_t column = plan.leaves.front();
    column::LeafColumn& leaf = *leaves_.at(column);
    column::LeafSlots slots;
    slots.length = length;
    if (leaf.has_validity) {  // a top-level column whose levels went straight to a bitmap
      if (leaf.num_levels != length) count_mismatch(column, leaf.num_levels, length, plan, depth);
      slots.null_count = leaf.null_count;
      if (slots.null_count) slots.validity = leaf.validity.release();
    } else if (leaf.def_levels.empty() && leaf.rep_levels.empty()) {  // required all the way: every entry a value
      if (leaf.num_levels != length) count_mismatch(column, leaf.num_levels, length, plan, depth);
    } else {
      slots.validity = values_at(leaf, column, depth, length, plan, slots.null_count);
    }
    const ColumnDescriptor& desc = schema_.column(column);
    return column::leaf_to_arrow(leaf, slots, desc, schema_.node(desc.node), plan.field.type);
  }

  ArrayPtr structure(const FieldPlan& plan, Depth depth, int64_t length) {
    auto out = std::make_shared<ArrayData>();
    out->type = plan.field.type;
    if (plan.variant) {
      // Read the group's Parquet fields as they are, then fold them into Variant values.
      std::vector<Field> fields;
      for (const auto& c : plan.children) fields.push_back(c.field);
      out->type = DataType::structure(std::move(fields));
    }
    out->length = length;
    out->buffers.push_back(slot_validity(plan, depth, length, out->null_count));
    for (const auto& child : plan.children) {
      // A group without columns beside ones with columns: present wherever this struct is.
      out->children.push_back(child.leaves.empty() ? columnless(child, length, out->buffers[0], out->null_count)
                                                   : build(child, depth, length));
    }
    if (plan.variant) return variant::reassemble(*out, plan, schema_);
    out->type = with_child_types(out->type, out->children);
    return out;
  }

  // One pass over a leaf's entries for a list: its offsets, and its validity when `bits` is
  // given. Returns the number of elements.
  template <class Offset>
  int64_t list_offsets(const FieldPlan& plan, int32_t column, Depth depth, int64_t length, Offset* offsets,
                       uint8_t* bits, int64_t& null_count) const {
    const column::LeafColumn& leaf = leaf_of(column);
    const int16_t* def = leaf.def_levels.empty() ? nullptr : leaf.def_levels.data();
    const int16_t* rep = leaf.rep_levels.data();
    if (leaf.rep_levels.size() != static_cast<size_t>(leaf.num_levels)) {
      corrupt("column '" + path(column) + "' under the list '" + plan.field.name + "' has no repetition levels");
    }
    BitWriter writer(bits);
    int64_t slots = 0, elements = 0;
    bool open = false;  // whether the current slot is a list with elements
    for (int64_t i = 0; i < leaf.num_levels; ++i) {
      const int16_t d = def ? def[i] : 0;
      if (d < depth.min_def) continue;  // a null or empty list further up
      const int16_t r = rep[i];
      if (r <= depth.max_rep) {  // a new slot
        open = d >= plan.def_elements;
        if (slots++ >= length) continue;  // too many: reported below, nothing written past the end
        offsets[slots - 1] = static_cast<Offset>(elements);
        if (bits) {
          writer.push(d >= plan.def_valid);
          null_count += d < plan.def_valid;
        }
        elements += open;
        continue;
      }
      if (slots == 0) {
        corrupt("column '" + path(column) + "' starts inside a row (repetition level " + std::to_string(r) + ")");
      }
      if (!open || d < plan.def_elements) {
        corrupt("column '" + path(column) + "' continues a null or empty list of '" + plan.field.name +
                "' (level entry " + std::to_string(i) + ")");
      }
      elements += r == plan.rep_level;  // deeper levels continue the current element
    }
    if (slots != length) count_mismatch(column, slots, length, plan, depth);
    if (bits) writer.finish();
    if constexpr (sizeof(Offset) == 4) {
      if (elements > INT32_MAX) throw Error(ErrorKind::Unsupported, "list with more than 2^31 elements");
    }
    offsets[length] = static_cast<Offset>(elements);
    return elements;
  }

  // Offsets from the first leaf; every other leaf must split each slot into as many elements.
  template <class Offset>
  int64_t offsets_of(const FieldPlan& plan, Depth depth, int64_t length, Buffer& offsets, uint8_t* bits,
                     int64_t& null_count) const {
    Offset* first = offsets.as<Offset>();
    const int64_t elements = list_offsets(plan, plan.leaves.front(), depth, length, first, bits, null_count);
    std::vector<Offset> other;
    for (size_t k = 1; k < plan.leaves.size(); ++k) {
      other.resize(static_cast<size_t>(length + 1));
      int64_t unused = 0;
      list_offsets(plan, plan.leaves[k], depth, length, other.data(), nullptr, unused);
      if (std::memcmp(other.data(), first, other.size() * sizeof(Offset)) != 0) {
        corrupt("column '" + path(plan.leaves[k]) + "' and column '" + path(plan.leaves.front()) +
                "' disagree on the lengths of '" + plan.field.name + "'");
      }
    }
    return elements;
  }

  ArrayPtr list(const FieldPlan& plan, Depth depth, int64_t length) {
    auto out = std::make_shared<ArrayData>();
    out->type = plan.field.type;
    out->length = length;
    const bool large = plan.field.type.id() == DataType::Id::LargeList;
    auto offsets = Buffer::allocate(static_cast<size_t>(length + 1) * (large ? sizeof(int64_t) : sizeof(int32_t)));
    std::shared_ptr<Buffer> bits;
    if (plan.field.nullable) bits = Buffer::allocate(static_cast<size_t>((length + 7) / 8));
    uint8_t* bits_out = bits ? bits->data() : nullptr;
    const int64_t elements = large ? offsets_of<int64_t>(plan, depth, length, *offsets, bits_out, out->null_count)
                                   : offsets_of<int32_t>(plan, depth, length, *offsets, bits_out, out->null_count);
    out->buffers.push_back(out->null_count ? bits : nullptr);
    out->buffers.push_back(offsets);
    // The elements: the entries inside non-empty slots, each starting at the list's level.
    const Depth inside{plan.def_elements, plan.rep_level};
    if (plan.kind == FieldPlan::Kind::List) {
      out->children.push_back(build(plan.children[0], inside, elements));
    } else {
      // Map: one non-null entries struct of (key, value).
      auto entries = std::make_shared<ArrayData>();
      entries->type = plan.field.type.children()[0].type;
      entries->length = elements;
      entries->buffers.push_back(nullptr);
      for (const auto& child : plan.children) entries->children.push_back(build(child, inside, elements));
      if (plan.children.size() == 1) {
        auto nulls = std::make_shared<ArrayData>();
        nulls->type = DataType(DataType::Id::Null);
        nulls->length = elements;
        nulls->null_count = elements;
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

ArrayPtr assemble(const FieldPlan& plan, const ParquetSchema& schema,
                  const std::map<int32_t, column::LeafColumn*>& leaves, int64_t num_rows) {
  if (plan.leaves.empty()) return columnless(plan, num_rows, nullptr, 0);
  // num_rows comes from the footer: checked against the levels before it sizes anything.
  for (int32_t l : plan.leaves) {
    const column::LeafColumn& leaf = *leaves.at(l);
    if (leaf.num_levels >= num_rows) continue;
    int64_t rows = leaf.num_levels;  // each entry a row, unless repeated
    if (!leaf.rep_levels.empty()) rows = std::count(leaf.rep_levels.begin(), leaf.rep_levels.end(), 0);
    corrupt("column '" + schema.column(l).dotted_path + "' has " + std::to_string(rows) +
            (plan.kind == FieldPlan::Kind::Leaf ? " values" : " rows") + ", the row group " + std::to_string(num_rows));
  }
  // At the top, every entry at repetition level 0 starts a row.
  return Assembler(schema, leaves).build(plan, Depth{}, num_rows);
}

}  // namespace parkett::nested
