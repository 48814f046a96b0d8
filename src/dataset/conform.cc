#include "dataset/conform.h"

#include <cstring>

#include "parkett/error.h"
#include "table/null_array.h"

namespace parkett::dataset {
namespace {

using Id = DataType::Id;

// Rank of an integer type within its signedness (0 for others), and whether it is signed.
int int_rank(Id id, bool& is_signed) {
  is_signed = true;
  switch (id) {
    case Id::Int8: return 1;
    case Id::Int16: return 2;
    case Id::Int32: return 3;
    case Id::Int64: return 4;
    default: break;
  }
  is_signed = false;
  switch (id) {
    case Id::UInt8: return 1;
    case Id::UInt16: return 2;
    case Id::UInt32: return 3;
    case Id::UInt64: return 4;
    default: return 0;
  }
}

bool nested(Id id) { return id == Id::Struct || id == Id::List || id == Id::LargeList || id == Id::Map; }

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// The child of `fields` named `name`, or -1.
int child_index(const std::vector<Field>& fields, const std::string& name, bool case_insensitive) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (same_name(fields[i].name, name, case_insensitive)) return static_cast<int>(i);
  }
  return -1;
}

template <class From, class To>
void convert(const uint8_t* src, uint8_t* dst, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    From v;
    std::memcpy(&v, src + i * sizeof(From), sizeof(From));
    const To w = static_cast<To>(v);
    std::memcpy(dst + i * sizeof(To), &w, sizeof(To));
  }
}

// Values of the numeric type `from` converted to `To`.
template <class To>
void convert_from(Id from, const uint8_t* src, uint8_t* dst, size_t n) {
  switch (from) {
    case Id::Int8: return convert<int8_t, To>(src, dst, n);
    case Id::Int16: return convert<int16_t, To>(src, dst, n);
    case Id::Int32: return convert<int32_t, To>(src, dst, n);
    case Id::Int64: return convert<int64_t, To>(src, dst, n);
    case Id::UInt8: return convert<uint8_t, To>(src, dst, n);
    case Id::UInt16: return convert<uint16_t, To>(src, dst, n);
    case Id::UInt32: return convert<uint32_t, To>(src, dst, n);
    case Id::UInt64: return convert<uint64_t, To>(src, dst, n);
    case Id::Float32: return convert<float, To>(src, dst, n);
    default: throw Error(ErrorKind::Internal, "not a numeric type");
  }
}

// A fixed-width array's values as `to`, rebased to offset 0 (the validity keeps its bits).
ArrayPtr widen_values(const ArrayPtr& array, const DataType& to, const std::string& column, const std::string& file) {
  auto out = std::make_shared<ArrayData>(*array);
  out->type = to;
  const Id from = array->type.id();
  if (from == Id::Decimal128 || from == Id::Decimal256) return out;  // the same values, more digits allowed
  out->offset = 0;
  const auto n = static_cast<size_t>(array->length);
  const auto from_width = static_cast<size_t>(array->type.value_width());
  const uint8_t* src = n ? array->buffers.at(1)->data() + static_cast<size_t>(array->offset) * from_width : nullptr;
  auto values = Buffer::allocate(n * static_cast<size_t>(to.value_width()));
  if (from == Id::Timestamp) {
    int64_t factor = 1;
    for (int u = static_cast<int>(array->type.unit()); u < static_cast<int>(to.unit()); ++u) factor *= 1000;
    for (size_t i = 0; i < n; ++i) {
      int64_t v, w = 0;
      std::memcpy(&v, src + i * 8, 8);
      if (array->is_valid(static_cast<int64_t>(i)) && __builtin_mul_overflow(v, factor, &w)) {
        throw Error(ErrorKind::InvalidArgument, "column '" + column + "' of '" + file + "': the value " +
                                                    std::to_string(v) + " of " + array->type.to_string() +
                                                    " does not fit " + to.to_string());
      }
      std::memcpy(values->data() + i * 8, &w, 8);
    }
  } else {
    switch (to.id()) {
      case Id::Float64: convert_from<double>(from, src, values->data(), n); break;
      case Id::Int16: convert_from<int16_t>(from, src, values->data(), n); break;
      case Id::Int32: convert_from<int32_t>(from, src, values->data(), n); break;
      case Id::Int64: convert_from<int64_t>(from, src, values->data(), n); break;
      case Id::UInt16: convert_from<uint16_t>(from, src, values->data(), n); break;
      case Id::UInt32: convert_from<uint32_t>(from, src, values->data(), n); break;
      case Id::UInt64: convert_from<uint64_t>(from, src, values->data(), n); break;
      default: throw Error(ErrorKind::Internal, "cannot widen to " + to.to_string());
    }
  }
  if (array->offset != 0 && array->buffers[0]) {
    auto bits = Buffer::allocate((n + 7) / 8, true);
    for (size_t i = 0; i < n; ++i) {
      if (array->is_valid(static_cast<int64_t>(i))) bits->data()[i >> 3] |= static_cast<uint8_t>(1u << (i & 7));
    }
    out->buffers[0] = bits;
  }
  out->buffers[1] = values;
  return out;
}

}  // namespace

