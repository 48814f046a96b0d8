// Test helpers for files made byte by byte: a FileMetaData with its root, varints, and the
// file's trailer. Tests build what writers get wrong (or hostile files) from these.
#pragma once

#include <cstdint>
#include <string>

#include "format/parquet_types.h"
#include "format/serde.h"

namespace parkett::test {

/// A FileMetaData (version 1) whose schema is the root, with `children` to follow.
inline format::FileMetaData metadata_with_root(int32_t children) {
  format::FileMetaData md;
  md.version = 1;
  format::SchemaElement root;
  root.name = "schema";
  root.num_children = children;
  md.schema.push_back(root);
  return md;
}

/// An unsigned LEB128 varint (Thrift compact protocol, RLE run headers).
inline std::string varint(uint64_t v) {
  std::string out;
  for (; v >= 0x80; v >>= 7) out.push_back(static_cast<char>((v & 0x7f) | 0x80));
  out.push_back(static_cast<char>(v));
  return out;
}

/// `body` (starting with "PAR1") followed by `footer`, its length and the magic.
inline std::string with_trailer(std::string body, const std::string& footer) {
  body += footer;
  const auto n = static_cast<uint32_t>(footer.size());
  body.append(reinterpret_cast<const char*>(&n), 4);
  return body + "PAR1";
}

/// `body` followed by `md` serialized as its footer.
inline std::string with_trailer(std::string body, const format::FileMetaData& md) {
  std::string footer;
  format::serialize(md, footer);
  return with_trailer(std::move(body), footer);
}

}  // namespace parkett::test
