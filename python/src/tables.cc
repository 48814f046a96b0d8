// Table, RecordBatch and Column (pyarrow's ChunkedArray) for Python. Each implements the
// Arrow PyCapsule interface, so pyarrow, polars, DuckDB and nanoarrow take them without a
// copy; Table.from_arrow takes theirs the same way.
#include <pybind11/functional.h>
#include <pybind11/stl.h>

#include <functional>
#include <limits>

#include "bindings.h"
#include "capsules.h"
#include "numpy_out.h"
#include "parkett/error.h"

namespace parkett::python {

int64_t Column::length() const {
  int64_t n = 0;
  for (const ArrayPtr& a : chunks) n += a->length;
  return n;
}

int64_t Column::null_count() const {
  int64_t n = 0;
  for (const ArrayPtr& a : chunks) n += a->null_count;
  return n;
}

Column table_column(const Table& table, size_t i) {
  Column c{table.schema.fields.at(i), {}};
  for (const RecordBatch& b : table.batches) c.chunks.push_back(b.columns.at(i));
  return c;
}

namespace {

size_t column_position(const Schema& schema, const py::object& key) {
  if (py::isinstance<py::str>(key)) {
    auto name = key.cast<std::string>();
    int i = schema.field_index(name);
    if (i < 0) throw Error(ErrorKind::NotFound, "no column named '" + name + "'");
    return static_cast<size_t>(i);
  }
  auto i = key.cast<int64_t>();
  auto n = static_cast<int64_t>(schema.fields.size());
  if (i < 0) i += n;
  if (i < 0 || i >= n) throw py::index_error("column index out of range");
  return static_cast<size_t>(i);
}

// A batch's columns from the struct array the C Data Interface carries it as.
RecordBatch batch_from_struct(const Schema& schema, const ArrayPtr& array) {
  if (array->null_count > 0) {
    throw Error(ErrorKind::InvalidArgument, "a record batch cannot have null rows (the struct array has " +
                                                std::to_string(array->null_count) + ")");
  }
  RecordBatch b{schema, array->length, {}};
  for (const ArrayPtr& child : array->children) b.columns.push_back(slice(child, array->offset, array->length));
  return b;
}

Schema schema_of_struct(const Field& f) {
  if (f.type.id() != DataType::Id::Struct) {
    throw Error(ErrorKind::InvalidArgument, "expected a struct schema (a table's), got " + f.type.to_string());
  }
  Schema s{f.type.children(), {}};
  s.metadata = f.metadata;
  return s;
}

// Owns an imported stream until it is released.
struct StreamHolder {
  ArrowArrayStream stream;
  ~StreamHolder() {
    if (stream.release != nullptr) stream.release(&stream);
  }
  [[noreturn]] void fail(const char* step, int code) {
    const char* message = stream.get_last_error ? stream.get_last_error(&stream) : nullptr;
    throw Error(ErrorKind::Io, std::string("the Arrow stream failed in ") + step + " (" +
                                   (message ? message : "error " + std::to_string(code)) + ")");
  }
};

std::string object_type_name(const py::object& o) { return py::str(py::type::of(o).attr("__name__")).cast<std::string>(); }

py::list column_names(const Schema& s) {
  py::list names;
  for (const Field& f : s.fields) names.append(f.name);
  return names;
}

Table select(const Table& t, const std::vector<py::object>& keys) {
  std::vector<size_t> positions;
  for (const py::object& k : keys) positions.push_back(column_position(t.schema, k));
  Table out;
  out.schema.metadata = t.schema.metadata;
  for (size_t p : positions) out.schema.fields.push_back(t.schema.fields[p]);
  for (const RecordBatch& b : t.batches) {
    RecordBatch nb{out.schema, b.num_rows, {}};
    for (size_t p : positions) nb.columns.push_back(b.columns[p]);
    out.batches.push_back(std::move(nb));
  }
  return out;
}

Table slice_table(const Table& t, int64_t offset, int64_t length) {
  int64_t n = t.num_rows();
  if (offset < 0) offset = std::max<int64_t>(0, n + offset);
  offset = std::min(offset, n);
  if (length < 0 || offset + length > n) length = n - offset;
  Table out{t.schema, {}};
  int64_t start = 0;
  for (const RecordBatch& b : t.batches) {
    int64_t begin = std::max(offset, start), end = std::min(offset + length, start + b.num_rows);
    if (begin < end) {
      RecordBatch nb{t.schema, end - begin, {}};
      for (const ArrayPtr& c : b.columns) nb.columns.push_back(slice(c, begin - start, end - begin));
      out.batches.push_back(std::move(nb));
    }
    start += b.num_rows;
  }
  return out;
}

py::dict to_pydict(const Table& t) {
  py::dict out;
  for (size_t i = 0; i < t.schema.fields.size(); ++i) {
    py::list values;
    for (const RecordBatch& b : t.batches) {
      for (int64_t r = 0; r < b.num_rows; ++r) values.append(value_to_python(*b.columns[i], r));
    }
    out[py::str(t.schema.fields[i].name)] = values;
  }
  return out;
}

py::list to_pylist(const Table& t) {
  py::list rows;
  for (const RecordBatch& b : t.batches) {
    for (int64_t r = 0; r < b.num_rows; ++r) {
      py::dict row;
      for (size_t i = 0; i < t.schema.fields.size(); ++i) row[py::str(t.schema.fields[i].name)] = value_to_python(*b.columns[i], r);
      rows.append(row);
    }
  }
  return rows;
}

py::list column_pylist(const Column& c) {
  py::list out;
  for (const ArrayPtr& a : c.chunks) {
    for (int64_t i = 0; i < a->length; ++i) out.append(value_to_python(*a, i));
  }
  return out;
}

Table single_batch_table(const RecordBatch& b) {
  Table t{b.schema, {}};
  t.batches.push_back(b);
  return t;
}

}  // namespace

Table table_from_arrow(const py::object& source) {
  if (py::isinstance<Table>(source)) return source.cast<Table>();
  if (py::hasattr(source, "__arrow_c_stream__")) {
    StreamHolder holder{take_stream(source.attr("__arrow_c_stream__")())};
    // Without the GIL: the producer may decode on threads of its own that call back into
    // Python (a parkett scan with a Python KMS client, a Python filesystem under pyarrow).
    py::gil_scoped_release unlocked;
    ArrowSchema c_schema;
    if (int rc = holder.stream.get_schema(&holder.stream, &c_schema)) holder.fail("get_schema", rc);
    Field root = import_field(&c_schema);
    Table t{schema_of_struct(root), {}};
    while (true) {
      ArrowArray c_array;
      if (int rc = holder.stream.get_next(&holder.stream, &c_array)) holder.fail("get_next", rc);
      if (c_array.release == nullptr) break;
      ArrayPtr array = import_array(&c_array, root.type);
      t.batches.push_back(batch_from_struct(t.schema, array));
    }
    return t;
  }
  if (py::hasattr(source, "__arrow_c_array__")) {
    py::tuple pair = source.attr("__arrow_c_array__")();
    ArrowSchema c_schema = take_schema(pair[0]);
    Field root;
    try {
      root = import_field(&c_schema);
    } catch (...) {
      ArrowArray c_array = take_array(pair[1]);
      c_array.release(&c_array);
      throw;
    }
    ArrowArray c_array = take_array(pair[1]);
    ArrayPtr array = import_array(&c_array, root.type);
    return single_batch_table(batch_from_struct(schema_of_struct(root), array));
  }
  throw Error(ErrorKind::InvalidArgument, "expected a parkett Table or an object with __arrow_c_stream__ or "
                                          "__arrow_c_array__ (pyarrow, polars, nanoarrow ...), got " +
                                              object_type_name(source));
}

void init_tables(py::module_& m) {
  py::class_<Column>(m, "Column", "One column of a table: its field and its chunks (pyarrow's ChunkedArray).")
      .def_property_readonly("field", [](const Column& c) { return c.field; })
      .def_property_readonly("type", [](const Column& c) { return c.field.type; })
      .def_property_readonly("name", [](const Column& c) { return c.field.name; })
      .def_property_readonly("null_count", &Column::null_count)
      .def_property_readonly("num_chunks", [](const Column& c) { return c.chunks.size(); })
      .def("chunk", [](const Column& c, size_t i) {
        if (i >= c.chunks.size()) throw py::index_error("chunk index out of range");
        return Column{c.field, {c.chunks[i]}};
      })
      .def("__len__", &Column::length)
      .def("to_pylist", &column_pylist, "Every value as a Python object (None for nulls).")
      .def("to_numpy", [](const Column& c, bool zero_copy_only) -> py::object {
             py::object values = column_values(c, zero_copy_only, false);
             py::object mask = column_null_mask(c);
             if (mask.is_none() || py::str(values.attr("dtype").attr("kind")).cast<std::string>() == "O") return values;
             // Nulls as NaN (floats; integers become float64, as in pyarrow), NaT (dates and
             // timestamps) or None (booleans become objects).
             std::string kind = py::str(values.attr("dtype").attr("kind")).cast<std::string>();
             if (kind == "i" || kind == "u") values = values.attr("astype")("f8");
             else if (kind == "b") values = values.attr("astype")("O");
             else values = values.attr("copy")();
             py::object fill = kind == "M" ? py::module_::import("numpy").attr("datetime64")("NaT")
                               : kind == "b" ? py::object(py::none())
                                             : py::object(py::float_(std::numeric_limits<double>::quiet_NaN()));
             values.attr("__setitem__")(mask, fill);
             return values;
           },
           py::arg("zero_copy_only") = false,
           "The values as a numpy array: a view of parkett's memory when the column is one chunk "
           "of fixed-width values without nulls; otherwise a copy (refused when zero_copy_only).")
      .def("_values", &column_values, py::arg("zero_copy_only") = false, py::arg("writable") = false)
      .def("_objects", &column_objects)
      .def("_null_mask", &column_null_mask)
      .def("_dictionary_codes", &dictionary_codes)
      .def("_dictionary", [](const Column& c) {
        if (c.field.type.id() != DataType::Id::Dictionary || c.chunks.size() != 1) {
          throw Error(ErrorKind::InvalidArgument, "_dictionary takes one chunk of a dictionary column");
        }
        return Column{Field{c.field.name, c.field.type.value_type(), true, {}}, {c.chunks[0]->dictionary}};
      })
      .def("__repr__", [](const Column& c) {
        return "<parkett.Column " + c.field.to_string() + ", " + std::to_string(c.length()) + " rows>";
      });

  py::class_<RecordBatch>(m, "RecordBatch", "Equal-length columns under one schema.")
      .def_readonly("schema", &RecordBatch::schema)
      .def_readonly("num_rows", &RecordBatch::num_rows)
      .def_property_readonly("num_columns", [](const RecordBatch& b) { return b.columns.size(); })
      .def_property_readonly("column_names", [](const RecordBatch& b) { return column_names(b.schema); })
      .def("__len__", [](const RecordBatch& b) { return b.num_rows; })
      .def("column", [](const RecordBatch& b, const py::object& key) {
        size_t i = column_position(b.schema, key);
        return Column{b.schema.fields[i], {b.columns[i]}};
      })
      .def("to_pydict", [](const RecordBatch& b) { return to_pydict(single_batch_table(b)); })
      .def("to_pylist", [](const RecordBatch& b) { return to_pylist(single_batch_table(b)); })
      .def("__arrow_c_schema__", [](const RecordBatch& b) { return schema_capsule(b.schema); })
      .def("__arrow_c_array__", [](const RecordBatch& b, const py::object& requested) {
             check_requested_schema(requested, b.schema);
             return py::make_tuple(schema_capsule(b.schema), record_batch_capsule(b));
           },
           py::arg("requested_schema") = py::none())
      .def("__repr__", [](const RecordBatch& b) {
        return "parkett.RecordBatch (" + std::to_string(b.num_rows) + " rows)\n" + b.schema.to_string();
      });

  py::class_<Table>(m, "Table", "A table: record batches sharing one schema (pyarrow's Table).")
      .def_readonly("schema", &Table::schema)
      .def_property_readonly("num_rows", &Table::num_rows)
      .def_property_readonly("num_columns", [](const Table& t) { return t.schema.fields.size(); })
      .def_property_readonly("column_names", [](const Table& t) { return column_names(t.schema); })
      .def_property_readonly("shape", [](const Table& t) { return py::make_tuple(t.num_rows(), t.schema.fields.size()); })
      .def_property_readonly("nbytes", [](const Table& t) {
        // The bytes of the buffers the columns use (shared buffers once per column).
        int64_t n = 0;
        std::function<void(const ArrayData&)> add = [&](const ArrayData& a) {
          for (const auto& b : a.buffers) n += b ? static_cast<int64_t>(b->size()) : 0;
          for (const auto& c : a.children) add(*c);
          if (a.dictionary) add(*a.dictionary);
        };
        for (const RecordBatch& b : t.batches) for (const ArrayPtr& c : b.columns) add(*c);
        return n;
      })
      .def("__len__", &Table::num_rows)
      .def("column", [](const Table& t, const py::object& key) { return table_column(t, column_position(t.schema, key)); },
           py::arg("i"))
      .def("__getitem__", [](const Table& t, const py::object& key) { return table_column(t, column_position(t.schema, key)); })
      .def_property_readonly("columns", [](const Table& t) {
        std::vector<Column> out;
        for (size_t i = 0; i < t.schema.fields.size(); ++i) out.push_back(table_column(t, i));
        return out;
      })
      .def("to_batches", [](const Table& t) { return t.batches; })
      .def("_release", [](Table& t) { t.batches.clear(); },
           "Drops the table's data (to_pandas(self_destruct=True)): the table is empty afterwards.")
      .def("select", &select, py::arg("columns"))
      .def("slice", &slice_table, py::arg("offset") = 0, py::arg("length") = -1)
      .def("equals", [](const Table& a, const py::object& b) {
             // Equal schemas and equal values, however the rows are split into batches.
             Table other = table_from_arrow(b);
             if (!(a.schema.fields == other.schema.fields) || a.num_rows() != other.num_rows()) return false;
             return to_pydict(a).equal(to_pydict(other));
           },
           py::arg("other"))
      .def("to_pydict", &to_pydict, "{column name: [values]} (to_pylist's values).")
      .def("to_pylist", &to_pylist, "[{column name: value}] per row.")
      .def("replace_schema_metadata", [](const Table& t, const py::object& metadata) {
             Table out = t;
             out.schema.metadata.clear();
             if (!metadata.is_none()) {
               for (const auto& [k, v] : metadata.cast<py::dict>()) {
                 auto text = [](const py::handle& h) {
                   return py::isinstance<py::bytes>(h) ? h.cast<std::string>() : py::str(h).cast<std::string>();
                 };
                 out.schema.metadata.emplace_back(text(k), text(v));
               }
             }
             for (RecordBatch& b : out.batches) b.schema = out.schema;
             return out;
           },
           py::arg("metadata") = py::none())
      .def("__arrow_c_schema__", [](const Table& t) { return schema_capsule(t.schema); })
      .def("__arrow_c_stream__", [](const Table& t, const py::object& requested) {
             check_requested_schema(requested, t.schema);
             return stream_capsule(t);
           },
           py::arg("requested_schema") = py::none())
      .def_static("from_arrow", &table_from_arrow, py::arg("source"),
                  "A Table of any object implementing the Arrow PyCapsule interface "
                  "(__arrow_c_stream__ or __arrow_c_array__), sharing its memory.")
      .def_static("from_batches", [](const std::vector<RecordBatch>& batches, const py::object& schema) {
             Table t;
             if (!schema.is_none()) t.schema = schema.cast<Schema>();
             else if (!batches.empty()) t.schema = batches[0].schema;
             else throw Error(ErrorKind::InvalidArgument, "from_batches needs a schema when there are no batches");
             for (const RecordBatch& b : batches) {
               if (!(b.schema.fields == t.schema.fields)) {
                 throw Error(ErrorKind::InvalidArgument, "a batch's schema differs from the table's:\n" + b.schema.to_string());
               }
               t.batches.push_back(b);
               t.batches.back().schema = t.schema;
             }
             return t;
           },
           py::arg("batches"), py::arg("schema") = py::none())
      .def("__repr__", [](const Table& t) {
        return "parkett.Table (" + std::to_string(t.num_rows()) + " rows)\n" + t.schema.to_string();
      });
}

}  // namespace parkett::python
