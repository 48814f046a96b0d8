// Writing from Python: FileWriter (the core of parkett.ParquetWriter), write_table and
// MetadataCollector (write_metadata). Paths are written atomically by parkett; a Python
// file object receives the finished file's bytes only when the write succeeded. The GIL
// is released while parkett encodes and writes.
#include <pybind11/stl.h>

#include "bindings.h"
#include "options.h"
#include "parkett/error.h"
#include "parkett/writer.h"

namespace parkett::python {
namespace {

// The file in memory, for a Python file object: written to it when the writer closes.
class MemoryOutput final : public OutputFile {
 public:
  explicit MemoryOutput(std::shared_ptr<std::string> bytes) : bytes_(std::move(bytes)) {}
  void write(const void* data, size_t size) override { bytes_->append(static_cast<const char*>(data), size); }
  int64_t position() const override { return static_cast<int64_t>(bytes_->size()); }
  void close() override {}
  void abort() noexcept override { bytes_->clear(); }
  std::string name() const override { return "<file object>"; }

 private:
  std::shared_ptr<std::string> bytes_;
};

// One call at a time: a second thread using the writer while the first has released the
// GIL is refused.
struct PyFileWriter {
  std::optional<FileWriter> writer;
  py::object sink;                     // a Python file object, or None
  std::shared_ptr<std::string> bytes;  // what is written for `sink`
  Schema schema;
  bool busy = false;

  FileWriter& get() {
    if (busy) throw Error(ErrorKind::InvalidArgument, "the writer is in use by another thread");
    if (!writer) throw Error(ErrorKind::InvalidArgument, "the writer is closed");
    return *writer;
  }
};

struct InUse {
  bool& flag;
  explicit InUse(bool& f) : flag(f) { flag = true; }
  ~InUse() { flag = false; }
};

PyFileWriter open_writer(const py::object& where, const Schema& schema, const py::dict& options) {
  WriteOptions o = write_options(options);
  PyFileWriter w;
  w.schema = schema;
  if (py::isinstance<py::str>(where)) {
    auto path = where.cast<std::string>();
    py::gil_scoped_release unlocked;
    w.writer.emplace(FileWriter::open(path, schema, o));
    return w;
  }
  if (!py::hasattr(where, "write")) {
    throw Error(ErrorKind::InvalidArgument, "a Parquet destination is a path or a binary file object, not " +
                                                py::str(py::type::of(where).attr("__name__")).cast<std::string>());
  }
  w.sink = where;
  w.bytes = std::make_shared<std::string>();
  auto out = std::make_unique<MemoryOutput>(w.bytes);
  py::gil_scoped_release unlocked;
  w.writer.emplace(FileWriter::open(std::move(out), schema, o));
  return w;
}

FileMetadata close_writer(PyFileWriter& w) {
  FileMetadata md;
  {
    FileWriter& writer = w.get();
    InUse in_use(w.busy);
    py::gil_scoped_release unlocked;
    md = writer.close();
  }
  w.writer.reset();
  if (w.sink) {
    w.sink.attr("write")(py::bytes(*w.bytes));
    w.bytes->clear();
  }
  return md;
}

}  // namespace

void init_writer(py::module_& m) {
  py::class_<PyFileWriter>(m, "FileWriter", "Writes one Parquet file from tables and record batches.")
      .def_static("open", &open_writer, py::arg("where"), py::arg("schema"), py::arg("options") = py::dict())
      .def_readonly("schema", &PyFileWriter::schema)
      .def_property_readonly("is_open", [](const PyFileWriter& w) { return w.writer.has_value(); })
      .def("write_table", [](PyFileWriter& w, const py::object& data) {
        Table t = table_from_arrow(data);
        FileWriter& writer = w.get();
        InUse in_use(w.busy);
        py::gil_scoped_release unlocked;
        writer.write(t);
      })
      .def("write_batch", [](PyFileWriter& w, const RecordBatch& b) {
        FileWriter& writer = w.get();
        InUse in_use(w.busy);
        py::gil_scoped_release unlocked;
        writer.write(b);
      })
      .def("flush", [](PyFileWriter& w) {
        FileWriter& writer = w.get();
        InUse in_use(w.busy);
        py::gil_scoped_release unlocked;
        writer.flush();
      })
      .def_property_readonly("buffered_bytes", [](PyFileWriter& w) { return w.get().buffered_bytes(); })
      .def("close", &close_writer)
      .def("abort", [](PyFileWriter& w) {
        // Dropping an unclosed writer removes its temporary file (or aborts the upload).
        if (w.busy) throw Error(ErrorKind::InvalidArgument, "the writer is in use by another thread");
        std::optional<FileWriter> writer = std::move(w.writer);
        w.writer.reset();
        py::gil_scoped_release unlocked;
        writer.reset();
      });

  m.def("_write_table", [](const py::object& data, const std::string& path, const py::dict& options) {
          Table t = table_from_arrow(data);
          WriteOptions o = write_options(options);
          py::gil_scoped_release unlocked;
          return write_table(t, path, o);
        },
        py::arg("table"), py::arg("path"), py::arg("options") = py::dict());

  m.def("_write_tables", [](const py::list& tables, const std::vector<std::string>& paths, const py::dict& options) {
          std::vector<Table> ts;
          for (auto t : tables) ts.push_back(table_from_arrow(py::reinterpret_borrow<py::object>(t)));
          WriteOptions o = write_options(options);
          py::gil_scoped_release unlocked;
          return write_tables(ts, paths, o);
        },
        py::arg("tables"), py::arg("paths"), py::arg("options") = py::dict());

  py::class_<MetadataCollector>(m, "MetadataCollector",
                                "Builds a dataset's _metadata / _common_metadata from footers of files written elsewhere.")
      .def(py::init<>())
      .def("add", &MetadataCollector::add, py::arg("relative_path"), py::arg("metadata"))
      .def_property_readonly("num_files", &MetadataCollector::num_files)
      .def("metadata", &MetadataCollector::metadata)
      .def("write_metadata_file", [](const MetadataCollector& c, const std::string& path, const py::dict& s3) {
             WriteOptions o;
             if (!s3.empty()) o = write_options(py::dict(py::arg("s3") = s3));
             auto fs = filesystem_for(path, o.s3);
             py::gil_scoped_release unlocked;
             c.write_metadata_file(path, fs);
           },
           py::arg("path"), py::arg("s3") = py::dict())
      .def("write_common_metadata_file", [](const MetadataCollector& c, const std::string& path, const py::dict& s3) {
             WriteOptions o;
             if (!s3.empty()) o = write_options(py::dict(py::arg("s3") = s3));
             auto fs = filesystem_for(path, o.s3);
             py::gil_scoped_release unlocked;
             c.write_common_metadata_file(path, fs);
           },
           py::arg("path"), py::arg("s3") = py::dict());
}

}  // namespace parkett::python
