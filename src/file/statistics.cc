// Column chunk statistics: which min/max to trust (parquet.thrift ColumnOrder and the
// deprecated min/max rules) and their typed values.
#include <cmath>
#include <cstring>

#include "file/file_metadata_impl.h"
#include "schema/scalar_json.h"

namespace parkett {

namespace {

enum class SortOrder { Signed, Unsigned, Unknown };

// The order a column's type defines (parquet.thrift, ColumnOrder: TYPE_ORDER).
SortOrder type_sort_order(const SchemaNode& node) {
  using K = LogicalType::Kind;
  switch (node.logical_type.kind) {
    case K::String:
    case K::Enum:
    case K::Json:
    case K::Bson:
    case K::Uuid:
      return SortOrder::Unsigned;
    case K::Integer:
      return node.logical_type.is_signed ? SortOrder::Signed : SortOrder::Unsigned;
    case K::Decimal:
    case K::Date:
    case K::Time:
    case K::Timestamp:
    case K::Float16:
      return SortOrder::Signed;
    case K::None:
      break;
    default:
      return SortOrder::Unknown;
  }
  if (node.converted_type == ConvertedType::Interval) return SortOrder::Unknown;
  switch (*node.physical_type) {
    case PhysicalType::Boolean:
    case PhysicalType::Int32:
    case PhysicalType::Int64:
    case PhysicalType::Float:
    case PhysicalType::Double:
      return SortOrder::Signed;
    case PhysicalType::ByteArray:
    case PhysicalType::FixedLenByteArray:
      return SortOrder::Unsigned;
    default:
      return SortOrder::Unknown;  // INT96 and unknown types
  }
}

// Decodes a plain-encoded statistics value; monostate if its size is wrong for the type.
StatValue decode_value(PhysicalType type, const std::string& b) {
  auto fixed = [&b](auto v) -> StatValue {
    if (b.size() != sizeof(v)) return std::monostate{};
    std::memcpy(&v, b.data(), sizeof(v));
    return v;
  };
  switch (type) {
    case PhysicalType::Boolean:
      if (b.size() != 1) return std::monostate{};
      return b[0] != 0;
    case PhysicalType::Int32: return fixed(int32_t{});
    case PhysicalType::Int64: return fixed(int64_t{});
    case PhysicalType::Float: return fixed(float{});
    case PhysicalType::Double: return fixed(double{});
    case PhysicalType::Int96: {
      if (b.size() != 12) return std::monostate{};
      Int96 v;
      std::memcpy(v.words, b.data(), 12);
      return v;
    }
    case PhysicalType::ByteArray:
    case PhysicalType::FixedLenByteArray:
      return b;
    default:
      return std::monostate{};
  }
}

bool is_nan(const StatValue& v) {
  if (auto f = std::get_if<float>(&v)) return std::isnan(*f);
  if (auto d = std::get_if<double>(&v)) return std::isnan(*d);
  return false;
}

}  // namespace

namespace detail {

StatValue decode_stat_value(PhysicalType type, const std::string& bytes) { return decode_value(type, bytes); }
bool stat_is_nan(const StatValue& v) { return is_nan(v); }

Statistics FileMetadataImpl::make_statistics(const format::StatisticsSummary& s,
                                             int32_t column) const {
  using S = format::StatisticsSummary;
  auto count = [&s](S::Present p, int64_t v) { return s.has(p) ? std::optional<int64_t>(v) : std::nullopt; };
  auto flag = [&s](S::Present p, bool v) { return s.has(p) ? std::optional<bool>(v) : std::nullopt; };
  const ColumnDescriptor& desc = schema.column(column);
  const SchemaNode& node = schema.node(desc.node);
  Statistics out;
  out.physical_type_ = desc.physical_type;
  out.node_ = &node;
  out.owner_ = shared_from_this();
  out.null_count_ = count(S::kNullCount, s.null_count);
  out.distinct_count_ = count(S::kDistinctCount, s.distinct_count);
  out.nan_count_ = count(S::kNanCount, s.nan_count);
  out.min_exact_ = flag(S::kMinExact, s.is_min_value_exact);
  out.max_exact_ = flag(S::kMaxExact, s.is_max_value_exact);

  // The column orders sit at the end of the footer: how to read min/max depends on them.
  ensure_tail();
  const ColumnOrder order = column_orders.empty() ? ColumnOrder::Undefined
                                                  : column_orders[static_cast<size_t>(column)];
  if (order == ColumnOrder::Unknown) return out;  // an order we do not know: no min/max
  std::string min, max;
  const char* buffer = footer.data();
  if (s.has(S::kMinValue) && s.has(S::kMaxValue)) {
    if (desc.physical_type == PhysicalType::Int96 && order != ColumnOrder::Int96Timestamp) {
      return out;  // parquet.thrift: INT96 stats under TYPE_ORDER must be ignored
    }
    min = s.min_value.in(buffer);
    max = s.max_value.in(buffer);
  } else if (s.has(S::kMin) && s.has(S::kMax)) {
    // The deprecated fields were computed with a signed comparison: right only where the
    // column's order is signed, or trivially when min == max.
    min = s.min.in(buffer);
    max = s.max.in(buffer);
    SortOrder so = type_sort_order(node);
    if (desc.physical_type == PhysicalType::Int96) return out;
    if (so != SortOrder::Signed && min != max) return out;
    out.deprecated_ = true;
  } else {
    return out;
  }
  StatValue vmin = decode_value(desc.physical_type, min);
  StatValue vmax = decode_value(desc.physical_type, max);
  if (std::holds_alternative<std::monostate>(vmin) || std::holds_alternative<std::monostate>(vmax)) {
    return out;  // malformed values are not trusted
  }
  // ColumnOrder TYPE_ORDER for floats: a NaN bound means the bounds are unusable.
  if (order != ColumnOrder::Ieee754TotalOrder && (is_nan(vmin) || is_nan(vmax))) return out;
  out.has_min_max_ = true;
  out.min_ = std::move(vmin);
  out.max_ = std::move(vmax);
  out.encoded_min_ = std::move(min);
  out.encoded_max_ = std::move(max);
  return out;
}

}  // namespace detail

std::string Statistics::min_json() const {
  return has_min_max_ && node_ ? schema::scalar_json(*node_, min_) : "null";
}

std::string Statistics::max_json() const {
  return has_min_max_ && node_ ? schema::scalar_json(*node_, max_) : "null";
}

}  // namespace parkett
