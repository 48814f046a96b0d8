// Generic compact-protocol reading and writing driven by the field lists of
// parquet_fields.h. Every struct type goes through read_struct / write_struct; the value
// overloads below map C++ member types to Thrift wire types.
#include "format/serde.h"

#include <concepts>
#include <cstring>
#include <type_traits>

#include "format/chunk_summary.h"
#include "format/parquet_fields.h"
#include "parkett/error.h"

namespace parkett::format {
namespace {

using thrift::CompactReader;
using thrift::CompactWriter;

template <class T>
concept ThriftStruct = requires { T::kThriftName; };

template <class T> struct IsVector : std::false_type {};
template <class T> struct IsVector<std::vector<T>> : std::true_type {};
template <class T> struct IsOptional : std::false_type {};
template <class T> struct IsOptional<std::optional<T>> : std::true_type {};
template <class T> struct IsOptional<Boxed<T>> : std::true_type {};

// The wire type a member of C++ type T is written with (bools: kBoolTrue stands for both).
template <class T>
constexpr uint8_t wire_type() {
  if constexpr (IsOptional<T>::value) return wire_type<typename T::value_type>();
  else if constexpr (std::is_same_v<T, bool>) return thrift::kBoolTrue;
  else if constexpr (std::is_same_v<T, int8_t>) return thrift::kByte;
  else if constexpr (std::is_same_v<T, int16_t>) return thrift::kI16;
  else if constexpr (std::is_same_v<T, int32_t> || std::is_enum_v<T>) return thrift::kI32;
  else if constexpr (std::is_same_v<T, int64_t>) return thrift::kI64;
  else if constexpr (std::is_same_v<T, double>) return thrift::kDouble;
  else if constexpr (std::is_same_v<T, std::string>) return thrift::kBinary;
  else if constexpr (IsVector<T>::value) return thrift::kList;
  else {
    static_assert(ThriftStruct<T>);
    return thrift::kStruct;
  }
}

// Decoded footprint charged against the reader's allocation budget per list element.
template <class T>
constexpr size_t element_cost() { return sizeof(T); }

template <ThriftStruct T> void read_struct(CompactReader& r, T& out);

// Reads a value whose wire type was already checked. `type` matters for bools only: a bool
// field carries its value in the header type, a bool list element is a byte.
template <class T>
void read_value(CompactReader& r, uint8_t type, T& out) {
  if constexpr (std::is_same_v<T, bool>) {
    out = type == thrift::kBoolTrue;
  } else if constexpr (std::is_same_v<T, int8_t>) {
    out = static_cast<int8_t>(r.read_byte());
  } else if constexpr (std::is_same_v<T, int16_t>) {
    out = r.read_i16();
  } else if constexpr (std::is_same_v<T, int32_t>) {
    out = r.read_i32();
  } else if constexpr (std::is_enum_v<T>) {
    out = static_cast<T>(r.read_i32());
  } else if constexpr (std::is_same_v<T, int64_t>) {
    out = r.read_i64();
  } else if constexpr (std::is_same_v<T, double>) {
    out = r.read_double();
  } else if constexpr (std::is_same_v<T, std::string>) {
    out = r.read_binary();
  } else if constexpr (IsOptional<T>::value) {
    read_value(r, type, out.emplace());
  } else if constexpr (IsVector<T>::value) {
    using E = typename T::value_type;
    thrift::ListHeader h = r.read_list_header();
    constexpr uint8_t want = wire_type<E>();
    bool ok = want == thrift::kBoolTrue ? h.holds(thrift::kBoolTrue) || h.holds(thrift::kBoolFalse)
                                        : h.holds(want);
    if (!ok) {
      r.fail("list element type " + std::to_string(h.elem_type) + ", expected " +
             std::to_string(want));
    }
    r.charge(size_t{h.size} * element_cost<E>());
    out.clear();
    out.resize(h.size);
    for (uint32_t i = 0; i < h.size; ++i) {
      if constexpr (std::is_same_v<E, bool>) {
        // Bools in lists are one byte each; Thrift writes 1 for true, 2 (or 0) for false.
        out[i] = r.read_byte() == thrift::kBoolTrue;
      } else {
        E& e = out[i];
        read_value(r, h.elem_type, e);
      }
    }
  } else if constexpr (std::is_same_v<T, ChunkSummary>) {
    decode_chunk_summary(r, out);
  } else if constexpr (std::is_same_v<T, RawStruct>) {
    size_t start = r.position();
    r.skip(thrift::kStruct);
    out.offset = static_cast<uint32_t>(start);
    out.length = static_cast<uint32_t>(r.position() - start);
  } else {
    read_struct(r, out);
  }
}

// Reads the value of field `h` into the member of `out` with that id, if there is one with
// a compatible wire type; otherwise skips it as unknown. Marks the id in `seen`.
template <ThriftStruct T>
void read_one_field(CompactReader& r, thrift::FieldHeader h, T& out, uint32_t& seen) {
  bool matched = false;
  visit_fields(out, [&](int16_t id, const char*, auto& member, Req) {
    if (matched || id != h.id) return;
    using M = std::remove_reference_t<decltype(member)>;
    constexpr uint8_t want = wire_type<M>();
    bool ok = want == thrift::kBoolTrue
                  ? (h.type == thrift::kBoolTrue || h.type == thrift::kBoolFalse)
                  : h.type == want;
    if (!ok) return;  // same id, other type: an incompatible future field; skip it
    read_value(r, h.type, member);
    matched = true;
    seen |= 1u << id;
  });
  if (!matched) {
    r.skip(h.type);
    r.count_unknown_field();
  }
}

template <ThriftStruct T>
void check_required(const CompactReader& r, const T& out, uint32_t seen) {
  visit_fields(out, [&](int16_t id, const char* name, auto&, Req req) {
    if (req == kRequired && !(seen & (1u << id))) {
      r.fail(std::string(T::kThriftName) + " is missing required field '" + name + "'");
    }
  });
}

template <ThriftStruct T>
void read_struct(CompactReader& r, T& out) {
  r.enter_struct();
  uint32_t seen = 0;  // bit per field id; ids in parquet.thrift are < 32
  int16_t last_id = 0;
  while (true) {
    thrift::FieldHeader h = r.read_field_header(last_id);
    if (h.type == thrift::kStop) break;
    read_one_field(r, h, out, seen);
  }
  check_required(r, out, seen);
  r.leave_struct();
}

template <ThriftStruct T> void write_struct(CompactWriter& w, const T& in);

template <class T>
void write_value(CompactWriter& w, const T& v) {
  if constexpr (std::is_same_v<T, int8_t>) {
    w.write_byte(static_cast<uint8_t>(v));
  } else if constexpr (std::is_same_v<T, int16_t>) {
    w.write_i16(v);
  } else if constexpr (std::is_same_v<T, int32_t>) {
    w.write_i32(v);
  } else if constexpr (std::is_enum_v<T>) {
    w.write_i32(static_cast<int32_t>(v));
  } else if constexpr (std::is_same_v<T, int64_t>) {
    w.write_i64(v);
  } else if constexpr (std::is_same_v<T, double>) {
    w.write_double(v);
  } else if constexpr (std::is_same_v<T, std::string>) {
    w.write_binary(v);
  } else if constexpr (IsVector<T>::value) {
    using E = typename T::value_type;
    w.write_list_header(wire_type<E>(), v.size());
    for (const auto& e : v) {
      if constexpr (std::is_same_v<E, bool>) {
        w.write_byte(e ? thrift::kBoolTrue : thrift::kBoolFalse);
      } else {
        write_value(w, e);
      }
    }
  } else {
    write_struct(w, v);
  }
}

template <ThriftStruct T>
void write_struct(CompactWriter& w, const T& in) {
  int16_t last_id = 0;
  visit_fields(in, [&](int16_t id, const char*, const auto& member, Req) {
    using M = std::remove_cvref_t<decltype(member)>;
    if constexpr (IsOptional<M>::value) {
      if (!member) return;
      const auto& v = *member;
      using V = std::remove_cvref_t<decltype(v)>;
      if constexpr (std::is_same_v<V, bool>) {
        w.write_field_header(id, v ? thrift::kBoolTrue : thrift::kBoolFalse, last_id);
      } else {
        w.write_field_header(id, wire_type<V>(), last_id);
        write_value(w, v);
      }
    } else if constexpr (std::is_same_v<M, bool>) {
      w.write_field_header(id, member ? thrift::kBoolTrue : thrift::kBoolFalse, last_id);
    } else {
      w.write_field_header(id, wire_type<M>(), last_id);
      write_value(w, member);
    }
  });
  w.write_stop();
}

}  // namespace

template <class T>
DecodeInfo deserialize(const uint8_t* data, size_t size, T& out,
                       const thrift::ThriftLimits& limits) {
  CompactReader r(data, size, limits);
  read_struct(r, out);
  return {r.position(), r.unknown_fields()};
}

template <class T>
void serialize(const T& in, std::string& out) {
  CompactWriter w(out);
  write_struct(w, in);
}

template <class T>
void read_field(thrift::CompactReader& r, thrift::FieldHeader h, T& out, uint32_t& seen) {
  read_one_field(r, h, out, seen);
}

template <class T>
void check_required_fields(const thrift::CompactReader& r, const T& out, uint32_t seen) {
  check_required(r, out, seen);
}

template void read_field<FooterIndex>(thrift::CompactReader&, thrift::FieldHeader, FooterIndex&,
                                      uint32_t&);
template void read_field<RowGroupIndex>(thrift::CompactReader&, thrift::FieldHeader,
                                        RowGroupIndex&, uint32_t&);
template void check_required_fields<FooterIndex>(const thrift::CompactReader&, const FooterIndex&,
                                                 uint32_t);
template void check_required_fields<RowGroupIndex>(const thrift::CompactReader&,
                                                   const RowGroupIndex&, uint32_t);

#define PARKETT_DEFINE_SERDE(T)                                                           \
  template DecodeInfo deserialize<T>(const uint8_t*, size_t, T&, const thrift::ThriftLimits&); \
  template void serialize<T>(const T&, std::string&);

PARKETT_DEFINE_SERDE(FileMetaData)
PARKETT_DEFINE_SERDE(ColumnChunk)
PARKETT_DEFINE_SERDE(ColumnMetaData)
PARKETT_DEFINE_SERDE(PageHeader)
PARKETT_DEFINE_SERDE(ColumnIndex)
PARKETT_DEFINE_SERDE(OffsetIndex)
PARKETT_DEFINE_SERDE(BloomFilterHeader)
PARKETT_DEFINE_SERDE(FileCryptoMetaData)
PARKETT_DEFINE_SERDE(SchemaElement)
PARKETT_DEFINE_SERDE(Statistics)
template DecodeInfo deserialize<FooterSummary>(const uint8_t*, size_t, FooterSummary&,
                                               const thrift::ThriftLimits&);
PARKETT_DEFINE_SERDE(KeyValue)
PARKETT_DEFINE_SERDE(SortingColumn)

}  // namespace parkett::format
