// Reading from Python: FileReader (the core of parkett.ParquetFile), read_table, and batch
// readers that iterate in Python or hand their stream to any Arrow consumer. The GIL is
// released while parkett opens, decodes and reads; parkett's threads never call Python.
#include <pybind11/stl.h>

#include "bindings.h"
#include "capsules.h"
#include "options.h"
#include "parkett/error.h"
#include "parkett/input_file.h"
#include "parkett/reader.h"
#include "parkett/bloom_filter.h"
#include "parkett/page_index.h"

#include <cstring>

namespace parkett::python {
namespace {

// Runs f without the GIL when this thread holds it. Scans decode on parkett's threads,
// which may call back into Python (a KMS client, a key retriever) and so need the GIL: a
// thread holding it must not wait on them (in next(), or in the destructor that waits for
// their tasks).
template <class F>
void without_gil(F&& f) {
  if (Py_IsInitialized() && PyGILState_Check()) {
    py::gil_scoped_release unlocked;
    f();
  } else {
    f();
  }
}

// A scan that follows that rule whoever drives it: Python's iterator, a consumer of the
// exported stream holding the GIL, or the garbage collector destroying it.
class GilFreeSource final : public RecordBatchReader::Source {
 public:
  explicit GilFreeSource(RecordBatchReader reader) : reader_(std::move(reader)) {}
  ~GilFreeSource() override {
    without_gil([&] { reader_.reset(); });
  }
  const Schema& schema() const override { return reader_->schema(); }
  bool next(RecordBatch& out) override {
    bool more = false;
    without_gil([&] { more = reader_->next(out); });
    return more;
  }
  const ScanCounts& counts() const override { return reader_->counts(); }

 private:
  std::optional<RecordBatchReader> reader_;
};

// A batch reader shared between Python's iterator protocol and a stream export (which
// takes it over: afterwards the Python object is exhausted). One call at a time: a second
// thread using it while the first has released the GIL is refused.
struct BatchReader {
  std::optional<RecordBatchReader> reader;
  Schema schema;
  ScanCounts last_counts;
  bool busy = false;

  RecordBatchReader& get() {
    if (busy) throw Error(ErrorKind::InvalidArgument, "this batch reader is in use by another thread");
    if (!reader) throw Error(ErrorKind::InvalidArgument, "this batch reader was handed to an Arrow consumer (__arrow_c_stream__) and is used up");
    return *reader;
  }
};

// Marks a reader or writer in use while the GIL is released around it.
struct InUse {
  bool& flag;
  explicit InUse(bool& f) : flag(f) { flag = true; }
  ~InUse() { flag = false; }
};

py::object next_batch(BatchReader& r) {
  RecordBatch batch;
  bool more;
  {
    RecordBatchReader& reader = r.get();
    InUse in_use(r.busy);
    more = reader.next(batch);  // without the GIL (GilFreeSource)
  }
  r.last_counts = r.get().counts();
  if (!more) throw py::stop_iteration();
  return py::cast(std::move(batch));
}

// An immutable bytes object read in place: parkett's threads copy out of its buffer
// without the GIL (bytes never change or move); the object is released with the GIL.
class BytesInput final : public InputFile {
 public:
  BytesInput(py::bytes bytes, std::string name) : name_(std::move(name)) {
    char* data = nullptr;
    Py_ssize_t size = 0;
    if (PyBytes_AsStringAndSize(bytes.ptr(), &data, &size) != 0) throw py::error_already_set();
    data_ = reinterpret_cast<const uint8_t*>(data);
    size_ = size;
    owner_ = std::shared_ptr<py::object>(new py::object(std::move(bytes)), [](py::object* o) {
      if (!Py_IsInitialized()) return;  // the interpreter is gone: leave it
      py::gil_scoped_acquire locked;
      delete o;
    });
  }
  int64_t size() const override { return size_; }
  void read_at(int64_t offset, int64_t length, uint8_t* out) const override {
    if (offset < 0 || length < 0 || offset > size_ || length > size_ - offset) {
      throw Error(ErrorKind::Corrupt, "read of " + std::to_string(length) + " bytes at offset " + std::to_string(offset) +
                                          " past the end of " + std::to_string(size_) + " bytes",
                  ErrorContext{name_, {}, {}, {}});
    }
    std::memcpy(out, data_ + offset, static_cast<size_t>(length));
  }
  std::string name() const override { return name_; }

