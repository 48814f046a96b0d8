// Filters from Python: SQL-like text (the CLI's --where) parsed and printed by parkett, so
// that the Python layer can check a filter early and send it to Dask workers as text.
#include "bindings.h"
#include "parkett/expression.h"

namespace parkett::python {

void init_expression(py::module_& m) {
  m.def("_normalize_filter", [](const std::string& text) { return Expression::parse(text).to_string(); },
        py::arg("text"), "The filter parsed and printed back (Error(InvalidArgument) if it does not parse).");
}

}  // namespace parkett::python
