#include "convert/jsonl_writer.h"

#include <algorithm>
#include <cstring>
#include <deque>
#include <string_view>
#include <unordered_map>

#include "convert/json_numbers.h"
#include "convert/output_names.h"
#include "convert/variant_json.h"
#include "parkett/error.h"
#include "util/json_text.h"
#include "util/value_text.h"

namespace parkett::convert {
namespace {

using Id = DataType::Id;
template <class T>
T value_at(const ArrayData& a, int64_t row) {
  T v;
  std::memcpy(&v, a.buffers[1]->data() + static_cast<size_t>(a.offset + row) * sizeof(T), sizeof(T));
  return v;
}

std::string_view binary_at(const ArrayData& a, int64_t row) {
  const int64_t i = a.offset + row;
  int64_t b, e;
  if (a.type.id() == Id::LargeString || a.type.id() == Id::LargeBinary) {
    b = a.buffers[1]->as<int64_t>()[i];
    e = a.buffers[1]->as<int64_t>()[i + 1];
  } else {
    b = a.buffers[1]->as<int32_t>()[i];
    e = a.buffers[1]->as<int32_t>()[i + 1];
  }
  return {reinterpret_cast<const char*>(a.buffers[2]->data()) + b, static_cast<size_t>(e - b)};
}

using util::floor_div;

}  // namespace

namespace {

// Gives `fields` (the top level's, or a struct's) the distinct names text output uses.
void distinct_names(std::vector<schema::FieldPlan>& fields) {
  std::vector<std::string> names;
  names.reserve(fields.size());
  for (const auto& f : fields) names.push_back(f.field.name);
  std::vector<std::string> distinct = output_names(names);
  for (size_t i = 0; i < fields.size(); ++i) fields[i].field.name = std::move(distinct[i]);
}

// The same for every struct at or below `plan`, inside lists and maps too.
void use_output_names(schema::FieldPlan& plan) {
  if (plan.variant) return;  // printed from its Variant value, not its Parquet fields
  if (plan.kind == schema::FieldPlan::Kind::Struct) distinct_names(plan.children);
  for (auto& c : plan.children) use_output_names(c);
}

}  // namespace

JsonlWriter::JsonlWriter(const ParquetSchema& schema, std::vector<schema::FieldPlan> fields)
    : schema_(schema), fields_(std::move(fields)) {
  distinct_names(fields_);
  for (auto& f : fields_) use_output_names(f);
}

std::string JsonlWriter::schema_line(const Schema& arrow) const {
  std::string out = "{\"columns\":[";
  for (size_t i = 0; i < arrow.fields.size(); ++i) {
    if (i) out += ',';
    out += "{\"name\":";
    util::append_json_string(out, fields_.at(i).field.name);
    out += ",\"type\":";
    util::append_json_string(out, arrow.fields[i].type.to_string());
    out += '}';
  }
  return out + "]}\n";
}

void JsonlWriter::write_rows(const RecordBatch& batch, int64_t offset, int64_t count,
                             std::string& out) const {
  for (int64_t r = offset; r < offset + count; ++r) {
    out += '{';
    for (size_t c = 0; c < batch.columns.size(); ++c) {
      if (c) out += ',';
      util::append_json_string(out, fields_[c].field.name);
      out += ':';
      write_value(*batch.columns[c], fields_[c], r, out);
    }
    out += "}\n";
  }
}

void JsonlWriter::write_value(const ArrayData& a, const schema::FieldPlan& plan, int64_t row,
                              std::string& out) const {
  using Kind = schema::FieldPlan::Kind;
  if (plan.kind == Kind::Leaf) {
    if (plan.node >= 0) {
      write_leaf(a, schema_.node(plan.node), row, out);
      return;
    }
    // A column with no Parquet node (arrow_plan): its Arrow type says all that is printed.
    static const SchemaNode local = [] {
      SchemaNode n;
      n.logical_type.adjusted_to_utc = false;
      return n;
    }();
    static const SchemaNode utc = [] {
      SchemaNode n;
      n.logical_type.adjusted_to_utc = true;
      return n;
    }();
    write_leaf(a, a.type.timezone().empty() ? local : utc, row, out);
    return;
  }
  if (!a.is_valid(row)) {
    out += "null";
    return;
  }
  const int64_t i = a.offset + row;
  if (plan.variant) {
    const ArrayData& metadata = *a.children[0];
    const ArrayData& value = *a.children[1];
    write_variant_json(binary_at(metadata, i), binary_at(value, i), out);
    return;
  }
  if (plan.kind == Kind::Struct) {
    out += '{';
    for (size_t c = 0; c < plan.children.size(); ++c) {
      if (c) out += ',';
      util::append_json_string(out, plan.children[c].field.name);
      out += ':';
      write_value(*a.children[c], plan.children[c], i, out);
    }
    out += '}';
    return;
  }
  // Large lists come from a stored Arrow schema (int64 offsets); lists and maps have int32.
  const bool large = a.type.id() == DataType::Id::LargeList;
  const int64_t begin = large ? a.buffers[1]->as<int64_t>()[i] : a.buffers[1]->as<int32_t>()[i];
  const int64_t end = large ? a.buffers[1]->as<int64_t>()[i + 1] : a.buffers[1]->as<int32_t>()[i + 1];
  out += '[';
  for (int64_t e = begin; e < end; ++e) {
    if (e > begin) out += ',';
    if (plan.kind == Kind::List) {
      write_value(*a.children[0], plan.children[0], e, out);
    } else {  // map entries: {"key":k,"value":v}, as CANONICAL.md writes maps
      const ArrayData& entries = *a.children[0];
      out += "{\"key\":";
      write_value(*entries.children[0], plan.children[0], e, out);
      out += ",\"value\":";
      if (plan.children.size() > 1) {
        write_value(*entries.children[1], plan.children[1], e, out);
      } else {
        out += "null";
      }
      out += '}';
    }
  }
  out += ']';
}

void JsonlWriter::write_leaf(const ArrayData& a, const SchemaNode& node, int64_t row,
                             std::string& out) const {
  if (!a.is_valid(row)) {
    out += "null";
    return;
  }
  const LogicalType& lt = node.logical_type;
  switch (a.type.id()) {
    case Id::Dictionary:
      write_leaf(*a.dictionary, node, value_at<int32_t>(a, row), out);
      return;
    case Id::Null: out += "null"; return;
    case Id::Boolean: {
      const int64_t i = a.offset + row;
      out += (a.buffers[1]->data()[i >> 3] >> (i & 7)) & 1 ? "true" : "false";
      return;
    }
    case Id::Int8: write_int(value_at<int8_t>(a, row), out); return;
    case Id::Int16: write_int(value_at<int16_t>(a, row), out); return;
    case Id::Int32: write_int(value_at<int32_t>(a, row), out); return;
    case Id::Int64: write_int(value_at<int64_t>(a, row), out); return;
    case Id::UInt8: write_uint(value_at<uint8_t>(a, row), out); return;
    case Id::UInt16: write_uint(value_at<uint16_t>(a, row), out); return;
    case Id::UInt32: write_uint(value_at<uint32_t>(a, row), out); return;
    case Id::UInt64: write_uint(value_at<uint64_t>(a, row), out); return;
    case Id::Float16:
      write_float_text(util::format_float(util::half_to_float(value_at<uint16_t>(a, row))), out);
      return;
    case Id::Float32: write_float_text(util::format_float(value_at<float>(a, row)), out); return;
    case Id::Float64: write_float_text(util::format_double(value_at<double>(a, row)), out); return;
    case Id::String:
    case Id::LargeString: util::append_json_string(out, binary_at(a, row)); return;
    case Id::Binary:
    case Id::LargeBinary: util::append_json_string(out, util::hex_bytes(binary_at(a, row))); return;
    case Id::FixedSizeBinary: {
      std::string_view bytes(reinterpret_cast<const char*>(a.buffers[1]->data()) +
                                 static_cast<size_t>(a.offset + row) * static_cast<size_t>(a.type.byte_width()),
                             static_cast<size_t>(a.type.byte_width()));
      std::string hex = util::hex_bytes(bytes);
      if (lt.kind == LogicalType::Kind::Uuid && bytes.size() == 16) {
        hex = hex.substr(2);
        hex = hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
              hex.substr(16, 4) + "-" + hex.substr(20);
      }
      util::append_json_string(out, hex);
      return;
    }
    case Id::Date32: util::append_json_string(out, util::format_date(value_at<int32_t>(a, row))); return;
    case Id::Time32:
      util::append_json_string(out, util::format_time(value_at<int32_t>(a, row), a.type.unit(), lt.adjusted_to_utc));
      return;
    case Id::Time64:
      util::append_json_string(out, util::format_time(value_at<int64_t>(a, row), a.type.unit(), lt.adjusted_to_utc));
      return;
    case Id::Timestamp: {
      int64_t v = value_at<int64_t>(a, row);
      if (node.physical_type == PhysicalType::Int96) {
        // CANONICAL.md: INT96 at microsecond precision (floor), not UTC-adjusted.
        const int64_t per_micro = a.type.unit() == TimeUnit::Nano ? 1000 : 1;
        const TimeUnit unit = a.type.unit() == TimeUnit::Nano ? TimeUnit::Micro : a.type.unit();
        util::append_json_string(out, util::format_timestamp(floor_div(v, per_micro), unit, false));
      } else {
        util::append_json_string(out, util::format_timestamp(v, a.type.unit(), lt.adjusted_to_utc));
      }
      return;
    }
    case Id::Decimal128:
    case Id::Decimal256: {
      const size_t w = a.type.id() == Id::Decimal128 ? 16 : 32;
      const uint8_t* le = a.buffers[1]->data() + static_cast<size_t>(a.offset + row) * w;
      std::string be(w, '\0');
      for (size_t i = 0; i < w; ++i) be[i] = static_cast<char>(le[w - 1 - i]);
      util::append_json_string(out, util::format_decimal_bytes(be, a.type.scale()));
      return;
    }
    case Id::IntervalMonthDayNano: {
      const uint8_t* p = a.buffers[1]->data() + static_cast<size_t>(a.offset + row) * 16;
      int32_t months, days;
      int64_t nanos;
      std::memcpy(&months, p, 4);
      std::memcpy(&days, p + 4, 4);
      std::memcpy(&nanos, p + 8, 8);
      out += "{\"months\":" + std::to_string(static_cast<uint32_t>(months)) + ",\"days\":" +
             std::to_string(static_cast<uint32_t>(days)) + ",\"micros\":" + std::to_string(nanos / 1000) + "}";
      return;
    }
    default:
      throw Error(ErrorKind::Unsupported, "JSON output of " + a.type.to_string() + " is not supported yet");
  }
}

namespace {

// Narrows a field's full plan to the struct fields `field` kept (a projection such as
// "address.city" reads part of a struct). Fields are matched by name in order: the k-th
// field named N takes the k-th child named N, so repeated names pair up by position.
void match_plan(schema::FieldPlan& plan, const Field& field) {
  using Kind = schema::FieldPlan::Kind;
  const auto& children = field.type.children();
  if (plan.variant) {
    plan.field = field;
    return;
  }
  if (plan.kind == Kind::Struct) {
    std::unordered_map<std::string, std::deque<size_t>> by_name;  // children move out below
    for (size_t i = 0; i < plan.children.size(); ++i) by_name[plan.children[i].field.name].push_back(i);
    std::vector<schema::FieldPlan> kept;
    for (const auto& c : children) {
      auto it = by_name.find(c.name);
      if (it == by_name.end() || it->second.empty()) continue;
      schema::FieldPlan& p = plan.children[it->second.front()];
      it->second.pop_front();
      match_plan(p, c);
      kept.push_back(std::move(p));
    }
    plan.children = std::move(kept);
  } else if (plan.kind == Kind::List && !children.empty()) {
    match_plan(plan.children[0], children[0]);
  }
  plan.field = field;
}

}  // namespace

schema::FieldPlan arrow_plan(const Field& field) {
  using Kind = schema::FieldPlan::Kind;
  schema::FieldPlan plan;
  plan.field = field;
  switch (field.type.id()) {
    case Id::Struct:
      plan.kind = Kind::Struct;
      for (const Field& c : field.type.children()) plan.children.push_back(arrow_plan(c));
      break;
    case Id::List:
    case Id::LargeList:
      plan.kind = Kind::List;
      plan.children.push_back(arrow_plan(field.type.children().at(0)));
      break;
    case Id::Map:
      plan.kind = Kind::Map;
      for (const Field& c : field.type.children().at(0).type.children()) plan.children.push_back(arrow_plan(c));
      break;
    default: plan.kind = Kind::Leaf; break;
  }
  return plan;
}

std::vector<schema::FieldPlan> top_level_plans(const ParquetSchema& schema, const Schema& arrow,
                                               const std::vector<std::string>& not_in_schema) {
  std::unordered_map<std::string_view, std::deque<int32_t>> by_name;
  for (int32_t c : schema.root().children) by_name[schema.node(c).name].push_back(c);
  std::vector<schema::FieldPlan> plans;
  for (const auto& f : arrow.fields) {
    auto it = by_name.find(f.name);
    const bool elsewhere = std::find(not_in_schema.begin(), not_in_schema.end(), f.name) != not_in_schema.end();
    if (elsewhere || it == by_name.end() || it->second.empty()) {
      plans.push_back(arrow_plan(f));
      continue;
    }
    plans.push_back(schema::plan_field(schema, it->second.front()));
    it->second.pop_front();
    match_plan(plans.back(), f);
  }
  return plans;
}

std::string to_canonical_jsonl(const ParquetSchema& schema, const Table& table) {
  JsonlWriter writer(schema, top_level_plans(schema, table.schema));
  std::string out = writer.schema_line(table.schema);
  for (const auto& batch : table.batches) writer.write_rows(batch, 0, batch.num_rows, out);
  return out;
}

}  // namespace parkett::convert
