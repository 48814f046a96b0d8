// parkett._parkett_testing (tests only): the C++ import side of the Arrow PyCapsule
// interface, rendering what arrives as canonical JSON Lines (shared/peers/CANONICAL.md) so
// the Python tests compare reads with the corpus's expected files independently of the
// Python conversions.
#include <pybind11/pybind11.h>

#include "bindings.h"
#include "convert/jsonl_writer.h"
#include "parkett/reader.h"

PYBIND11_MODULE(_parkett_testing, m) {
  m.def("canonical_jsonl", [](const py::object& stream, const std::string& parquet_path) {
    // The data through the capsule; the Parquet schema (which the canonical rendering
    // follows) from the file itself.
    parkett::Table table = parkett::python::table_from_arrow(stream);
    parkett::FileReader file = parkett::FileReader::open(parquet_path);
    return parkett::convert::to_canonical_jsonl(file.metadata().schema(), table);
  });
}
