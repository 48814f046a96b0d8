// Tables built from Python data (Table.from_pydict, from_pandas): arrays from numpy arrays
// or Python objects (arrays_in.cc), assembled into a one-batch table.
#include <pybind11/stl.h>

#include "arrays_in.h"
#include "bindings.h"
#include "parkett/error.h"

namespace parkett::python {

void init_builders(py::module_& m) {
  m.def("_array_from_numpy", [](const py::array& values, const py::object& mask, const py::object& type, bool nan_is_null) {
          ArrayPtr a = array_from_numpy(values, mask, type, nan_is_null);
          return Column{Field{"", a->type, true, {}}, {a}};
        },
        py::arg("values"), py::arg("mask") = py::none(), py::arg("type") = py::none(), py::arg("nan_is_null") = false);
  m.def("_array_from_objects", [](const py::iterable& values, const py::object& type, bool nan_is_null) {
          py::list items(values);
          std::vector<PyObject*> raw;
          raw.reserve(items.size());
          for (auto v : items) raw.push_back(v.ptr());
          ArrayPtr a = array_from_objects(raw, type, nan_is_null);
          return Column{Field{"", a->type, true, {}}, {a}};
        },
        py::arg("values"), py::arg("type") = py::none(), py::arg("nan_is_null") = false);
  m.def("_dictionary_column", [](const Column& indices, const Column& dictionary) {
          // pandas categoricals: int32 codes (nulls where -1 was) into the categories.
          if (indices.chunks.size() != 1 || dictionary.chunks.size() != 1 ||
              indices.field.type.id() != DataType::Id::Int32) {
            throw Error(ErrorKind::InvalidArgument, "a dictionary column needs one chunk of int32 indices and one of values");
          }
          auto a = std::make_shared<ArrayData>(*indices.chunks[0]);
          a->type = DataType::dictionary(dictionary.field.type);
          a->dictionary = dictionary.chunks[0];
          return Column{Field{"", a->type, true, {}}, {a}};
        });
  m.def("_table_from_columns", [](const std::vector<Column>& columns, const Schema& schema) {
          if (columns.size() != schema.fields.size()) {
            throw Error(ErrorKind::InvalidArgument, std::to_string(columns.size()) + " columns for a schema of " +
                                                        std::to_string(schema.fields.size()) + " fields");
          }
          Table t{schema, {}};
          int64_t rows = columns.empty() ? 0 : columns[0].length();
          RecordBatch b{schema, rows, {}};
          for (size_t i = 0; i < columns.size(); ++i) {
            const Column& c = columns[i];
            if (c.length() != rows) {
              throw Error(ErrorKind::InvalidArgument, "column '" + schema.fields[i].name + "' has " +
                                                          std::to_string(c.length()) + " rows where the first has " +
                                                          std::to_string(rows));
            }
            if (!(c.field.type == schema.fields[i].type)) {
              throw Error(ErrorKind::InvalidArgument, "column '" + schema.fields[i].name + "' is " +
                                                          c.field.type.to_string() + " where the schema says " +
                                                          schema.fields[i].type.to_string());
            }
            if (!schema.fields[i].nullable && c.null_count() > 0) {
              throw Error(ErrorKind::InvalidArgument, "column '" + schema.fields[i].name + "' is not nullable but has nulls");
            }
            if (c.chunks.size() != 1) throw Error(ErrorKind::InvalidArgument, "columns must be single arrays here");
            b.columns.push_back(c.chunks[0]);
          }
          t.batches.push_back(std::move(b));
          return t;
        });
}

}  // namespace parkett::python
