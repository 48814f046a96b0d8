// Export through the Arrow C Data Interface. Each exported structure owns a heap holder
// (private_data) that keeps parkett's buffers alive and stores the strings and child
// pointers the C structures point to; release() frees it and marks the structure released.
#include <cerrno>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "parkett/c_data.h"
#include "parkett/error.h"

namespace parkett {
namespace {

using Id = DataType::Id;

std::string unit_letter(TimeUnit u) {
  switch (u) {
    case TimeUnit::Second: return "s";
    case TimeUnit::Milli: return "m";
    case TimeUnit::Micro: return "u";
    case TimeUnit::Nano: return "n";
  }
  return "u";
}

std::string format_of(const DataType& t) {
  switch (t.id()) {
    case Id::Null: return "n";
    case Id::Boolean: return "b";
    case Id::Int8: return "c";
    case Id::UInt8: return "C";
    case Id::Int16: return "s";
    case Id::UInt16: return "S";
    case Id::Int32: return "i";
    case Id::UInt32: return "I";
    case Id::Int64: return "l";
    case Id::UInt64: return "L";
    case Id::Float16: return "e";
    case Id::Float32: return "f";
    case Id::Float64: return "g";
    case Id::String: return "u";
    case Id::LargeString: return "U";
    case Id::Binary: return "z";
    case Id::LargeBinary: return "Z";
    case Id::FixedSizeBinary: return "w:" + std::to_string(t.byte_width());
    case Id::Date32: return "tdD";
    case Id::Time32:
    case Id::Time64: return "tt" + unit_letter(t.unit());
    case Id::Timestamp: return "ts" + unit_letter(t.unit()) + ":" + t.timezone();
    case Id::IntervalMonthDayNano: return "tin";
    case Id::Decimal128: return "d:" + std::to_string(t.precision()) + "," + std::to_string(t.scale());
    case Id::Decimal256:
      return "d:" + std::to_string(t.precision()) + "," + std::to_string(t.scale()) + ",256";
    case Id::List: return "+l";
    case Id::LargeList: return "+L";
    case Id::Struct: return "+s";
    case Id::Map: return "+m";
    case Id::Dictionary: return "i";  // the indices; the values are the schema's dictionary
  }
  throw Error(ErrorKind::Unsupported, "cannot export type " + t.to_string());
}

std::string encode_metadata(const std::vector<std::pair<std::string, std::string>>& kv) {
  if (kv.empty()) return {};
  std::string out;
  auto put32 = [&out](int32_t v) { out.append(reinterpret_cast<const char*>(&v), 4); };
  put32(static_cast<int32_t>(kv.size()));
  for (const auto& [k, v] : kv) {
    put32(static_cast<int32_t>(k.size()));
    out += k;
    put32(static_cast<int32_t>(v.size()));
    out += v;
  }
  return out;
}

struct SchemaHolder {
  std::string format, name, metadata;
  std::vector<ArrowSchema> children;
  std::vector<ArrowSchema*> child_pointers;
  ArrowSchema dictionary;
};

void release_schema(ArrowSchema* s) {
  if (!s || !s->release) return;
  for (int64_t i = 0; i < s->n_children; ++i) {
    if (s->children[i]->release) s->children[i]->release(s->children[i]);
  }
  if (s->dictionary && s->dictionary->release) s->dictionary->release(s->dictionary);
  delete static_cast<SchemaHolder*>(s->private_data);
  s->release = nullptr;
}

void fill_schema(const std::string& name, const DataType& type, bool nullable,
                 const std::vector<std::pair<std::string, std::string>>& metadata, bool keys_sorted,
                 ArrowSchema* out) {
  auto holder = std::make_unique<SchemaHolder>();
  holder->format = format_of(type);
  holder->name = name;
  holder->metadata = encode_metadata(metadata);
  const auto& children = type.children();
  holder->children.resize(children.size());
  for (size_t i = 0; i < children.size(); ++i) {
    fill_schema(children[i].name, children[i].type, children[i].nullable, children[i].metadata, false,
                &holder->children[i]);
    holder->child_pointers.push_back(&holder->children[i]);
  }
  out->format = holder->format.c_str();
  out->name = holder->name.c_str();
  out->metadata = holder->metadata.empty() ? nullptr : holder->metadata.data();
  out->flags = (nullable ? ARROW_FLAG_NULLABLE : 0) | (keys_sorted ? ARROW_FLAG_MAP_KEYS_SORTED : 0);
  out->n_children = static_cast<int64_t>(children.size());
  out->children = holder->child_pointers.empty() ? nullptr : holder->child_pointers.data();
  out->dictionary = nullptr;
  if (type.id() == Id::Dictionary) {
    fill_schema("", type.value_type(), true, {}, false, &holder->dictionary);
    out->dictionary = &holder->dictionary;
  }
  out->release = release_schema;
  out->private_data = holder.release();
}

struct ArrayHolder {
  ArrayPtr array;
  std::vector<const void*> buffers;
  std::vector<ArrowArray> children;
  std::vector<ArrowArray*> child_pointers;
  ArrowArray dictionary;
};

void release_array(ArrowArray* a) {
  if (!a || !a->release) return;
  for (int64_t i = 0; i < a->n_children; ++i) {
    if (a->children[i]->release) a->children[i]->release(a->children[i]);
  }
  if (a->dictionary && a->dictionary->release) a->dictionary->release(a->dictionary);
  delete static_cast<ArrayHolder*>(a->private_data);
  a->release = nullptr;
}

void fill_array(const ArrayPtr& array, ArrowArray* out) {
  auto holder = std::make_unique<ArrayHolder>();
  holder->array = array;
  for (const auto& b : array->buffers) holder->buffers.push_back(b ? b->data() : nullptr);
  holder->children.resize(array->children.size());
  for (size_t i = 0; i < array->children.size(); ++i) {
    fill_array(array->children[i], &holder->children[i]);
    holder->child_pointers.push_back(&holder->children[i]);
  }
  out->length = array->length;
  out->null_count = array->null_count;
  out->offset = array->offset;
  out->n_buffers = static_cast<int64_t>(holder->buffers.size());
  out->n_children = static_cast<int64_t>(holder->children.size());
  out->buffers = holder->buffers.empty() ? nullptr : holder->buffers.data();
  out->children = holder->child_pointers.empty() ? nullptr : holder->child_pointers.data();
  out->dictionary = nullptr;
  if (array->dictionary) {
    fill_array(array->dictionary, &holder->dictionary);
    out->dictionary = &holder->dictionary;
  }
  out->release = release_array;
  out->private_data = holder.release();
}

struct StreamHolder {
  Schema schema;
  std::function<bool(RecordBatch&)> next;
  std::string last_error;
};

int stream_get_schema(ArrowArrayStream* s, ArrowSchema* out) {
  auto* h = static_cast<StreamHolder*>(s->private_data);
  try {
    export_schema(h->schema, out);
    return 0;
  } catch (const std::exception& e) {
    h->last_error = e.what();
    return EIO;
  }
}

int stream_get_next(ArrowArrayStream* s, ArrowArray* out) {
  auto* h = static_cast<StreamHolder*>(s->private_data);
  try {
    RecordBatch batch;
    if (!h->next(batch)) {
      std::memset(out, 0, sizeof(*out));  // end of stream: a released array
      return 0;
    }
    export_record_batch(batch, out);
    return 0;
  } catch (const std::exception& e) {
    h->last_error = e.what();
    return EIO;
  }
}

const char* stream_last_error(ArrowArrayStream* s) {
  auto* h = static_cast<StreamHolder*>(s->private_data);
  return h->last_error.empty() ? nullptr : h->last_error.c_str();
}

void stream_release(ArrowArrayStream* s) {
  if (!s || !s->release) return;
  delete static_cast<StreamHolder*>(s->private_data);
  s->release = nullptr;
}

}  // namespace

void export_field(const Field& field, ArrowSchema* out) {
  fill_schema(field.name, field.type, field.nullable, field.metadata, false, out);
}

void export_schema(const Schema& schema, ArrowSchema* out) {
  fill_schema("", DataType::structure(schema.fields), false, schema.metadata, false, out);
}

void export_array(const ArrayPtr& array, ArrowArray* out) { fill_array(array, out); }

void export_record_batch(const RecordBatch& batch, ArrowArray* out) {
  auto s = std::make_shared<ArrayData>();
  s->type = DataType::structure(batch.schema.fields);
  s->length = batch.num_rows;
  s->buffers.push_back(nullptr);
  s->children = batch.columns;
  fill_array(s, out);
}

void export_stream(Schema schema, std::function<bool(RecordBatch&)> next, ArrowArrayStream* out) {
  out->get_schema = stream_get_schema;
  out->get_next = stream_get_next;
  out->get_last_error = stream_last_error;
  out->release = stream_release;
  out->private_data = new StreamHolder{std::move(schema), std::move(next), {}};
}

void export_stream(Table table, ArrowArrayStream* out) {
  auto shared = std::make_shared<Table>(std::move(table));
  Schema schema = shared->schema;
  export_stream(std::move(schema), [shared, i = size_t{0}](RecordBatch& b) mutable {
    if (i == shared->batches.size()) return false;
    b = shared->batches[i++];
    return true;
  }, out);
}

}  // namespace parkett
