// Import through the Arrow C Data Interface: the producer's structures are moved into a
// holder whose destruction calls their release callback; buffers are wrapped, not copied.
#include <cstring>
#include <memory>
#include <string>

#include "parkett/c_data.h"
#include "parkett/error.h"

namespace parkett {
namespace {

using Id = DataType::Id;

[[noreturn]] void bad(const std::string& what) {
  throw Error(ErrorKind::InvalidArgument, "Arrow C data: " + what);
}

TimeUnit unit_of(char c) {
  switch (c) {
    case 's': return TimeUnit::Second;
    case 'm': return TimeUnit::Milli;
    case 'u': return TimeUnit::Micro;
    case 'n': return TimeUnit::Nano;
  }
  bad(std::string("unknown time unit '") + c + "'");
}

std::vector<std::pair<std::string, std::string>> decode_metadata(const char* p) {
  std::vector<std::pair<std::string, std::string>> out;
  if (!p) return out;
  auto get32 = [&p] {
    int32_t v;
    std::memcpy(&v, p, 4);
    p += 4;
    return v;
  };
  const int32_t n = get32();
  for (int32_t i = 0; i < n; ++i) {
    int32_t kl = get32();
    std::string k(p, static_cast<size_t>(kl));
    p += kl;
    int32_t vl = get32();
    std::string v(p, static_cast<size_t>(vl));
    p += vl;
    out.emplace_back(std::move(k), std::move(v));
  }
  return out;
}

Field field_of(const ArrowSchema* s) {
  if (!s->format) bad("schema without a format");
  const std::string f = s->format;
  Field out;
  out.name = s->name ? s->name : "";
  out.nullable = (s->flags & ARROW_FLAG_NULLABLE) != 0;
  out.metadata = decode_metadata(s->metadata);
  if (s->dictionary) {
    if (std::string(s->format) != "i") {
      throw Error(ErrorKind::Unsupported, std::string("dictionary indices of format '") + s->format + "'");
    }
    out.type = DataType::dictionary(field_of(s->dictionary).type);
    return out;
  }
  std::vector<Field> children;
  for (int64_t i = 0; i < s->n_children; ++i) children.push_back(field_of(s->children[i]));
  static const std::pair<const char*, Id> kSimple[] = {
      {"n", Id::Null},    {"b", Id::Boolean}, {"c", Id::Int8},   {"C", Id::UInt8},
      {"s", Id::Int16},   {"S", Id::UInt16},  {"i", Id::Int32},  {"I", Id::UInt32},
      {"l", Id::Int64},   {"L", Id::UInt64},  {"e", Id::Float16}, {"f", Id::Float32},
      {"g", Id::Float64}, {"u", Id::String},  {"U", Id::LargeString}, {"z", Id::Binary},
      {"Z", Id::LargeBinary}, {"tdD", Id::Date32}, {"tin", Id::IntervalMonthDayNano}};
  for (const auto& [name, id] : kSimple) {
    if (f == name) {
      out.type = DataType(id);
      return out;
    }
  }
  if (f.rfind("w:", 0) == 0) {
    out.type = DataType::fixed_size_binary(std::stoi(f.substr(2)));
  } else if (f.size() == 3 && f.rfind("tt", 0) == 0) {
    out.type = DataType::time(unit_of(f[2]));
  } else if (f.size() >= 4 && f.rfind("ts", 0) == 0 && f[3] == ':') {
    out.type = DataType::timestamp(unit_of(f[2]), f.substr(4));
  } else if (f.rfind("d:", 0) == 0) {
    int precision = 0, scale = 0, bits = 128;
    if (std::sscanf(f.c_str() + 2, "%d,%d,%d", &precision, &scale, &bits) < 2) bad("decimal format " + f);
    out.type = DataType::decimal(precision, scale);
    if ((bits == 256) != (out.type.id() == Id::Decimal256)) {
      throw Error(ErrorKind::Unsupported, "decimal" + std::to_string(bits) + " of precision " +
                                              std::to_string(precision));
    }
  } else if (f == "+l" || f == "+L") {
    if (children.size() != 1) bad("list without exactly one child");
    out.type = DataType::list(children[0], f == "+L");
  } else if (f == "+s") {
    out.type = DataType::structure(std::move(children));
  } else if (f == "+m") {
    if (children.size() != 1 || children[0].type.children().size() != 2) bad("malformed map");
    const auto& kv = children[0].type.children();
    out.type = DataType::map(kv[0], kv[1], (s->flags & ARROW_FLAG_MAP_KEYS_SORTED) != 0);
  } else {
    throw Error(ErrorKind::Unsupported, "Arrow format '" + f + "' has no parkett type");
  }
  return out;
}

// Owns the moved ArrowArray; destroying it releases the producer's memory.
struct ImportedArray {
  ArrowArray array;
  ~ImportedArray() {
    if (array.release) array.release(&array);
  }
};

ArrayPtr wrap_array(const ArrowArray* a, const DataType& type, const std::shared_ptr<void>& owner) {
  auto out = std::make_shared<ArrayData>();
  out->type = type;
  out->length = a->length;
  out->null_count = a->null_count;
  out->offset = a->offset;
  if (a->length < 0 || a->offset < 0) bad("negative length or offset");
  const size_t end = static_cast<size_t>(a->offset + a->length);
  auto buffer = [&](int64_t i, size_t size) -> std::shared_ptr<Buffer> {
    if (i >= a->n_buffers) bad("too few buffers for " + type.to_string());
    const void* p = a->buffers[i];
    return p ? Buffer::wrap(static_cast<const uint8_t*>(p), size, owner) : nullptr;
  };
  const size_t bitmap = (end + 7) / 8;
  switch (type.id()) {
    case Id::Null:
      break;
    case Id::Struct:
      out->buffers.push_back(buffer(0, bitmap));
      break;
    case Id::Boolean:
      out->buffers = {buffer(0, bitmap), buffer(1, bitmap)};
      break;
    case Id::String:
    case Id::Binary:
    case Id::LargeString:
    case Id::LargeBinary: {
      const bool large = type.id() == Id::LargeString || type.id() == Id::LargeBinary;
      auto offsets = buffer(1, (end + 1) * (large ? 8 : 4));
      if (!offsets) bad("string array without offsets");
      const int64_t data_size = large ? offsets->as<int64_t>()[end] : offsets->as<int32_t>()[end];
      out->buffers = {buffer(0, bitmap), offsets, buffer(2, static_cast<size_t>(data_size))};
      break;
    }
    case Id::Dictionary:
      out->buffers = {buffer(0, bitmap), buffer(1, end * 4)};
      if (!a->dictionary) bad("dictionary array without its dictionary");
      out->dictionary = wrap_array(a->dictionary, type.value_type(), owner);
      break;
    case Id::List:
    case Id::LargeList:
    case Id::Map: {
      const bool large = type.id() == Id::LargeList;
      out->buffers = {buffer(0, bitmap), buffer(1, (end + 1) * (large ? 8 : 4))};
      break;
    }
    default: {
      const size_t w = static_cast<size_t>(type.value_width());
      if (w == 0) throw Error(ErrorKind::Unsupported, "cannot import " + type.to_string());
      out->buffers = {buffer(0, bitmap), buffer(1, end * w)};
    }
  }
  // The interface lets a producer leave the null count unknown (-1): it is counted here,
  // since parkett's readers and writers trust it.
  if (out->null_count < 0) {
    out->null_count = 0;
    if (type.id() == Id::Null) {
      out->null_count = out->length;
    } else if (!out->buffers.empty() && out->buffers[0]) {
      for (int64_t i = 0; i < out->length; ++i) out->null_count += out->is_valid(i) ? 0 : 1;
    }
  } else if (out->null_count > out->length) {
    bad("a null count larger than the length");
  }
  const auto& children = type.children();
  if (static_cast<size_t>(a->n_children) != children.size()) bad("child count does not match the type");
  for (size_t i = 0; i < children.size(); ++i) {
    out->children.push_back(wrap_array(a->children[i], children[i].type, owner));
  }
  return out;
}

}  // namespace

Field import_field(ArrowSchema* schema) {
  if (!schema || !schema->release) bad("released or null schema");
  Field f;
  try {
    f = field_of(schema);
  } catch (...) {
    schema->release(schema);
    throw;
  }
  schema->release(schema);
  return f;
}

ArrayPtr import_array(ArrowArray* array, const DataType& type) {
  if (!array || !array->release) bad("released or null array");
  auto owner = std::make_shared<ImportedArray>();
  owner->array = *array;   // move: the producer's structure is ours now
  array->release = nullptr;
  return wrap_array(&owner->array, type, owner);
}

}  // namespace parkett
