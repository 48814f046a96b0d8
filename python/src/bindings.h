// Shared declarations of the binding translation units of parkett._parkett: one init_*
// per area (each in its own file, so that a change rebuilds one small unit), the column
// type the module adds to parkett's Table, and the option conversions.
#pragma once

#include <pybind11/pybind11.h>

#include <string>
#include <vector>

#include "parkett/array.h"
#include "parkett/datatype.h"

namespace py = pybind11;

namespace parkett::python {

void init_errors(py::module_& m);
void init_types(py::module_& m);
void init_tables(py::module_& m);
void init_expression(py::module_& m);
void init_metadata(py::module_& m);
void init_reader(py::module_& m);
void init_writer(py::module_& m);
void init_dataset(py::module_& m);
void init_encryption(py::module_& m);
void init_builders(py::module_& m);

/// One column of a table: its field and its arrays, one per record batch (pyarrow's
/// ChunkedArray).
struct Column {
  Field field;
  std::vector<ArrayPtr> chunks;
  int64_t length() const;
  int64_t null_count() const;
};

/// Column `i` of a table.
Column table_column(const Table& table, size_t i);

/// The value at row `i` of `array` as a Python object (None for null; see to_pylist).
py::object value_to_python(const ArrayData& array, int64_t i);

/// A table from any object implementing the Arrow PyCapsule interface (__arrow_c_stream__,
/// or __arrow_c_array__ for one record batch), without copying its buffers.
Table table_from_arrow(const py::object& source);

}  // namespace parkett::python

namespace parkett {
class RecordBatchReader;
struct ScanCounts;
}  // namespace parkett

namespace parkett::python {
/// A statistics value as Python: ints, floats, bools; bytes, or str when `as_text`
/// (metadata.cc).
py::object stat_to_python(const StatValue& value, bool as_text);
/// A Python RecordBatchReader over `reader` (reader.cc).
py::object make_batch_reader(RecordBatchReader reader);
py::dict scan_counts_dict(const ScanCounts& counts);
}  // namespace parkett::python
