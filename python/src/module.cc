// parkett._parkett: parkett's C++ core for Python. The pure-Python package (parkett/*.py)
// gives it pyarrow.parquet's names; each init_* binds one area (see bindings.h).
#include "bindings.h"
#include "parkett/array.h"
#include "parkett/version.h"

PYBIND11_MODULE(_parkett, m) {
  m.doc() = "parkett's C++ core (use the parkett package, not this module)";
  m.def("version", [] { return std::string(parkett::version()); });
  m.def("_set_buffer_pool_limit", &parkett::set_buffer_pool_limit, py::arg("bytes"));
  using namespace parkett::python;
  init_errors(m);
  init_types(m);
  init_tables(m);
  init_builders(m);
  init_expression(m);
  init_metadata(m);
  init_encryption(m);
  init_reader(m);
  init_writer(m);
  init_dataset(m);
}
