// The Arrow schema stored in Parquet key-value metadata under "ARROW:schema" (as pyarrow and
// arrow-rs write it): base64 of an Arrow IPC message (continuation marker, length, then a
// FlatBuffers `Message` whose header is a `Schema`; format/Schema.fbs, format/Message.fbs).
// Encoded by hand: parkett has no FlatBuffers dependency. The decoder checks every offset
// against the buffer and limits nesting, so a hostile value is an error, never a crash.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "parkett/datatype.h"

namespace parkett::schema {

inline constexpr const char* kArrowSchemaKey = "ARROW:schema";

/// The base64 ARROW:schema value of `schema` (fields, their metadata, the schema's metadata).
std::string encode_arrow_schema(const Schema& schema);

/// One field of a decoded Arrow schema. Types without a parkett counterpart (duration,
/// date64, view types, ...) keep their union tag but no `type`.
struct ArrowField {
  std::string name;
  bool nullable = true;
  uint8_t tag = 0;                 // Schema.fbs Type union member
  std::optional<DataType> type;    // leaf types parkett has
  bool keys_sorted = false;        // Map
  bool dictionary = false;         // dictionary-encoded (type is the value type)
  std::vector<ArrowField> children;
  std::vector<std::pair<std::string, std::string>> metadata;
};

namespace arrow_tag {
inline constexpr uint8_t kList = 12, kStruct = 13, kMap = 17, kLargeBinary = 19, kLargeUtf8 = 20, kLargeList = 21,
                         kTimestamp = 10;
}

struct ArrowSchema {
  std::vector<ArrowField> fields;
  std::vector<std::pair<std::string, std::string>> metadata;
};

/// Decodes an ARROW:schema value. Throws Error(Corrupt) saying what is malformed.
ArrowSchema decode_arrow_schema(std::string_view base64);

}  // namespace parkett::schema
