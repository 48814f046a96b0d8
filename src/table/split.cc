#include "table/split.h"

#include "table/take.h"
#include "table/value_copy.h"

namespace parkett::table {
namespace {

using Id = DataType::Id;

template <class T>
void split_fixed(const ArrayData& a, const std::vector<uint32_t>& part, std::vector<ArrayPtr>& out) {
  std::vector<T*> to(out.size());
  for (size_t p = 0; p < out.size(); ++p) to[p] = out[p]->buffers[1]->template as<T>();
  const T* from = a.buffers.at(1)->as<T>() + a.offset;
  for (size_t r = 0; r < part.size(); ++r) *to[part[r]]++ = from[r];
}

template <class Offset>
void split_binary(const ArrayData& a, const std::vector<uint32_t>& part, std::vector<ArrayPtr>& out) {
  const Offset* o = a.buffers.at(1)->as<Offset>() + a.offset;
  const uint8_t* data = a.buffers.size() > 2 && a.buffers[2] ? a.buffers[2]->data() : nullptr;
  const size_t readable = data ? a.buffers[2]->capacity() : 0;
  const size_t parts = out.size();
  std::vector<int64_t> bytes(parts, 0);
  for (size_t r = 0; r < part.size(); ++r) bytes[part[r]] += o[r + 1] - o[r];
  std::vector<Offset*> offsets(parts);
  std::vector<uint8_t*> values(parts);
  std::vector<Offset> at(parts, 0);
  for (size_t p = 0; p < parts; ++p) {
    // 16 bytes spare for copy_value.
    out[p]->buffers.push_back(Buffer::allocate(static_cast<size_t>(bytes[p]) + 16));
    offsets[p] = out[p]->buffers[1]->template as<Offset>();
    offsets[p][0] = 0;
    ++offsets[p];
    values[p] = out[p]->buffers[2]->data();
  }
  for (size_t r = 0; r < part.size(); ++r) {
    const uint32_t p = part[r];
    const auto from = static_cast<size_t>(o[r]);
    const auto n = static_cast<size_t>(o[r + 1] - o[r]);
    copy_value(values[p] + at[p], data + from, n, readable > from ? readable - from : 0);
    at[p] += static_cast<Offset>(n);
    *offsets[p]++ = at[p];
  }
}

}  // namespace

std::vector<ArrayPtr> split(const ArrayData& a, const std::vector<uint32_t>& part, const std::vector<int64_t>& counts) {
  const size_t parts = counts.size();
  const Id id = a.type.id();
  const int32_t width = id == Id::FixedSizeBinary ? a.type.byte_width() : a.type.value_width();
  const bool binary = id == Id::String || id == Id::Binary || id == Id::LargeString || id == Id::LargeBinary;
  const bool fixed = id != Id::Dictionary && (width == 1 || width == 2 || width == 4 || width == 8 || width == 16);
  if (!binary && !fixed) {
    // Nested, boolean, dictionary and odd widths: a gather per part.
    std::vector<std::vector<int64_t>> rows(parts);
    for (size_t p = 0; p < parts; ++p) rows[p].reserve(static_cast<size_t>(counts[p]));
    for (size_t r = 0; r < part.size(); ++r) rows[part[r]].push_back(static_cast<int64_t>(r));
    std::vector<ArrayPtr> out;
    for (size_t p = 0; p < parts; ++p) out.push_back(take(a, rows[p]));
    return out;
  }
  std::vector<ArrayPtr> out(parts);
  const bool has_nulls = !a.buffers.empty() && a.buffers[0] && a.null_count != 0;  // -1: unknown
  for (size_t p = 0; p < parts; ++p) {
    out[p] = std::make_shared<ArrayData>();
    out[p]->type = a.type;
    out[p]->length = counts[p];
    out[p]->buffers.push_back(has_nulls ? Buffer::allocate(static_cast<size_t>(counts[p] + 7) / 8, true) : nullptr);
    const size_t second = binary ? static_cast<size_t>(counts[p] + 1) * (id == Id::LargeString || id == Id::LargeBinary ? 8 : 4)
                                 : static_cast<size_t>(counts[p]) * static_cast<size_t>(width);
    out[p]->buffers.push_back(Buffer::allocate(second));
  }
  if (has_nulls) {
    const uint8_t* valid = a.buffers[0]->data();
    std::vector<int64_t> at(parts, 0);
    for (size_t r = 0; r < part.size(); ++r) {
      const uint32_t p = part[r];
      const int64_t bit = a.offset + static_cast<int64_t>(r);
      if ((valid[bit >> 3] >> (bit & 7)) & 1) {
        out[p]->buffers[0]->data()[at[p] >> 3] |= static_cast<uint8_t>(1 << (at[p] & 7));
      } else {
        ++out[p]->null_count;
      }
      ++at[p];
    }
    for (ArrayPtr& o : out) {
      if (o->null_count == 0) o->buffers[0] = nullptr;
    }
  }
  switch (id) {
    case Id::String:
    case Id::Binary: split_binary<int32_t>(a, part, out); break;
    case Id::LargeString:
    case Id::LargeBinary: split_binary<int64_t>(a, part, out); break;
    default:
      switch (width) {
        case 1: split_fixed<uint8_t>(a, part, out); break;
        case 2: split_fixed<uint16_t>(a, part, out); break;
        case 4: split_fixed<uint32_t>(a, part, out); break;
        case 8: split_fixed<uint64_t>(a, part, out); break;
        default: split_fixed<Bytes16>(a, part, out); break;
      }
  }
  return out;
}

}  // namespace parkett::table
