// parkett::Error as Python exceptions: ParkettError and one subclass per ErrorKind, which
// also derive from the built-in exceptions Python code already catches for such failures
// (OSError for I/O, FileNotFoundError for a missing file or column, ValueError for bad
// arguments, NotImplementedError for what is unsupported, MemoryError for resource limits).
// str(e) is parkett's message; the location is also in e.kind, e.file, e.row_group,
// e.column and e.page_offset.
#include <exception>

#include "bindings.h"
#include "parkett/error.h"

namespace parkett::python {
namespace {

struct KindClass {
  ErrorKind kind;
  const char* name;
  PyObject* builtin;  // a second base, or null
  const char* doc;
};

PyObject* kind_classes[8] = {};

PyObject* new_class(py::module_& m, const char* name, PyObject* bases, const char* doc) {
  std::string qualified = std::string("parkett.") + name;
  PyObject* cls = PyErr_NewExceptionWithDoc(qualified.c_str(), doc, bases, nullptr);
  if (cls == nullptr) throw py::error_already_set();
  m.add_object(name, py::handle(cls));  // the module keeps a reference
  return cls;
}

void raise(const Error& e) {
  PyObject* cls = kind_classes[static_cast<int>(e.kind())];
  py::object error = py::reinterpret_borrow<py::object>(cls)(py::str(e.what()));
  const ErrorContext& where = e.context();
  error.attr("kind") = py::str(to_string(e.kind()));
  error.attr("message") = py::str(e.message());
  error.attr("file") = where.file.empty() ? py::object(py::none()) : py::object(py::str(where.file));
  error.attr("row_group") = where.row_group ? py::object(py::int_(*where.row_group)) : py::object(py::none());
  error.attr("column") = where.column.empty() ? py::object(py::none()) : py::object(py::str(where.column));
  error.attr("page_offset") = where.page_offset ? py::object(py::int_(*where.page_offset)) : py::object(py::none());
  PyErr_SetObject(cls, error.ptr());
}

}  // namespace

void init_errors(py::module_& m) {
  PyObject* base = new_class(m, "ParkettError", PyExc_Exception,
                             "Base of every error parkett raises; str(e) says what and where.");
  const KindClass kinds[] = {
      {ErrorKind::Io, "ParkettIOError", PyExc_OSError, "The storage failed (open, read, write, rename)."},
      {ErrorKind::Corrupt, "CorruptFileError", nullptr, "The file breaks the Parquet format."},
      {ErrorKind::Unsupported, "UnsupportedError", PyExc_NotImplementedError,
       "Valid input this build cannot handle."},
      {ErrorKind::InvalidArgument, "InvalidArgumentError", PyExc_ValueError,
       "The caller asked for something impossible (unknown option, bad value)."},
      {ErrorKind::Crypto, "CryptoError", nullptr, "Keys missing or wrong, or authentication failed."},
      {ErrorKind::NotFound, "NotFoundError", PyExc_FileNotFoundError,
       "A file, column or key that does not exist."},
      {ErrorKind::ResourceLimit, "ResourceLimitError", PyExc_MemoryError,
       "The input needs more memory or nesting than the configured limits allow."},
      {ErrorKind::Internal, "InternalError", nullptr, "A bug in parkett."},
  };
  for (const KindClass& k : kinds) {
    py::tuple bases = k.builtin ? py::make_tuple(py::handle(base), py::handle(k.builtin))
                                : py::make_tuple(py::handle(base));
    kind_classes[static_cast<int>(k.kind)] = new_class(m, k.name, bases.ptr(), k.doc);
  }
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const Error& e) {
      raise(e);
    } catch (const py::cast_error& e) {
      // An argument of the wrong Python type (pybind11 would say RuntimeError).
      PyErr_SetString(PyExc_TypeError, e.what());
    }
  });
}

}  // namespace parkett::python
