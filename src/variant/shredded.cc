#include "variant/shredded.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "parkett/error.h"
#include "variant/variant.h"

namespace parkett::variant {
namespace {

using Id = DataType::Id;
using LK = LogicalType::Kind;
using schema::FieldPlan;

[[noreturn]] void invalid(const std::string& what) { throw Error(ErrorKind::Corrupt, "invalid variant: " + what); }

std::string_view binary_at(const ArrayData& a, int64_t i) {
  const int64_t k = a.offset + i;
  const int32_t* off = a.buffers[1]->as<int32_t>();
  return {reinterpret_cast<const char*>(a.buffers[2]->data()) + off[k], static_cast<size_t>(off[k + 1] - off[k])};
}

Bytes as_bytes(std::string_view s) { return {reinterpret_cast<const uint8_t*>(s.data()), s.size()}; }

// One level of shredding: a (value, typed_value) pair and what typed_value holds.
struct Shape {
  enum class Kind { None, Primitive, Object, Array };
  const ArrayData* value = nullptr;  // residual binary column, absent when null
  const ArrayData* typed = nullptr;  // typed_value, absent when null
  Kind kind = Kind::None;
  Primitive primitive = Primitive::Null;
  uint8_t scale = 0;  // decimals

  struct Field {
    std::string name;
    const ArrayData* group = nullptr;  // the field's group (null slots: field missing)
    std::unique_ptr<Shape> shape;
  };
  std::vector<Field> fields;       // Object, sorted by name
  std::unique_ptr<Shape> element;  // Array
};

// The Variant primitive that a shredded Parquet leaf holds (VariantShredding.md's table).
Primitive primitive_of(const SchemaNode& node, uint8_t& scale) {
  const LogicalType& lt = node.logical_type;
  auto unsupported = [&]() -> Primitive {
    std::string type = node.physical_type ? to_string(*node.physical_type) : "group";
    if (lt.kind != LK::None) type += " (" + lt.to_string() + ")";
    throw Error(ErrorKind::Corrupt, "invalid variant: shredded typed_value of type " + type +
                                        " is not one the Variant shredding specification allows");
  };
  if (!node.physical_type) return unsupported();
  if (lt.kind == LK::Decimal) {
    if (lt.scale < 0 || lt.scale > 38 || lt.precision > 38) return unsupported();
    scale = static_cast<uint8_t>(lt.scale);
    switch (*node.physical_type) {
      case PhysicalType::Int32: return Primitive::Decimal4;
      case PhysicalType::Int64: return Primitive::Decimal8;
      case PhysicalType::ByteArray:
      case PhysicalType::FixedLenByteArray: return Primitive::Decimal16;
      default: return unsupported();
    }
  }
  switch (*node.physical_type) {
    case PhysicalType::Boolean:
      if (lt.kind == LK::None) return Primitive::True;
      return unsupported();
    case PhysicalType::Int32:
      if (lt.kind == LK::None) return Primitive::Int32;
      if (lt.kind == LK::Date) return Primitive::Date;
      if (lt.kind == LK::Integer && lt.is_signed) {
        if (lt.bit_width == 8) return Primitive::Int8;
        if (lt.bit_width == 16) return Primitive::Int16;
        if (lt.bit_width == 32) return Primitive::Int32;
      }
      return unsupported();
    case PhysicalType::Int64:
      if (lt.kind == LK::None || (lt.kind == LK::Integer && lt.is_signed && lt.bit_width == 64)) {
        return Primitive::Int64;
      }
      if (lt.kind == LK::Time && !lt.adjusted_to_utc && lt.unit == TimeUnit::Micro) return Primitive::TimeNtzMicros;
      if (lt.kind == LK::Timestamp && lt.unit == TimeUnit::Micro) {
        return lt.adjusted_to_utc ? Primitive::TimestampMicros : Primitive::TimestampNtzMicros;
      }
      if (lt.kind == LK::Timestamp && lt.unit == TimeUnit::Nano) {
        return lt.adjusted_to_utc ? Primitive::TimestampNanos : Primitive::TimestampNtzNanos;
      }
      return unsupported();
    case PhysicalType::Float:
      if (lt.kind == LK::None) return Primitive::Float;
      return unsupported();
    case PhysicalType::Double:
      if (lt.kind == LK::None) return Primitive::Double;
      return unsupported();
    case PhysicalType::ByteArray:
      if (lt.kind == LK::None) return Primitive::Binary;
      if (lt.kind == LK::String) return Primitive::String;
      return unsupported();
    case PhysicalType::FixedLenByteArray:
      if (lt.kind == LK::Uuid && node.type_length == 16) return Primitive::Uuid;
      return unsupported();
    default:
      return unsupported();
  }
}

// The child of a struct plan named `name` and its array (null when absent).
const ArrayData* child(const FieldPlan& plan, const ArrayData& array, const std::string& name,
                       const FieldPlan** child_plan = nullptr) {
  for (size_t i = 0; i < plan.children.size(); ++i) {
    if (plan.children[i].field.name == name) {
      if (child_plan) *child_plan = &plan.children[i];
      return array.children[i].get();
    }
  }
  return nullptr;
}

class Builder {
 public:
  explicit Builder(const ParquetSchema& schema) : schema_(schema) {}