 private:
  const uint8_t* data_ = nullptr;
  int64_t size_ = 0;
  std::string name_;
  std::shared_ptr<py::object> owner_;
};

// Bytes a Python object holds whole: bytes, bytearray, memoryview, a BytesIO, or any
// readable file object (read to its end: parkett reads footers and pages at offsets, and
// Python file objects cannot be read from parkett's threads).
std::shared_ptr<const std::string> bytes_of(const py::object& source) {
  if (py::isinstance<py::bytes>(source)) return std::make_shared<const std::string>(source.cast<std::string>());
  if (py::isinstance<py::bytearray>(source) || py::isinstance<py::memoryview>(source)) {
    return std::make_shared<const std::string>(py::bytes(source).cast<std::string>());
  }
  if (py::hasattr(source, "getvalue")) {  // BytesIO
    py::object value = source.attr("getvalue")();
    if (py::isinstance<py::bytes>(value)) return std::make_shared<const std::string>(value.cast<std::string>());
  }
  if (py::hasattr(source, "read")) {
    if (py::hasattr(source, "seek")) source.attr("seek")(0);
    py::object data = source.attr("read")();
    if (!py::isinstance<py::bytes>(data)) throw Error(ErrorKind::InvalidArgument, "the file object's read() did not return bytes (open it in binary mode)");
    return std::make_shared<const std::string>(data.cast<std::string>());
  }
  throw Error(ErrorKind::InvalidArgument, "a Parquet source is a path, bytes or a binary file object, not " +
                                              py::str(py::type::of(source).attr("__name__")).cast<std::string>());
}

std::string source_name(const py::object& source) {
  if (py::hasattr(source, "name")) {
    py::object name = source.attr("name");
    if (py::isinstance<py::str>(name)) return name.cast<std::string>();
  }
  return "<memory>";
}

FileReader open_file(const py::object& source, const py::dict& options, const py::object& footer) {
  ReadOptions o = read_options(options);
  if (py::isinstance<py::str>(source)) {
    auto path = source.cast<std::string>();
    if (!footer.is_none()) {
      auto md = footer.cast<FileMetadata>();
      py::gil_scoped_release unlocked;
      return FileReader::open(path, md, o);
    }
    py::gil_scoped_release unlocked;
    return FileReader::open(path, o);
  }
  std::string name = source_name(source);
  py::object whole = source;
  if (!py::isinstance<py::bytes>(whole) && py::hasattr(source, "getvalue")) whole = source.attr("getvalue")();
  if (py::isinstance<py::bytes>(whole)) {  // read in place
    auto input = std::make_shared<const BytesInput>(whole.cast<py::bytes>(), name);
    py::gil_scoped_release unlocked;
    return FileReader::open(input, o);
  }
  auto bytes = bytes_of(source);
  py::gil_scoped_release unlocked;
  return FileReader::open_buffer(bytes, o, name);
}

// A Python value as the statistics value of a column of `type` (for bloom filter probes):
// the physical type decides the bytes that were hashed.
StatValue probe_value(const py::object& v, PhysicalType type) {
  const bool number = py::isinstance<py::int_>(v) && !py::isinstance<py::bool_>(v);
  try {
    switch (type) {
      case PhysicalType::Int32:
        if (number) return v.cast<int32_t>();
        break;
      case PhysicalType::Int64:
        if (number) return v.cast<int64_t>();
        break;
      case PhysicalType::Float:
        if (number || py::isinstance<py::float_>(v)) return v.cast<float>();
        break;
      case PhysicalType::Double:
        if (number || py::isinstance<py::float_>(v)) return v.cast<double>();
        break;
      case PhysicalType::ByteArray:
      case PhysicalType::FixedLenByteArray:
        if (py::isinstance<py::str>(v) || py::isinstance<py::bytes>(v)) return v.cast<std::string>();
        break;
      default: break;
    }
  } catch (const py::cast_error&) {  // out of the type's range
  }
  throw Error(ErrorKind::InvalidArgument, "a bloom filter of a " + to_string(type) + " column cannot be probed with " +
                                              py::repr(v).cast<std::string>());
}

py::dict counts_dict(const ScanCounts& c) {
  py::dict d;
  d["row_groups_read"] = c.row_groups_read;
  d["row_groups_skipped"] = c.row_groups_skipped;
  d["row_groups_skipped_by_bloom_filter"] = c.row_groups_skipped_by_bloom_filter;
  d["row_groups_skipped_by_dictionary"] = c.row_groups_skipped_by_dictionary;
  d["row_groups_skipped_by_data_index"] = c.row_groups_skipped_by_data_index;
  d["rows_skipped"] = c.rows_skipped;
  d["pages_read"] = c.pages_read;
  d["pages_skipped"] = c.pages_skipped;
  d["bytes_read"] = c.bytes_read;
  d["files_read"] = c.files_read;
  d["files_skipped"] = c.files_skipped;
  d["files_unreadable"] = c.files_unreadable;
  return d;
}

// The file's key-value metadata as the schema's, as pyarrow reads it (the pandas metadata
// among it), without the stored Arrow schema itself.
std::vector<std::pair<std::string, std::string>> file_key_values(const FileMetadata& md) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [k, v] : md.key_value_metadata()) {
    if (k != "ARROW:schema") out.emplace_back(k, v.value_or(""));
  }
  return out;
}

