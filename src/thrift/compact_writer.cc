#include <cstring>

#include "thrift/compact_protocol.h"

namespace parkett::thrift {

void CompactWriter::write_varint(uint64_t v) {
  while (v >= 0x80) {
    out_.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out_.push_back(static_cast<char>(v));
}

void CompactWriter::write_double(double v) {
  char buf[8];
  std::memcpy(buf, &v, 8);
  out_.append(buf, 8);
}

void CompactWriter::write_binary(std::string_view v) {
  write_varint(v.size());
  out_.append(v.data(), v.size());
}

void CompactWriter::write_field_header(int16_t id, uint8_t type, int16_t& last_id) {
  int delta = id - last_id;
  if (delta > 0 && delta <= 15) {
    write_byte(static_cast<uint8_t>((delta << 4) | type));
  } else {
    write_byte(type);
    write_i16(id);
  }
  last_id = id;
}

void CompactWriter::write_list_header(uint8_t elem_type, size_t size) {
  if (size < 15) {
    write_byte(static_cast<uint8_t>((size << 4) | elem_type));
  } else {
    write_byte(static_cast<uint8_t>(0xf0 | elem_type));
    write_varint(size);
  }
}

}  // namespace parkett::thrift