  // The shape of a group holding `value` and/or `typed_value` (the variant itself, an
  // object field or an array element).
  std::unique_ptr<Shape> shape(const FieldPlan& group, const ArrayData& array) const {
    if (group.kind != FieldPlan::Kind::Struct) invalid("'" + group.field.name + "' is not a group of value and typed_value");
    auto s = std::make_unique<Shape>();
    const FieldPlan* value_plan = nullptr;
    const FieldPlan* typed_plan = nullptr;
    s->value = child(group, array, "value", &value_plan);
    s->typed = child(group, array, "typed_value", &typed_plan);
    if (s->value && (value_plan->kind != FieldPlan::Kind::Leaf || s->value->type.id() != Id::Binary)) {
      invalid("'" + group.field.name + ".value' is not a binary column");
    }
    if (!s->typed) return s;
    switch (typed_plan->kind) {
      case FieldPlan::Kind::Leaf:
        s->kind = Shape::Kind::Primitive;
        s->primitive = primitive_of(schema_.node(typed_plan->node), s->scale);
        break;
      case FieldPlan::Kind::List:
        s->kind = Shape::Kind::Array;
        s->element = shape(typed_plan->children[0], *s->typed->children[0]);
        break;
      case FieldPlan::Kind::Struct:
        s->kind = Shape::Kind::Object;
        for (size_t i = 0; i < typed_plan->children.size(); ++i) {
          Shape::Field f;
          f.name = typed_plan->children[i].field.name;
          f.group = s->typed->children[i].get();
          f.shape = shape(typed_plan->children[i], *f.group);
          s->fields.push_back(std::move(f));
        }
        std::sort(s->fields.begin(), s->fields.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
        for (size_t i = 1; i < s->fields.size(); ++i) {
          if (s->fields[i].name == s->fields[i - 1].name) invalid("shredded field '" + s->fields[i].name + "' twice");
        }
        break;
      case FieldPlan::Kind::Map:
        invalid("a MAP typed_value is not one the Variant shredding specification allows");
    }
    return s;
  }

  // Appends the variant at slot `i` of `s`'s arrays to `out`; false when it is missing
  // (both value and typed_value null).
  bool construct(const Shape& s, int64_t i, const Metadata& md, std::string& out) const {
    const bool has_value = s.value && s.value->is_valid(i);
    if (s.typed && s.typed->is_valid(i)) {
      if (has_value && s.kind != Shape::Kind::Object) invalid("conflicting value and typed_value");
      switch (s.kind) {
        case Shape::Kind::Primitive: primitive(s, i, out); return true;
        case Shape::Kind::Array: array(s, i, md, out); return true;
        case Shape::Kind::Object: object(s, i, has_value, md, out); return true;
        case Shape::Kind::None: break;
      }
    }
    if (!has_value) return false;
    const std::string_view v = binary_at(*s.value, i);
    if (Value(as_bytes(v)).encoded().size() != v.size()) invalid("value column holds bytes after its value");
    out += v;
    return true;
  }

  // Where a value is required (the variant itself, array elements): missing is Variant null.
  void construct_required(const Shape& s, int64_t i, const Metadata& md, std::string& out) const {
    if (!construct(s, i, md, out)) Writer(out).null();
  }

 private:
  void primitive(const Shape& s, int64_t i, std::string& out) const {
    const ArrayData& a = *s.typed;
    const int64_t k = a.offset + i;
    auto fixed = [&](size_t w) { return a.buffers[1]->data() + static_cast<size_t>(k) * w; };
    auto load = [&](auto tag) {
      decltype(tag) v;
      std::memcpy(&v, fixed(sizeof(v)), sizeof(v));
      return v;
    };
    Writer w(out);
    switch (s.primitive) {
      case Primitive::True: w.boolean((a.buffers[1]->data()[k >> 3] >> (k & 7)) & 1); return;
      case Primitive::Int8: w.int8(load(int8_t{})); return;
      case Primitive::Int16: w.int16(load(int16_t{})); return;
      case Primitive::Int32: w.int32(load(int32_t{})); return;
      case Primitive::Date: w.date(load(int32_t{})); return;
      case Primitive::Int64: w.int64(load(int64_t{})); return;
      case Primitive::Float: w.float32(load(float{})); return;
      case Primitive::Double: w.float64(load(double{})); return;
      case Primitive::TimeNtzMicros:
      case Primitive::TimestampMicros:
      case Primitive::TimestampNtzMicros:
      case Primitive::TimestampNanos:
      case Primitive::TimestampNtzNanos: w.temporal(s.primitive, load(int64_t{})); return;
      case Primitive::Decimal4:
      case Primitive::Decimal8:
      case Primitive::Decimal16:
        if (a.type.id() != Id::Decimal128) invalid("decimal typed_value read as " + a.type.to_string());
        // The low bytes of the little-endian 128-bit value (the precision bounds the value).
        w.decimal(s.primitive, s.scale, fixed(16));
        return;
      case Primitive::String: w.string(binary_at(a, i)); return;
      case Primitive::Binary: w.binary(binary_at(a, i)); return;
      case Primitive::Uuid: w.uuid(fixed(16)); return;
      default: invalid("unexpected primitive");
    }
  }

  void array(const Shape& s, int64_t i, const Metadata& md, std::string& out) const {
    const ArrayData& list = *s.typed;
    const int32_t* off = list.buffers[1]->as<int32_t>();
    const int64_t k = list.offset + i;
    std::vector<std::string> elements(static_cast<size_t>(off[k + 1] - off[k]));
    for (int32_t e = off[k]; e < off[k + 1]; ++e) {
      construct_required(*s.element, e, md, elements[static_cast<size_t>(e - off[k])]);
    }
    std::vector<std::string_view> views(elements.begin(), elements.end());
    Writer(out).array(views);
  }

  void object(const Shape& s, int64_t i, bool has_value, const Metadata& md, std::string& out) const {
    // The present shredded fields (their groups are indexed like the object's slot).
    const int64_t k = s.typed->offset + i;
    std::vector<std::pair<std::string_view, std::string>> fields;
    for (const auto& f : s.fields) {
      if (!f.group->is_valid(k)) continue;  // an optional field group left null: missing
      std::string bytes;
      if (construct(*f.shape, f.group->offset + k, md, bytes)) fields.emplace_back(f.name, std::move(bytes));
    }
    // The residual object's fields, except names that have shredded columns.
    std::vector<std::pair<std::string_view, std::string_view>> residual;
    if (has_value) {
      const std::string_view bytes = binary_at(*s.value, i);
      const Value v(as_bytes(bytes));
      if (v.basic_type() != BasicType::Object) invalid("non-object value with shredded fields");
      size_t residual_bytes = 0;  // fields of a well-formed object do not share bytes
      for (size_t e = 0; e < v.count(); ++e) {
        const std::string_view name = md.key(v.field_id(e));
        const bool shredded = std::binary_search(s.fields.begin(), s.fields.end(), name,
                                                 [](const auto& a, const auto& b) { return name_of(a) < name_of(b); });
        if (shredded) continue;
        const Bytes element = v.element(e).encoded();
        residual_bytes += element.size();
        if (residual_bytes > bytes.size()) invalid("residual object fields share bytes");
        residual.emplace_back(name, std::string_view(reinterpret_cast<const char*>(element.data()), element.size()));
      }
    }
    std::vector<std::pair<std::string_view, std::string_view>> all;
    all.reserve(fields.size() + residual.size());
    for (const auto& [name, bytes] : fields) all.emplace_back(name, bytes);
    all.insert(all.end(), residual.begin(), residual.end());
    std::sort(all.begin(), all.end());
    std::vector<Writer::Field> encoded;
    encoded.reserve(all.size());
    for (size_t e = 0; e < all.size(); ++e) {
      if (e > 0 && all[e].first == all[e - 1].first) invalid("field '" + std::string(all[e].first) + "' twice in an object");
      const int64_t id = md.find(all[e].first);
      if (id < 0) invalid("field name '" + std::string(all[e].first) + "' is not in the variant's metadata");
      encoded.push_back({static_cast<uint32_t>(id), all[e].second});
    }
    Writer(out).object(encoded, md.size());
  }

  static std::string_view name_of(const Shape::Field& f) { return f.name; }
  static std::string_view name_of(std::string_view s) { return s; }

  const ParquetSchema& schema_;
};

}  // namespace

ArrayPtr reassemble(const ArrayData& physical, const schema::FieldPlan& plan, const ParquetSchema& schema) {
  const FieldPlan* metadata_plan = nullptr;
  const ArrayData* metadata = child(plan, physical, "metadata", &metadata_plan);
  if (!metadata || metadata_plan->kind != FieldPlan::Kind::Leaf || metadata->type.id() != Id::Binary) {
    invalid("VARIANT group '" + plan.field.name + "' without a binary metadata field");
  }
  const Builder builder(schema);
  const std::unique_ptr<Shape> top = builder.shape(plan, physical);
  if (!top->value && !top->typed) invalid("VARIANT group '" + plan.field.name + "' has neither value nor typed_value");

  auto out = std::make_shared<ArrayData>();
  out->type = plan.field.type;
  out->length = physical.length;
  out->null_count = physical.null_count;
  out->buffers.push_back(physical.buffers.empty() ? nullptr : physical.buffers[0]);
  // Assembly builds arrays from their first slot; the metadata column is kept as it is.
  if (physical.offset != 0) throw Error(ErrorKind::Internal, "variant reassembly of a sliced array");
  for (size_t c = 0; c < plan.children.size(); ++c) {
    if (physical.children[c].get() == metadata) out->children.push_back(physical.children[c]);
  }
  auto offsets = Buffer::allocate(static_cast<size_t>(physical.length + 1) * 4);
  int32_t* off = offsets->as<int32_t>();
  std::string data;
  off[0] = 0;
  for (int64_t r = 0; r < physical.length; ++r) {
    if (physical.is_valid(r)) {
      const int64_t i = physical.offset + r;
      if (!metadata->is_valid(i)) invalid("row " + std::to_string(r) + " has no metadata");
      try {
        const Metadata md(as_bytes(binary_at(*metadata, i)));
        builder.construct_required(*top, i, md, data);
      } catch (const Error& e) {
        throw Error(e.kind(), "row " + std::to_string(r) + ": " + e.message());
      }
      if (data.size() > static_cast<size_t>(INT32_MAX)) {
        throw Error(ErrorKind::Unsupported, "variant values of one row group over 2 GiB");
      }
    }
    off[r + 1] = static_cast<int32_t>(data.size());
  }
  auto value = std::make_shared<ArrayData>();
  value->type = DataType(Id::Binary);
  value->length = physical.length;
  auto bytes = Buffer::allocate(data.size());
  if (!data.empty()) std::memcpy(bytes->data(), data.data(), data.size());
  value->buffers = {nullptr, offsets, bytes};
  out->children.push_back(value);
  return out;
}

}  // namespace parkett::variant