Schema with_file_metadata(Schema s, const FileMetadata& md) {
  s.metadata = file_key_values(md);
  return s;
}

Table with_file_metadata(Table t, const FileMetadata& md) {
  t.schema.metadata = file_key_values(md);
  for (RecordBatch& b : t.batches) b.schema.metadata = t.schema.metadata;
  return t;
}

}  // namespace

py::object make_batch_reader(RecordBatchReader reader) {
  BatchReader r;
  r.schema = reader.schema();
  r.reader.emplace(std::make_unique<GilFreeSource>(std::move(reader)));
  return py::cast(std::move(r));
}

py::dict scan_counts_dict(const ScanCounts& c) { return counts_dict(c); }

void init_reader(py::module_& m) {
  py::class_<BatchReader>(m, "RecordBatchReader",
                          "Record batches decoded as they are asked for: iterate in Python, or hand the "
                          "stream to any Arrow consumer (__arrow_c_stream__).")
      .def_property_readonly("schema", [](const BatchReader& r) { return r.schema; })
      .def("__iter__", [](py::object self) { return self; })
      .def("__next__", &next_batch)
      .def("read_next_batch", &next_batch)
      .def("read_all", [](BatchReader& r) {
        Table t{r.schema, {}};
        RecordBatchReader& reader = r.get();
        {
          InUse in_use(r.busy);
          RecordBatch b;
          while (reader.next(b)) t.batches.push_back(std::move(b));  // without the GIL
        }
        r.last_counts = reader.counts();
        return t;
      })
      .def_property_readonly("counts", [](const BatchReader& r) {
        return counts_dict(r.reader ? r.reader->counts() : r.last_counts);
      })
      .def("__arrow_c_schema__", [](const BatchReader& r) { return schema_capsule(r.schema); })
      .def("__arrow_c_stream__", [](BatchReader& r, const py::object& requested) {
             check_requested_schema(requested, r.schema);
             RecordBatchReader reader = std::move(r.get());  // GilFreeSource: safe for any consumer
             r.reader.reset();
             return stream_capsule(std::move(reader));
           },
           py::arg("requested_schema") = py::none());

  py::class_<FileReader>(m, "FileReader", "An open Parquet file (the core of parkett.ParquetFile).")
      .def_static("open", &open_file, py::arg("source"), py::arg("options") = py::dict(), py::arg("metadata") = py::none())
      .def_property_readonly("metadata", &FileReader::metadata)
      .def_property_readonly("name", &FileReader::name)
      .def("arrow_schema",
           [](const FileReader& r, const py::dict& scan) {
             return with_file_metadata(r.arrow_schema(scan_options(scan)), r.metadata());
           },
           py::arg("scan") = py::dict())
      .def("read", [](const FileReader& r, const py::dict& scan) {
             ScanOptions o = scan_options(scan);
             ScanCounts counts;
             py::gil_scoped_release unlocked;
             return with_file_metadata(r.read_table(o, counts), r.metadata());
           },
           py::arg("scan") = py::dict())
      .def("read_with_counts", [](const FileReader& r, const py::dict& scan) {
             ScanOptions o = scan_options(scan);
             ScanCounts counts;
             Table t;
             {
               py::gil_scoped_release unlocked;
               t = with_file_metadata(r.read_table(o, counts), r.metadata());
             }
             return py::make_tuple(std::move(t), counts_dict(counts));
           },
           py::arg("scan") = py::dict())
      .def("bloom_filter_contains",
           [](const FileReader& r, int32_t row_group, int32_t column, const py::object& value) -> py::object {
             const FileMetadata& md = r.metadata();
             if (row_group < 0 || row_group >= md.num_row_groups()) throw py::index_error("row group out of range");
             if (column < 0 || column >= md.num_columns()) throw py::index_error("column out of range");
             StatValue probe = probe_value(value, md.schema().column(column).physical_type);
             std::optional<BloomFilter> filter;
             {
               py::gil_scoped_release unlocked;
               filter = r.bloom_filter(row_group, column);
             }
             if (!filter) return py::none();
             return py::bool_(filter->might_contain_value(probe));
           },
           py::arg("row_group"), py::arg("column"), py::arg("value"),
           "Whether the chunk's bloom filter may hold `value` (False: certainly not); None without a filter.")
      .def("offset_index",
           [](const FileReader& r, int32_t row_group, int32_t column) -> py::object {
             std::optional<OffsetIndex> index;
             {
               py::gil_scoped_release unlocked;
               index = r.offset_index(row_group, column);
             }
             if (!index) return py::none();
             py::list pages;
             for (const PageLocation& p : index->pages) {
               pages.append(py::make_tuple(p.offset, p.compressed_page_size, p.first_row_index));
             }
             return std::move(pages);
           },
           py::arg("row_group"), py::arg("column"),
           "The chunk's data pages as (offset, compressed size, first row); None without an offset index.")
      .def("column_index",
           [](const FileReader& r, int32_t row_group, int32_t column) -> py::object {
             std::optional<ColumnIndex> index;
             {
               py::gil_scoped_release unlocked;
               index = r.column_index(row_group, column);
             }
             if (!index) return py::none();
             py::dict d;
             d["null_pages"] = index->null_pages;
             d["has_min_max"] = index->has_min_max;
             py::list mins, maxs;
             for (const StatValue& v : index->min_values) mins.append(stat_to_python(v, false));
             for (const StatValue& v : index->max_values) maxs.append(stat_to_python(v, false));
             d["min_values"] = mins;
             d["max_values"] = maxs;
             const char* orders[] = {"unordered", "ascending", "descending"};
             d["boundary_order"] = orders[static_cast<int>(index->boundary_order)];
             d["null_counts"] = index->null_counts;
             d["nan_counts"] = index->nan_counts;
             return std::move(d);
           },
           py::arg("row_group"), py::arg("column"),
           "The chunk's column index (per page: null_pages, min/max values as physical values, "
           "null counts); None without one.")
      .def("batches", [](const FileReader& r, const py::dict& scan) {
             ScanOptions o = scan_options(scan);
             std::optional<RecordBatchReader> reader;
             {
               py::gil_scoped_release unlocked;
               reader.emplace(r.batches(o));
             }
             py::object out = make_batch_reader(std::move(*reader));
             out.cast<BatchReader&>().schema.metadata = file_key_values(r.metadata());
             return out;
           },
           py::arg("scan") = py::dict());
}

}  // namespace parkett::python
