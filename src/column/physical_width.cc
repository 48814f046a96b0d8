#include "column/physical_width.h"

#include <string>

#include "parkett/error.h"

namespace parkett::column {

size_t physical_width(PhysicalType type, int32_t type_length) {
  switch (type) {
    case PhysicalType::Boolean: return 1;
    case PhysicalType::Int32:
    case PhysicalType::Float: return 4;
    case PhysicalType::Int64:
    case PhysicalType::Double: return 8;
    case PhysicalType::Int96: return 12;
    case PhysicalType::FixedLenByteArray:
      if (type_length <= 0) {
        throw Error(ErrorKind::Corrupt, "FIXED_LEN_BYTE_ARRAY column without a positive type_length");
      }
      return static_cast<size_t>(type_length);
    case PhysicalType::ByteArray: return 0;
  }
  // parquet.thrift's Type enum has never grown: a negative value is damage, not a type from
  // a newer format version.
  throw Error(static_cast<int>(type) < 0 ? ErrorKind::Corrupt : ErrorKind::Unsupported,
              "physical type " + to_string(type) + " is not known");
}

}  // namespace parkett::column
