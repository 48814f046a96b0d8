// Compact-protocol (de)serialisation of the parquet.thrift structs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "format/chunk_summary.h"
#include "format/parquet_types.h"
#include "thrift/compact_protocol.h"

namespace parkett::format {

struct DecodeInfo {
  size_t bytes_read = 0;        // bytes the struct occupied
  int64_t unknown_fields = 0;   // fields skipped because this version does not know them
};

/// Decodes one T from the start of [data, data + size). Throws Error(Corrupt) naming the
/// struct and field on malformed input, Error(ResourceLimit) past `limits`.
template <class T>
DecodeInfo deserialize(const uint8_t* data, size_t size, T& out,
                       const thrift::ThriftLimits& limits = {});

/// Appends the compact encoding of `in` to `out`.
template <class T>
void serialize(const T& in, std::string& out);

/// For decoders that walk a struct themselves (footer_walker.h): reads one field whose
/// header was consumed into the matching member of `out` (or skips it as unknown), marking
/// its id in `seen`; and checks that every required field was seen.
template <class T>
void read_field(thrift::CompactReader& r, thrift::FieldHeader h, T& out, uint32_t& seen);
template <class T>
void check_required_fields(const thrift::CompactReader& r, const T& out, uint32_t seen);

#define PARKETT_DECLARE_SERDE(T)                                                         \
  extern template DecodeInfo deserialize<T>(const uint8_t*, size_t, T&,                  \
                                            const thrift::ThriftLimits&);                \
  extern template void serialize<T>(const T&, std::string&);

PARKETT_DECLARE_SERDE(FileMetaData)
PARKETT_DECLARE_SERDE(ColumnChunk)
PARKETT_DECLARE_SERDE(ColumnMetaData)
PARKETT_DECLARE_SERDE(PageHeader)
PARKETT_DECLARE_SERDE(ColumnIndex)
PARKETT_DECLARE_SERDE(OffsetIndex)
PARKETT_DECLARE_SERDE(BloomFilterHeader)
PARKETT_DECLARE_SERDE(FileCryptoMetaData)
PARKETT_DECLARE_SERDE(SchemaElement)
PARKETT_DECLARE_SERDE(Statistics)
PARKETT_DECLARE_SERDE(KeyValue)
PARKETT_DECLARE_SERDE(SortingColumn)
extern template DecodeInfo deserialize<FooterSummary>(const uint8_t*, size_t, FooterSummary&,
                                                      const thrift::ThriftLimits&);
#undef PARKETT_DECLARE_SERDE

}  // namespace parkett::format
