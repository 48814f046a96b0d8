#include "nested/shred.h"

#include <string>

#include "parkett/error.h"

namespace parkett::nested {
namespace {

using schema::FieldPlan;

// A slot at some depth of the tree: the logical index of a value in the array of that depth,
// or -1 when an ancestor is null or an empty list (the slot then only carries levels).
struct Slot {
  int64_t index;
  int16_t def;
  int16_t rep;
};

bool valid_at(const ArrayData& a, int64_t physical) {
  if (a.type.id() == DataType::Id::Null) return false;
  if (a.buffers.empty() || !a.buffers[0]) return true;
  return (a.buffers[0]->data()[physical >> 3] >> (physical & 7)) & 1;
}

class Shredder {
 public:
  Shredder(std::vector<ShreddedLeaf>& out, const std::vector<int16_t>& max_def)
      : out_(out), max_def_(max_def) {}

  void walk(const FieldPlan& p, const ArrayData& a, const std::vector<Slot>& slots, const std::string& path) {
    switch (p.kind) {
      case FieldPlan::Kind::Leaf: leaf(p, a, slots, path); return;
      case FieldPlan::Kind::Struct: structure(p, a, slots, path); return;
      case FieldPlan::Kind::List:
      case FieldPlan::Kind::Map: list(p, a, slots, path); return;
    }
  }

 private:
  // The slot for this node's value: terminated when the value is null.
  Slot enter(const FieldPlan& p, const ArrayData& a, const Slot& s, const std::string& path) const {
    if (s.index < 0) return s;
    if (valid_at(a, a.offset + s.index)) {
      return {s.index, p.field.nullable ? p.def_valid : s.def, s.rep};
    }
    if (!p.field.nullable) {
      throw Error(ErrorKind::InvalidArgument,
                  "field '" + path + "' is not nullable but holds a null at index " + std::to_string(s.index));
    }
    return {-1, s.def, s.rep};
  }

  void structure(const FieldPlan& p, const ArrayData& a, const std::vector<Slot>& slots, const std::string& path) {
    if (a.children.size() != p.children.size()) {
      throw Error(ErrorKind::InvalidArgument, "field '" + path + "' has " + std::to_string(a.children.size()) +
                                                  " child arrays, its type " + std::to_string(p.children.size()));
    }
    std::vector<Slot> inner;
    inner.reserve(slots.size());
    for (const Slot& s : slots) {
      Slot e = enter(p, a, s, path);
      if (e.index >= 0) e.index += a.offset;  // children are indexed with the parent's offset
      inner.push_back(e);
    }
    for (size_t c = 0; c < p.children.size(); ++c) {
      walk(p.children[c], *a.children[c], inner, path + "." + p.children[c].field.name);
    }
  }

  void list(const FieldPlan& p, const ArrayData& a, const std::vector<Slot>& slots, const std::string& path) {
    const bool large = a.type.id() == DataType::Id::LargeList;
    if (a.buffers.size() < 2 || !a.buffers[1] || a.children.size() != 1) {
      throw Error(ErrorKind::InvalidArgument, "field '" + path + "' is a list array without offsets or values");
    }
    const ArrayData& values = *a.children[0];
    std::vector<Slot> inner;
    inner.reserve(slots.size());
    for (const Slot& s : slots) {
      Slot e = enter(p, a, s, path);
      if (e.index < 0) {
        inner.push_back(e);
        continue;
      }
      const int64_t at = a.offset + e.index;
      int64_t begin, end;
      if (large) {
        begin = a.buffers[1]->as<int64_t>()[at];
        end = a.buffers[1]->as<int64_t>()[at + 1];
      } else {
        begin = a.buffers[1]->as<int32_t>()[at];
        end = a.buffers[1]->as<int32_t>()[at + 1];
      }
      if (begin < 0 || end < begin || end > values.length) {
        throw Error(ErrorKind::InvalidArgument, "field '" + path + "' has list offsets " + std::to_string(begin) +
                                                    ".." + std::to_string(end) + " outside its " +
                                                    std::to_string(values.length) + " values");
      }
      if (begin == end) {
        inner.push_back({-1, static_cast<int16_t>(p.def_elements - 1), e.rep});
        continue;
      }
      for (int64_t k = begin; k < end; ++k) {
        inner.push_back({k, p.def_elements, k == begin ? e.rep : p.rep_level});
      }
    }
    if (p.kind == FieldPlan::Kind::List) {
      walk(p.children[0], values, inner, path + "." + p.children[0].field.name);
      return;
    }
    // A map's values are the entries struct: its children are the key and value arrays.
    if (values.children.size() < p.children.size()) {
      throw Error(ErrorKind::InvalidArgument, "field '" + path + "' is a map whose entries lack keys or values");
    }
    for (Slot& s : inner) {
      if (s.index >= 0) s.index += values.offset;
    }
    for (size_t c = 0; c < p.children.size(); ++c) {
      walk(p.children[c], *values.children[c], inner, path + "." + p.children[c].field.name);
    }
  }

