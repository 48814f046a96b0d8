// Helpers for the table-driven tests of record shredding and assembly (shred_assemble_test.cc,
// assemble_corrupt_test.cc): a schema from the Parquet schema text the spec's examples use,
// decoded leaf columns from hand-written levels, canonical JSON rendering, and Arrow arrays
// built from JSON (so shredding starts from an array the code under test did not make).
#pragma once

#include <gtest/gtest.h>

#include <cctype>
#include <cstring>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "column/leaf_reader.h"
#include "convert/jsonl_writer.h"
#include "format/parquet_types.h"
#include "parkett/array.h"
#include "schema/field_plan.h"
#include "schema/from_thrift.h"

namespace parkett::nested::test {

/// What one leaf column of a field holds, written by hand.
struct Leaf {
  int16_t max_def = 0, max_rep = 0;   // the column's maximum levels, derived by hand
  std::vector<int16_t> def = {}, rep = {};  // empty when the maximum is 0
  std::vector<int32_t> values = {};   // the present (non-null) INT32 values
};

/// A schema of one top-level field from text such as
///   "optional group a (LIST) { repeated group list { optional int32 element; } }"
/// Leaves are INT32; "(X)" sets the ConvertedType X (LIST, MAP, MAP_KEY_VALUE).
inline ParquetSchema parse_schema(const std::string& text) {
  std::vector<std::string> t;
  std::string word;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c)) || std::strchr("{};()", c)) {
      if (!word.empty()) t.push_back(word);
      word.clear();
      if (!std::isspace(static_cast<unsigned char>(c))) t.emplace_back(1, c);
    } else {
      word += c;
    }
  }
  if (!word.empty()) t.push_back(word);
  using format::ConvertedType;
  using format::FieldRepetitionType;
  const std::map<std::string, FieldRepetitionType> reps = {{"required", FieldRepetitionType::REQUIRED},
                                                          {"optional", FieldRepetitionType::OPTIONAL},
                                                          {"repeated", FieldRepetitionType::REPEATED}};
  const std::map<std::string, ConvertedType> annotations = {{"LIST", ConvertedType::LIST},
                                                             {"MAP", ConvertedType::MAP},
                                                             {"MAP_KEY_VALUE", ConvertedType::MAP_KEY_VALUE}};
  std::vector<format::SchemaElement> out(1);
  out[0].name = "schema";
  size_t i = 0;
  // Parses fields until '}' or the end; returns how many.
  auto fields = [&](auto& self) -> int32_t {
    int32_t count = 0;
    while (i < t.size() && t[i] != "}") {
      format::SchemaElement e;
      e.repetition_type = reps.at(t.at(i++));
      const std::string type = t.at(i++);
      e.name = t.at(i++);
      if (t.at(i) == "(") {
        e.converted_type = annotations.at(t.at(i + 1));
        i += 3;
      }
      if (type == "group") {
        const size_t at = out.size();
        out.push_back(e);
        EXPECT_EQ(t.at(i++), "{");
        out[at].num_children = self(self);
        EXPECT_EQ(t.at(i++), "}");
      } else {
        EXPECT_EQ(type, "int32");
        e.type = format::Type::INT32;
        out.push_back(e);
        EXPECT_EQ(t.at(i++), ";");
      }
      ++count;
    }
    return count;
  };
  out[0].num_children = fields(fields);
  EXPECT_EQ(i, t.size()) << "unparsed schema text";
  return schema::from_thrift(out);
}

/// The plan of the schema's only top-level field.
inline schema::FieldPlan top_plan(const ParquetSchema& s) {
  return schema::plan_field(s, s.root().children.at(0));
}

/// A decoded leaf column holding the hand-written levels and values.
inline column::LeafColumn leaf_column(const Leaf& leaf) {
  column::LeafColumn c;
  c.def_levels = leaf.def;
  c.rep_levels = leaf.rep;
  c.num_levels = static_cast<int64_t>(!leaf.def.empty()   ? leaf.def.size()
                                      : !leaf.rep.empty() ? leaf.rep.size()
                                                          : leaf.values.size());
  c.values.width = 4;
  c.values.count = leaf.values.size();
  c.values.fixed.append(reinterpret_cast<const uint8_t*>(leaf.values.data()), leaf.values.size() * 4);
  return c;
}

/// Row `row` of a field's array as canonical JSON (CANONICAL.md).
inline std::string render(const ParquetSchema& s, const schema::FieldPlan& plan, const ArrayData& a, int64_t row) {
  convert::JsonlWriter writer(s, {plan});
  std::string out;
  writer.write_value(a, plan, row, out);
  return out;
}

using Json = nlohmann::ordered_json;

/// An Arrow array of `type` (int32, null, struct, list, map) holding `values`: each a JSON
/// value as canonical JSON writes it (maps as arrays of {"key":k,"value":v}).
inline ArrayPtr array_from_json(const DataType& type, const std::vector<const Json*>& values) {
  static const Json kNull;
  auto a = std::make_shared<ArrayData>();
  a->type = type;
  a->length = static_cast<int64_t>(values.size());
  if (type.id() == DataType::Id::Null) {
    a->null_count = a->length;
    return a;
  }
  auto bits = Buffer::allocate((values.size() + 7) / 8, true);
  for (size_t i = 0; i < values.size(); ++i) {
    if (values[i]->is_null()) ++a->null_count;
    else bits->data()[i / 8] |= static_cast<uint8_t>(1u << (i % 8));
  }
  a->buffers.push_back(a->null_count ? bits : nullptr);
  switch (type.id()) {
    case DataType::Id::Int32: {
      auto v = Buffer::allocate(values.size() * 4, true);
      for (size_t i = 0; i < values.size(); ++i) {
        if (!values[i]->is_null()) v->as<int32_t>()[i] = values[i]->get<int32_t>();
      }
      a->buffers.push_back(v);
      return a;
    }
    case DataType::Id::Struct:
      for (const Field& f : type.children()) {
        std::vector<const Json*> child;
        for (const Json* v : values) child.push_back(v->is_null() ? &kNull : &v->at(f.name));
        a->children.push_back(array_from_json(f.type, child));
      }
      return a;
    case DataType::Id::List:
    case DataType::Id::Map: {
      auto offsets = Buffer::allocate((values.size() + 1) * 4, true);
      std::vector<const Json*> elements;
      for (size_t i = 0; i < values.size(); ++i) {
        if (!values[i]->is_null()) {
          for (const Json& e : *values[i]) elements.push_back(&e);
        }
        offsets->as<int32_t>()[i + 1] = static_cast<int32_t>(elements.size());
      }
      a->buffers.push_back(offsets);
      const DataType& child = type.children().at(0).type;
      if (type.id() == DataType::Id::List) {
        a->children.push_back(array_from_json(child, elements));
        return a;
      }
      // A map's child: the non-null entries struct of (key, value), by position.
      auto entries = std::make_shared<ArrayData>();
      entries->type = child;
      entries->length = static_cast<int64_t>(elements.size());
      entries->buffers.push_back(nullptr);
      for (const char* part : {"key", "value"}) {
        std::vector<const Json*> column;
        for (const Json* e : elements) column.push_back(&e->at(part));
        const size_t at = entries->children.size();
        entries->children.push_back(array_from_json(child.children().at(at).type, column));
      }
      a->children.push_back(entries);
      return a;
    }
    default:
      ADD_FAILURE() << "no JSON builder for " << type.to_string();
      return a;
  }
}

}  // namespace parkett::nested::test
