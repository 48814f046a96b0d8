#include "convert/variant_json.h"

#include <cstring>

#include "convert/json_numbers.h"
#include "parkett/error.h"
#include "util/json_text.h"
#include "util/value_text.h"
#include "variant/variant.h"

namespace parkett::convert {
namespace {

using variant::BasicType;
using variant::Primitive;

constexpr int kMaxDepth = 256;  // deeper nesting is refused rather than recursed into

template <class T>
T load(const variant::Value& v, size_t at = 0) {
  T out;
  std::memcpy(&out, v.payload().data() + at, sizeof(T));
  return out;
}

std::string_view chars(variant::Bytes b) { return {reinterpret_cast<const char*>(b.data()), b.size()}; }

// `nodes_left`: values still to be written. Each value has a header byte of its own, so a
// well-formed Variant has no more values than bytes; elements whose offsets point at the
// same bytes could otherwise make a kilobyte print forever.
void write(const variant::Metadata& md, const variant::Value& v, std::string& out, int depth, size_t& nodes_left) {
  if (depth > kMaxDepth) throw Error(ErrorKind::Unsupported, "variant nested deeper than " + std::to_string(kMaxDepth));
  if (nodes_left == 0) throw Error(ErrorKind::Corrupt, "variant: elements share bytes (more values than the value has bytes)");
  --nodes_left;
  switch (v.basic_type()) {
    case BasicType::ShortString: util::append_json_string(out, v.text()); return;
    case BasicType::Object:
      out += '{';
      for (size_t i = 0; i < v.count(); ++i) {
        if (i) out += ',';
        util::append_json_string(out, md.key(v.field_id(i)));
        out += ':';
        write(md, v.element(i), out, depth + 1, nodes_left);
      }
      out += '}';
      return;
    case BasicType::Array:
      out += '[';
      for (size_t i = 0; i < v.count(); ++i) {
        if (i) out += ',';
        write(md, v.element(i), out, depth + 1, nodes_left);
      }
      out += ']';
      return;
    case BasicType::Primitive: break;
  }
  switch (v.primitive()) {
    case Primitive::Null: out += "null"; return;
    case Primitive::True: out += "true"; return;
    case Primitive::False: out += "false"; return;
    case Primitive::Int8: write_int(load<int8_t>(v), out); return;
    case Primitive::Int16: write_int(load<int16_t>(v), out); return;
    case Primitive::Int32: write_int(load<int32_t>(v), out); return;
    case Primitive::Int64: write_int(load<int64_t>(v), out); return;
    case Primitive::Double: write_float_text(util::format_double(load<double>(v)), out); return;
    case Primitive::Float: write_float_text(util::format_float(load<float>(v)), out); return;
    case Primitive::Decimal4:
    case Primitive::Decimal8:
    case Primitive::Decimal16: {
      const variant::Bytes p = v.payload();
      if (p[0] > 38) throw Error(ErrorKind::Corrupt, "variant: decimal scale " + std::to_string(p[0]));
      std::string big_endian(p.size() - 1, '\0');
      for (size_t i = 1; i < p.size(); ++i) big_endian[p.size() - 1 - i] = static_cast<char>(p[i]);
      util::append_json_string(out, util::format_decimal_bytes(big_endian, p[0]));
      return;
    }
    case Primitive::Date: util::append_json_string(out, util::format_date(load<int32_t>(v))); return;
    case Primitive::TimestampMicros:
    case Primitive::TimestampNtzMicros:
      util::append_json_string(out, util::format_timestamp(load<int64_t>(v), TimeUnit::Micro,
                                                           v.primitive() == Primitive::TimestampMicros));
      return;
    case Primitive::TimestampNanos:
    case Primitive::TimestampNtzNanos:
      util::append_json_string(out, util::format_timestamp(load<int64_t>(v), TimeUnit::Nano,
                                                           v.primitive() == Primitive::TimestampNanos));
      return;
    case Primitive::TimeNtzMicros:
      util::append_json_string(out, util::format_time(load<int64_t>(v), TimeUnit::Micro, false));
      return;
    case Primitive::String: util::append_json_string(out, v.text()); return;
    case Primitive::Binary: util::append_json_string(out, util::hex_bytes(v.text())); return;
    case Primitive::Uuid: {
      const std::string hex = util::hex_bytes(chars(v.payload())).substr(2);
      util::append_json_string(out, hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
                                        hex.substr(16, 4) + "-" + hex.substr(20));
      return;
    }
  }
  throw Error(ErrorKind::Unsupported, "variant primitive type " + std::to_string(static_cast<int>(v.primitive())));
}

}  // namespace

void write_variant_json(std::string_view metadata, std::string_view value, std::string& out) {
  const auto bytes = [](std::string_view s) {
    return variant::Bytes(reinterpret_cast<const uint8_t*>(s.data()), s.size());
  };
  const variant::Metadata md(bytes(metadata));
  size_t nodes_left = value.size();
  write(md, variant::Value(bytes(value)), out, 0, nodes_left);
}

}  // namespace parkett::convert