  void leaf(const FieldPlan& p, const ArrayData& a, const std::vector<Slot>& slots, const std::string& path) {
    ShreddedLeaf& out = out_.at(next_leaf_);
    const int16_t max_def = max_def_.at(next_leaf_);
    ++next_leaf_;
    out.array = &a;
    out.num_levels = static_cast<int64_t>(slots.size());
    out.def.reserve(slots.size());
    out.rep.reserve(slots.size());
    out.positions.reserve(slots.size());
    for (const Slot& s : slots) {
      Slot e = enter(p, a, s, path);
      out.def.push_back(e.index >= 0 ? max_def : e.def);
      out.rep.push_back(e.rep);
      if (e.index >= 0) out.positions.push_back(a.offset + e.index);
    }
  }

  std::vector<ShreddedLeaf>& out_;
  const std::vector<int16_t>& max_def_;
  size_t next_leaf_ = 0;
};

// A top-level leaf: levels straight from the validity bitmap, values as a range when there
// are no nulls.
void shred_flat(const FieldPlan& p, const ArrayData& a, int16_t max_def, ShreddedLeaf& out) {
  out.array = &a;
  out.num_levels = a.length;
  const bool has_nulls = a.type.id() == DataType::Id::Null || (!a.buffers.empty() && a.buffers[0] && a.null_count != 0);
  if (!has_nulls) {
    out.dense = true;  // def stays empty: every level is max_def
    out.first = a.offset;
    out.count = a.length;
    return;
  }
  if (!p.field.nullable) {
    for (int64_t i = 0; i < a.length; ++i) {
      if (!valid_at(a, a.offset + i)) {
        throw Error(ErrorKind::InvalidArgument,
                    "field '" + p.field.name + "' is not nullable but holds a null at index " + std::to_string(i));
      }
    }
    out.dense = true;
    out.first = a.offset;
    out.count = a.length;
    return;
  }
  out.def.resize(static_cast<size_t>(a.length));
  out.positions.reserve(static_cast<size_t>(a.length));
  for (int64_t i = 0; i < a.length; ++i) {
    const bool valid = valid_at(a, a.offset + i);
    out.def[static_cast<size_t>(i)] = valid ? max_def : 0;
    if (valid) out.positions.push_back(a.offset + i);
  }
}

}  // namespace

std::vector<ShreddedLeaf> shred(const FieldPlan& plan, const ArrayData& array,
                                const std::vector<int16_t>& max_def, const std::vector<int16_t>& max_rep) {
  std::vector<ShreddedLeaf> out(plan.leaves.size());
  if (plan.kind == FieldPlan::Kind::Leaf && max_rep.at(0) == 0) {
    shred_flat(plan, array, max_def.at(0), out[0]);
    return out;
  }
  std::vector<Slot> top(static_cast<size_t>(array.length));
  for (int64_t i = 0; i < array.length; ++i) top[static_cast<size_t>(i)] = {i, 0, 0};
  Shredder(out, max_def).walk(plan, array, top, plan.field.name);
  for (size_t l = 0; l < out.size(); ++l) {
    if (max_rep[l] == 0) out[l].rep.clear();
    if (max_def[l] == 0) out[l].def.clear();
  }
  return out;
}

}  // namespace parkett::nested
