#include "table/take.h"

#include <cstring>

#include "parkett/error.h"
#include "table/value_copy.h"

namespace parkett::table {
namespace {

using Id = DataType::Id;

bool bit(const uint8_t* bits, int64_t i) { return (bits[i >> 3] >> (i & 7)) & 1; }
void set_bit(uint8_t* bits, int64_t i) { bits[i >> 3] |= static_cast<uint8_t>(1 << (i & 7)); }

// Logical rows `rows` of `a`, physical index a.offset + row.
std::shared_ptr<Buffer> take_validity(const ArrayData& a, const std::vector<int64_t>& rows, int64_t& nulls) {
  nulls = 0;
  if (a.buffers.empty() || !a.buffers[0] || a.null_count == 0) return nullptr;
  auto out = Buffer::allocate((rows.size() + 7) / 8, true);
  const uint8_t* in = a.buffers[0]->data();
  for (size_t i = 0; i < rows.size(); ++i) {
    if (bit(in, a.offset + rows[i])) set_bit(out->data(), static_cast<int64_t>(i));
    else ++nulls;
  }
  return nulls ? out : nullptr;
}

template <class Offset>
void take_binary(const ArrayData& a, const std::vector<int64_t>& rows, ArrayData& out) {
  const Offset* o = a.buffers.at(1)->as<Offset>();
  const uint8_t* data = a.buffers.size() > 2 && a.buffers[2] ? a.buffers[2]->data() : nullptr;
  auto offsets = Buffer::allocate((rows.size() + 1) * sizeof(Offset));
  Offset* to = offsets->as<Offset>();
  to[0] = 0;
  size_t bytes = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    const int64_t at = a.offset + rows[i];
    bytes += static_cast<size_t>(o[at + 1] - o[at]);
    to[i + 1] = static_cast<Offset>(bytes);
  }
  // 16 bytes spare for copy_value.
  auto values = Buffer::allocate(bytes + 16);
  const size_t readable = a.buffers.size() > 2 && a.buffers[2] ? a.buffers[2]->capacity() : 0;
  uint8_t* out_data = values->data();
  for (size_t i = 0; i < rows.size(); ++i) {
    const int64_t at = a.offset + rows[i];
    const auto from = static_cast<size_t>(o[at]);
    copy_value(out_data + static_cast<size_t>(to[i]), data + from, static_cast<size_t>(o[at + 1] - o[at]),
               readable > from ? readable - from : 0);
  }
  out.buffers.push_back(std::move(offsets));
  out.buffers.push_back(std::move(values));
}

template <class T>
void gather(const uint8_t* in, int64_t offset, const std::vector<int64_t>& rows, uint8_t* out) {
  const T* from = reinterpret_cast<const T*>(in) + offset;
  T* to = reinterpret_cast<T*>(out);
  for (size_t i = 0; i < rows.size(); ++i) to[i] = from[rows[i]];
}

template <class Offset>
void take_list(const ArrayData& a, const std::vector<int64_t>& rows, ArrayData& out) {
  const Offset* o = a.buffers.at(1)->as<Offset>();
  auto offsets = Buffer::allocate((rows.size() + 1) * sizeof(Offset));
  Offset* to = offsets->as<Offset>();
  to[0] = 0;
  std::vector<int64_t> child_rows;
  for (size_t i = 0; i < rows.size(); ++i) {
    const int64_t at = a.offset + rows[i];
    for (Offset j = o[at]; j < o[at + 1]; ++j) child_rows.push_back(j);
    to[i + 1] = static_cast<Offset>(child_rows.size());
  }
  out.buffers.push_back(std::move(offsets));
  out.children.push_back(take(*a.children.at(0), child_rows));
}

}  // namespace

ArrayPtr take(const ArrayData& a, const std::vector<int64_t>& rows) {
  auto out = std::make_shared<ArrayData>();
  out->type = a.type;
  out->length = static_cast<int64_t>(rows.size());
  if (a.type.id() == Id::Null) {
    out->null_count = out->length;
    return out;
  }
  out->buffers.push_back(take_validity(a, rows, out->null_count));
  switch (a.type.id()) {
    case Id::Boolean: {
      auto values = Buffer::allocate((rows.size() + 7) / 8, true);
      const uint8_t* in = a.buffers.at(1)->data();
      for (size_t i = 0; i < rows.size(); ++i) {
        if (bit(in, a.offset + rows[i])) set_bit(values->data(), static_cast<int64_t>(i));
      }
      out->buffers.push_back(std::move(values));
      return out;
    }
    case Id::String:
    case Id::Binary: take_binary<int32_t>(a, rows, *out); return out;
    case Id::LargeString:
    case Id::LargeBinary: take_binary<int64_t>(a, rows, *out); return out;
    case Id::List:
    case Id::Map: take_list<int32_t>(a, rows, *out); return out;
    case Id::LargeList: take_list<int64_t>(a, rows, *out); return out;
    case Id::Struct: {
      std::vector<int64_t> child_rows(rows.size());
      for (size_t i = 0; i < rows.size(); ++i) child_rows[i] = a.offset + rows[i];
      for (const auto& c : a.children) out->children.push_back(take(*c, child_rows));
      return out;
    }
    case Id::Dictionary: {
      auto values = Buffer::allocate(rows.size() * 4);
      const int32_t* in = a.buffers.at(1)->as<int32_t>();
      for (size_t i = 0; i < rows.size(); ++i) values->as<int32_t>()[i] = in[a.offset + rows[i]];
      out->buffers.push_back(std::move(values));
      out->dictionary = a.dictionary;
      return out;
    }
    default: {
      const int32_t width = a.type.id() == Id::FixedSizeBinary ? a.type.byte_width() : a.type.value_width();
      if (width <= 0) throw Error(ErrorKind::Internal, "take: no layout for " + a.type.to_string());
      const auto w = static_cast<size_t>(width);
      auto values = Buffer::allocate(rows.size() * w);
      const uint8_t* in = a.buffers.at(1)->data();
      switch (w) {  // the common widths as typed loads, not a call per value
        case 1: gather<uint8_t>(in, a.offset, rows, values->data()); break;
        case 2: gather<uint16_t>(in, a.offset, rows, values->data()); break;
        case 4: gather<uint32_t>(in, a.offset, rows, values->data()); break;
        case 8: gather<uint64_t>(in, a.offset, rows, values->data()); break;
        case 16: gather<Bytes16>(in, a.offset, rows, values->data()); break;  // decimal128, interval
        default:
          for (size_t i = 0; i < rows.size(); ++i) {
            std::memcpy(values->data() + i * w, in + static_cast<size_t>(a.offset + rows[i]) * w, w);
          }
      }
      out->buffers.push_back(std::move(values));
      return out;
    }
  }
}

std::vector<int64_t> selected_rows(const std::vector<uint8_t>& keep) {
  std::vector<int64_t> rows;
  for (size_t i = 0; i < keep.size(); ++i) {
    if (keep[i]) rows.push_back(static_cast<int64_t>(i));
  }
  return rows;
}

}  // namespace parkett::table
