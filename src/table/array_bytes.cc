#include "table/array_bytes.h"

namespace parkett::table {

int64_t estimated_bytes(const ArrayData& a, int64_t start, int64_t length) {
  using Id = DataType::Id;
  const int64_t at = a.offset + start;
  int64_t bytes = (length + 7) / 8;  // validity
  switch (a.type.id()) {
    case Id::Null: return 0;
    case Id::Boolean: return bytes * 2;
    case Id::String:
    case Id::Binary: {
      const int32_t* o = a.buffers.at(1)->as<int32_t>();
      return bytes + 4 * length + (o[at + length] - o[at]);
    }
    case Id::LargeString:
    case Id::LargeBinary: {
      const int64_t* o = a.buffers.at(1)->as<int64_t>();
      return bytes + 4 * length + (o[at + length] - o[at]);
    }
    case Id::List:
    case Id::Map:
    case Id::LargeList: {
      int64_t begin, end;
      if (a.type.id() == Id::LargeList) {
        begin = a.buffers.at(1)->as<int64_t>()[at];
        end = a.buffers.at(1)->as<int64_t>()[at + length];
      } else {
        begin = a.buffers.at(1)->as<int32_t>()[at];
        end = a.buffers.at(1)->as<int32_t>()[at + length];
      }
      return bytes + 4 * length + estimated_bytes(*a.children.at(0), begin, end - begin);
    }
    case Id::Struct:
      for (const auto& c : a.children) bytes += estimated_bytes(*c, at, length);
      return bytes;
    case Id::Dictionary: return bytes + 4 * length;
    default: return bytes + a.type.value_width() * length;
  }
}

}  // namespace parkett::table
