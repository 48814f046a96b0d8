#include "table/null_array.h"

namespace parkett::table {

ArrayPtr null_array(const DataType& type, int64_t length) {
  using Id = DataType::Id;
  auto out = std::make_shared<ArrayData>();
  out->type = type;
  out->length = length;
  out->null_count = length;
  const auto n = static_cast<size_t>(length);
  if (type.id() == Id::Null) return out;
  out->buffers.push_back(Buffer::allocate((n + 7) / 8, true));
  switch (type.id()) {
    case Id::Boolean: out->buffers.push_back(Buffer::allocate((n + 7) / 8, true)); break;
    case Id::String:
    case Id::Binary:
      out->buffers.push_back(Buffer::allocate((n + 1) * sizeof(int32_t), true));
      out->buffers.push_back(Buffer::allocate(0));
      break;
    case Id::LargeString:
    case Id::LargeBinary:
      out->buffers.push_back(Buffer::allocate((n + 1) * sizeof(int64_t), true));
      out->buffers.push_back(Buffer::allocate(0));
      break;
    case Id::List:
    case Id::Map:
      out->buffers.push_back(Buffer::allocate((n + 1) * sizeof(int32_t), true));
      out->children.push_back(null_array(type.children().at(0).type, 0));
      break;
    case Id::LargeList:
      out->buffers.push_back(Buffer::allocate((n + 1) * sizeof(int64_t), true));
      out->children.push_back(null_array(type.children().at(0).type, 0));
      break;
    case Id::Struct:
      for (const Field& f : type.children()) out->children.push_back(null_array(f.type, length));
      break;
    case Id::Dictionary:
      // Index 0 in every (null) slot, into a dictionary of one null value.
      out->buffers.push_back(Buffer::allocate(n * sizeof(int32_t), true));
      out->dictionary = null_array(type.value_type(), 1);
      break;
    default:
      out->buffers.push_back(Buffer::allocate(n * static_cast<size_t>(type.value_width()), true));
      break;
  }
  return out;
}

}  // namespace parkett::table