std::string lower_case(std::string name) {
  for (char& c : name) c = lower(c);
  return name;
}

FieldNames::FieldNames(const std::vector<Field>& fields, bool case_insensitive) : case_insensitive_(case_insensitive) {
  at_.reserve(fields.size());
  for (size_t i = 0; i < fields.size(); ++i) add(fields[i].name, i);
}

bool FieldNames::add(const std::string& name, size_t position) {
  return at_.emplace(case_insensitive_ ? lower_case(name) : name, position).second;
}

int FieldNames::find(const std::string& name) const {
  const auto it = at_.find(case_insensitive_ ? lower_case(name) : name);
  return it == at_.end() ? -1 : static_cast<int>(it->second);
}

bool same_name(const std::string& a, const std::string& b, bool case_insensitive) {
  if (!case_insensitive) return a == b;
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

bool widens(const DataType& from, const DataType& to) {
  if (from == to || from.id() == Id::Null) return true;
  bool from_signed, to_signed;
  const int a = int_rank(from.id(), from_signed), b = int_rank(to.id(), to_signed);
  if (a && b) return from_signed == to_signed && a < b;
  if (to.id() == Id::Float64) return (a && a <= 3) || from.id() == Id::Float32;
  if (from.id() == Id::Timestamp && to.id() == Id::Timestamp) {
    return from.timezone() == to.timezone() && from.unit() < to.unit();
  }
  if ((from.id() == Id::Decimal128 || from.id() == Id::Decimal256) && from.id() == to.id()) {
    return from.scale() == to.scale() && from.precision() < to.precision();
  }
  return false;
}

bool reads_as(const DataType& from, const DataType& to, const Fit& fit, std::string& where) {
  where.clear();
  if (from == to || from.id() == Id::Null) return true;
  if (!nested(from.id()) || from.id() != to.id()) return !nested(to.id()) && widens(from, to);
  const auto& have = from.children();
  const auto& want = to.children();
  if (from.id() == Id::Map) {  // key and value, whatever the entries' names
    const auto& h = have.at(0).type.children();
    const auto& w = want.at(0).type.children();
    for (size_t i = 0; i < 2; ++i) {
      if (!reads_as(h.at(i).type, w.at(i).type, fit, where)) {
        where = w[i].name + (where.empty() ? "" : "." + where);
        return false;
      }
    }
    return true;
  }
  if (from.id() != Id::Struct) {  // lists: the element, whatever its name
    if (reads_as(have.at(0).type, want.at(0).type, fit, where)) return true;
    where = want[0].name + (where.empty() ? "" : "." + where);
    return false;
  }
  for (const Field& w : want) {
    const int h = child_index(have, w.name, fit.case_insensitive);
    if (h < 0) {
      if (fit.subset) continue;
      where = w.name;
      return false;
    }
    if (!reads_as(have[static_cast<size_t>(h)].type, w.type, fit, where)) {
      where = w.name + (where.empty() ? "" : "." + where);
      return false;
    }
  }
  if (!fit.subset) {
    for (const Field& h : have) {
      if (child_index(want, h.name, fit.case_insensitive) < 0) {
        where = h.name;
        return false;
      }
    }
  }
  return true;
}

ArrayPtr conform(const ArrayPtr& array, const DataType& to, bool case_insensitive, const std::string& column,
                 const std::string& file) {
  if (array->type == to) return array;
  if (array->type.id() == Id::Null) {
    // Every slot stays null; the length covers the offset, as a struct's children must.
    auto out = table::null_array(to, array->offset + array->length);
    if (array->offset == 0) return out;
    auto view = std::make_shared<ArrayData>(*out);
    view->offset = array->offset;
    view->length = array->length;
    view->null_count = array->length;
    return view;
  }
  if (!nested(to.id())) return widen_values(array, to, column, file);
  auto out = std::make_shared<ArrayData>(*array);
  out->type = to;
  const auto& want = to.children();
  if (to.id() == Id::Map) {  // the entries' key and value by position
    const ArrayPtr& from_entries = array->children.at(0);
    auto entries = std::make_shared<ArrayData>(*from_entries);
    entries->type = want.at(0).type;
    for (size_t i = 0; i < 2; ++i) {
      entries->children.at(i) = conform(from_entries->children.at(i), entries->type.children().at(i).type,
                                        case_insensitive, column, file);
    }
    out->children.at(0) = entries;
    return out;
  }
  if (to.id() != Id::Struct) {
    out->children.at(0) = conform(array->children.at(0), want.at(0).type, case_insensitive, column, file);
    return out;
  }
  out->children.clear();
  const auto& have = array->type.children();
  for (const Field& w : want) {
    const int h = child_index(have, w.name, case_insensitive);
    out->children.push_back(h < 0 ? table::null_array(w.type, array->offset + array->length)
                                  : conform(array->children.at(static_cast<size_t>(h)), w.type, case_insensitive,
                                            column + "." + w.name, file));
  }
  return out;
}

}  // namespace parkett::dataset
