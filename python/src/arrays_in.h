// Python data as parkett arrays (arrays_in.cc), for Table.from_pydict / from_pandas.
#pragma once

#include <pybind11/numpy.h>

#include <vector>

#include "bindings.h"

namespace parkett::python {

/// A copy of a one-dimensional numpy array (bool, ints, floats, datetime64) as an array of
/// its natural Arrow type, or of `type` when given; `mask` (true: null) and NaT are nulls,
/// and NaN too when nan_is_null (pandas' missing float). Object arrays take the path of
/// array_from_objects.
ArrayPtr array_from_numpy(const py::array& values, const py::object& mask, const py::object& type, bool nan_is_null);
/// Python objects as an array of `type`, or of the type inferred from them (None: null).
ArrayPtr array_from_objects(const std::vector<PyObject*>& values, const py::object& type, bool nan_is_null);

}  // namespace parkett::python
