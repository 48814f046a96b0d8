// Datasets from Python (the core of parkett.ParquetDataset, read_table on directories and
// write_to_dataset): partition discovery, schema merging, _metadata, filtered scans, and
// partitioned writes.
#include <pybind11/functional.h>
#include <pybind11/stl.h>

#include "bindings.h"
#include "options.h"
#include "parkett/dataset.h"
#include "parkett/error.h"

namespace parkett::python {
namespace {

Dataset open_dataset(const py::object& source, const py::dict& options) {
  DatasetOptions o = dataset_options(options);
  if (py::isinstance<py::str>(source)) {
    auto path = source.cast<std::string>();
    py::gil_scoped_release unlocked;
    return Dataset::open(path, o);
  }
  auto files = source.cast<std::vector<std::string>>();
  py::gil_scoped_release unlocked;
  return Dataset::open(files, o);
}

py::list written_files(const std::vector<WrittenFile>& files) {
  py::list out;
  for (const WrittenFile& f : files) out.append(py::make_tuple(f.path, f.partition_values, f.metadata));
  return out;
}

}  // namespace

void init_dataset(py::module_& m) {
  py::class_<Dataset>(m, "Dataset", "Many Parquet files read as one table (the core of parkett.ParquetDataset).")
      .def_static("open", &open_dataset, py::arg("source"), py::arg("options") = py::dict())
      .def_property_readonly("schema", &Dataset::schema)
      .def_property_readonly("partition_schema", &Dataset::partition_schema)
      .def_property_readonly("files", [](const Dataset& d) {
        std::vector<std::string> out;
        for (const Fragment& f : d.fragments()) out.push_back(f.path);
        return out;
      })
      .def_property_readonly("fragments", [](const Dataset& d) {
        py::list out;
        for (const Fragment& f : d.fragments()) out.append(py::make_tuple(f.path, f.partition_values));
        return out;
      })
      .def("fragment_rows", [](const Dataset& d) {
        py::gil_scoped_release unlocked;
        return d.fragment_rows();
      })
      .def("read", [](const Dataset& d, const py::dict& scan) {
             ScanOptions o = scan_options(scan);
             py::gil_scoped_release unlocked;
             return d.read_table(o);
           },
           py::arg("scan") = py::dict())
      .def("fragments_matching",
           [](const Dataset& d, const std::string& filter) {
             Expression e = filter.empty() ? Expression() : Expression::parse(filter);
             return d.fragments_matching(e);
           },
           py::arg("filter"))
      .def("scan_fragment",
           [](const Dataset& d, size_t fragment, const py::dict& scan) {
             ScanOptions o = scan_options(scan);
             std::optional<RecordBatchReader> reader;
             {
               py::gil_scoped_release unlocked;
               reader.emplace(d.scan_fragment(fragment, o));
             }
             return make_batch_reader(std::move(*reader));
           },
           py::arg("fragment"), py::arg("scan") = py::dict())
      .def("scan", [](const Dataset& d, const py::dict& scan) {
             ScanOptions o = scan_options(scan);
             std::optional<RecordBatchReader> reader;
             {
               py::gil_scoped_release unlocked;
               reader.emplace(d.scan(o));
             }
             return make_batch_reader(std::move(*reader));
           },
           py::arg("scan") = py::dict());

  m.def("_write_dataset", [](const py::object& data, const std::string& root, const py::dict& options,
                             const py::object& file_visitor) {
          Table t = table_from_arrow(data);
          DatasetWriteOptions o = dataset_write_options(options);
          if (!file_visitor.is_none()) {
            // Called on parkett's writing thread: take the GIL for the Python callback.
            py::object visitor = file_visitor;
            auto holder = std::make_shared<py::object>(visitor);
            o.file_visitor = [holder](const WrittenFile& f) {
              py::gil_scoped_acquire locked;
              (*holder)(py::make_tuple(f.path, f.partition_values, f.metadata));
            };
          }
          std::vector<WrittenFile> files;
          {
            py::gil_scoped_release unlocked;
            files = write_dataset(t, root, o);
          }
          o.file_visitor = nullptr;  // drop the Python callable with the GIL held
          return written_files(files);
        },
        py::arg("table"), py::arg("root"), py::arg("options") = py::dict(), py::arg("file_visitor") = py::none());
}

}  // namespace parkett::python
