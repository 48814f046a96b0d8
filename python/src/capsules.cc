#include "capsules.h"

#include <cstring>
#include <memory>
#include <string>

#include "parkett/error.h"

namespace parkett::python {
namespace {

template <class T>
void release_capsule(PyObject* capsule, const char* name) {
  auto* c = static_cast<T*>(PyCapsule_GetPointer(capsule, name));
  if (c == nullptr) {
    PyErr_Clear();
    return;
  }
  if (c->release != nullptr) c->release(c);
  delete c;
}

void release_schema(PyObject* capsule) { release_capsule<ArrowSchema>(capsule, "arrow_schema"); }
void release_array(PyObject* capsule) { release_capsule<ArrowArray>(capsule, "arrow_array"); }
void release_stream(PyObject* capsule) { release_capsule<ArrowArrayStream>(capsule, "arrow_array_stream"); }

// The structure is owned by the capsule (release null) before it is filled, so an export
// that throws leaks nothing.
template <class T>
std::pair<py::capsule, T*> new_capsule(const char* name, void (*destructor)(PyObject*)) {
  auto* c = new T();
  std::memset(c, 0, sizeof(T));
  PyObject* capsule = PyCapsule_New(c, name, destructor);
  if (capsule == nullptr) {
    delete c;
    throw py::error_already_set();
  }
  return {py::reinterpret_steal<py::capsule>(capsule), c};
}

template <class T>
T take(const py::handle& capsule, const char* name) {
  auto* c = static_cast<T*>(PyCapsule_GetPointer(capsule.ptr(), name));
  if (c == nullptr) throw py::error_already_set();
  if (c->release == nullptr) {
    throw Error(ErrorKind::InvalidArgument, std::string("the ") + name + " capsule was already consumed");
  }
  T out = *c;
  c->release = nullptr;
  return out;
}

}  // namespace

py::capsule schema_capsule(const Schema& schema) {
  auto [capsule, c] = new_capsule<ArrowSchema>("arrow_schema", release_schema);
  export_schema(schema, c);
  return capsule;
}

py::capsule field_capsule(const Field& field) {
  auto [capsule, c] = new_capsule<ArrowSchema>("arrow_schema", release_schema);
  export_field(field, c);
  return capsule;
}

py::capsule array_capsule(const ArrayPtr& array) {
  auto [capsule, c] = new_capsule<ArrowArray>("arrow_array", release_array);
  export_array(array, c);
  return capsule;
}

py::capsule record_batch_capsule(const RecordBatch& batch) {
  auto [capsule, c] = new_capsule<ArrowArray>("arrow_array", release_array);
  export_record_batch(batch, c);
  return capsule;
}

py::capsule stream_capsule(Table table) {
  auto [capsule, c] = new_capsule<ArrowArrayStream>("arrow_array_stream", release_stream);
  export_stream(std::move(table), c);
  return capsule;
}

py::capsule stream_capsule(RecordBatchReader reader) {
  auto [capsule, c] = new_capsule<ArrowArrayStream>("arrow_array_stream", release_stream);
  export_stream(std::move(reader), c);
  return capsule;
}

ArrowSchema take_schema(const py::handle& capsule) { return take<ArrowSchema>(capsule, "arrow_schema"); }
ArrowArray take_array(const py::handle& capsule) { return take<ArrowArray>(capsule, "arrow_array"); }
ArrowArrayStream take_stream(const py::handle& capsule) {
  return take<ArrowArrayStream>(capsule, "arrow_array_stream");
}

void check_requested_schema(const py::object& requested, const Schema& schema) {
  if (requested.is_none()) return;
  ArrowSchema c = take_schema(requested);
  Field asked = import_field(&c);
  if (asked.type.id() != DataType::Id::Struct || asked.type.children().size() != schema.fields.size()) {
    throw Error(ErrorKind::InvalidArgument, "requested_schema has " +
                                                std::to_string(asked.type.children().size()) +
                                                " fields where the data has " + std::to_string(schema.fields.size()));
  }
  for (size_t i = 0; i < schema.fields.size(); ++i) {
    if (asked.type.children()[i].name != schema.fields[i].name) {
      throw Error(ErrorKind::InvalidArgument, "requested_schema names field " + std::to_string(i) + " '" +
                                                  asked.type.children()[i].name + "' where the data has '" +
                                                  schema.fields[i].name + "'");
    }
  }
}

}  // namespace parkett::python
