#include "dataset_rows.h"

namespace parkett::test {

using Id = DataType::Id;

std::string cell(const ArrayData& a, int64_t row) {
  if (!a.is_valid(row)) return "null";
  const int64_t i = a.offset + row;
  switch (a.type.id()) {
    case Id::Int32:
    case Id::Date32: return std::to_string(a.buffers[1]->as<int32_t>()[i]);
    case Id::Int64:
    case Id::Timestamp: return std::to_string(a.buffers[1]->as<int64_t>()[i]);
    case Id::Float64: return std::to_string(a.buffers[1]->as<double>()[i]);
    case Id::String: {
      const int32_t* o = a.buffers[1]->as<int32_t>();
      return std::string(reinterpret_cast<const char*>(a.buffers[2]->data()) + o[i], static_cast<size_t>(o[i + 1] - o[i]));
    }
    case Id::Dictionary: return "dict:" + cell(*a.dictionary, a.buffers[1]->as<int32_t>()[i]);
    case Id::Struct: {
      std::string s = "{";
      for (size_t c = 0; c < a.children.size(); ++c) s += (c ? "," : "") + cell(*a.children[c], i);
      return s + "}";
    }
    case Id::List: {
      const int32_t* o = a.buffers[1]->as<int32_t>();
      std::string s = "[";
      for (int32_t c = o[i]; c < o[i + 1]; ++c) s += (c > o[i] ? "," : "") + cell(*a.children[0], c);
      return s + "]";
    }
    default: return "?";
  }
}

std::vector<std::string> rows_of(const Table& t) {
  std::vector<std::string> out;
  for (const RecordBatch& b : t.batches) {
    for (int64_t r = 0; r < b.num_rows; ++r) {
      std::string line;
      for (size_t c = 0; c < b.columns.size(); ++c) line += (c ? "|" : "") + cell(*b.columns[c], r);
      out.push_back(line);
    }
  }
  return out;
}

Table drain(RecordBatchReader& scan) {
  Table t;
  t.schema = scan.schema();
  for (RecordBatch b; scan.next(b);) t.batches.push_back(b);
  return t;
}

std::vector<std::string> names_of(const Schema& s) {
  std::vector<std::string> out;
  for (const Field& f : s.fields) out.push_back(f.name + ":" + f.type.to_string());
  return out;
}

}  // namespace parkett::test
