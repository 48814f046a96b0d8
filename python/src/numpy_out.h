// Columns as numpy arrays (numpy_out.cc).
#pragma once

#include "bindings.h"

namespace parkett::python {

/// The values of a column: a view of its buffer when it is one chunk of fixed-width values
/// without nulls, else a copy (nulls hold arbitrary values; see column_null_mask). Boolean
/// as numpy bool, date32 as datetime64[D], timestamps as datetime64[unit], and types numpy
/// has no dtype for as an object array (column_objects). zero_copy_only refuses copies with
/// Error(InvalidArgument). A view is read-only (the table's memory, perhaps another
/// library's) unless `writable`: for a table given up to pandas (self_destruct).
py::object column_values(const Column& column, bool zero_copy_only, bool writable);
/// Every value as a Python object (None for nulls), in a numpy object array.
py::object column_objects(const Column& column);
/// A numpy bool array, true where the column is null; None when nothing is.
py::object column_null_mask(const Column& column);
/// A dictionary column's int32 indices, -1 for nulls (pandas' categorical codes).
py::object dictionary_codes(const Column& column);

}  // namespace parkett::python
