// Python data as parkett arrays, for writing: numpy arrays (copied into parkett's aligned
// buffers, with an optional null mask) and sequences of Python objects, whose type is
// inferred as pyarrow infers it (bool, int64, float64, string, binary, decimal, date32,
// time64[us], timestamp[us] (with the zone of aware datetimes), lists, structs from dicts)
// or given.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cmath>
#include <cstring>
#include <map>

#include "arrays_in.h"
#include "parkett/error.h"

namespace parkett::python {
namespace {

using Id = DataType::Id;

struct Py {
  py::object decimal, date, datetime, time, timedelta, pandas_na, nat;
  Py() {
    decimal = py::module_::import("decimal").attr("Decimal");
    py::module_ dt = py::module_::import("datetime");
    date = dt.attr("date");
    datetime = dt.attr("datetime");
    time = dt.attr("time");
    timedelta = dt.attr("timedelta");
    try {
      py::module_ pd = py::module_::import("pandas");
      pandas_na = pd.attr("NA");
      nat = pd.attr("NaT");
    } catch (const py::error_already_set&) {
      pandas_na = py::none();
      nat = py::none();
    }
  }
};
// Made once, with the GIL held (no C++ static guard, which a thread could wait on holding
// the GIL while an import lets another run); kept for the process's life.
const Py& py_types() {
  static const Py* p = nullptr;
  if (p == nullptr) {
    auto* made = new Py();
    if (p == nullptr) p = made;
    else delete made;
  }
  return *p;
}

bool is_null(PyObject* v, bool nan_is_null) {
  if (v == Py_None) return true;
  const Py& p = py_types();
  if (v == p.pandas_na.ptr() || v == p.nat.ptr()) return true;
  if (nan_is_null && PyFloat_Check(v) && std::isnan(PyFloat_AS_DOUBLE(v))) return true;
  return false;
}

[[noreturn]] void bad_value(PyObject* v, const DataType& t) {
  py::handle h(v);
  throw Error(ErrorKind::InvalidArgument, "cannot convert " + py::repr(h).cast<std::string>() + " (" +
                                              py::str(py::type::of(h).attr("__name__")).cast<std::string>() +
                                              ") to " + t.to_string());
}

// Inference ---------------------------------------------------------------------------------

DataType infer(const std::vector<PyObject*>& values, bool nan_is_null);

std::string zone_name(PyObject* dt) {
  py::handle h(dt);
  py::object tz = h.attr("tzinfo");
  if (tz.is_none()) return {};
  if (py::hasattr(tz, "key")) return tz.attr("key").cast<std::string>();  // zoneinfo
  if (py::hasattr(tz, "zone")) return tz.attr("zone").cast<std::string>();  // pytz
  py::object offset = h.attr("utcoffset")();
  auto minutes = static_cast<int64_t>(offset.attr("total_seconds")().cast<double>()) / 60;
  if (minutes == 0) return "UTC";
  char text[8];
  std::snprintf(text, sizeof text, "%c%02d:%02d", minutes < 0 ? '-' : '+', static_cast<int>(std::abs(minutes) / 60),
                static_cast<int>(std::abs(minutes) % 60));
  return text;
}

DataType infer_decimal(const std::vector<PyObject*>& values, bool nan_is_null) {
  int32_t integer_digits = 1, scale = 0;
  for (PyObject* v : values) {
    if (is_null(v, nan_is_null)) continue;
    py::tuple t = py::handle(v).attr("as_tuple")();
    if (!py::isinstance<py::int_>(t[2])) bad_value(v, DataType::decimal(38, 0));  // NaN, Infinity
    auto digits = static_cast<int32_t>(py::len(t[1]));
    auto exponent = t[2].cast<int32_t>();
    scale = std::max(scale, exponent < 0 ? -exponent : 0);
    integer_digits = std::max(integer_digits, digits + exponent);
  }
  int32_t precision = std::max(1, integer_digits + scale);
  if (precision > 76) throw Error(ErrorKind::InvalidArgument, "decimals need more than 76 digits");
  return DataType::decimal(precision, scale);
}

DataType infer(const std::vector<PyObject*>& values, bool nan_is_null) {
  const Py& p = py_types();
  PyObject* first = nullptr;
  bool any_float = false;
  for (PyObject* v : values) {
    if (is_null(v, nan_is_null)) continue;
    if (first == nullptr) first = v;
    if (PyFloat_Check(v)) any_float = true;
  }
  if (first == nullptr) return DataType(Id::Null);
  py::module_ np = py::module_::import("numpy");
  if (PyBool_Check(first) || py::isinstance(py::handle(first), np.attr("bool_"))) return DataType(Id::Boolean);
  if (PyLong_Check(first) || (py::hasattr(first, "__index__") && !PyFloat_Check(first))) {
    if (any_float) return DataType(Id::Float64);
    // int64, or uint64 when a value needs it (as pyarrow infers).
    for (PyObject* v : values) {
      if (!PyLong_Check(v)) continue;
      int overflow = 0;
      PyLong_AsLongLongAndOverflow(v, &overflow);
      if (overflow > 0) return DataType(Id::UInt64);
    }
    return DataType(Id::Int64);
  }
  if (PyFloat_Check(first) || py::isinstance(py::handle(first), np.attr("floating"))) return DataType(Id::Float64);
  if (PyUnicode_Check(first)) return DataType(Id::String);
  if (PyBytes_Check(first) || PyByteArray_Check(first)) return DataType(Id::Binary);
  py::handle h(first);
  if (py::isinstance(h, p.decimal)) return infer_decimal(values, nan_is_null);
  if (py::isinstance(h, p.datetime)) return DataType::timestamp(TimeUnit::Micro, zone_name(first));
  if (py::isinstance(h, p.date)) return DataType(Id::Date32);
  if (py::isinstance(h, p.time)) return DataType::time(TimeUnit::Micro);
  if (PyList_Check(first) || PyTuple_Check(first) || py::isinstance<py::array>(h)) {
    std::vector<PyObject*> items;
    std::vector<py::object> keep;
    for (PyObject* v : values) {
      if (is_null(v, nan_is_null)) continue;
      py::list l = py::list(py::reinterpret_borrow<py::object>(v));
      for (auto item : l) items.push_back(item.ptr());
      keep.push_back(std::move(l));
    }
    return DataType::list(Field{"element", infer(items, nan_is_null), true, {}});
  }
  if (PyDict_Check(first)) {
    std::vector<std::string> names;
    std::map<std::string, std::vector<PyObject*>> columns;
    for (PyObject* v : values) {
      if (is_null(v, nan_is_null)) continue;
      if (!PyDict_Check(v)) bad_value(v, DataType::structure({}));
      for (auto [k, item] : py::handle(v).cast<py::dict>()) {
        auto name = py::str(k).cast<std::string>();
        auto [it, added] = columns.try_emplace(name);
        if (added) names.push_back(name);
        it->second.push_back(item.ptr());
      }
    }
    std::vector<Field> fields;
    for (const std::string& n : names) fields.push_back(Field{n, infer(columns[n], nan_is_null), true, {}});
    return DataType::structure(fields);
  }
  throw Error(ErrorKind::InvalidArgument, "cannot infer an Arrow type for values of Python type " +
                                              py::str(py::type::of(h).attr("__name__")).cast<std::string>());
}

// Building ----------------------------------------------------------------------------------

struct Validity {
  std::shared_ptr<Buffer> bits;
  int64_t nulls = 0;
  explicit Validity(int64_t n) : bits(Buffer::allocate(static_cast<size_t>((n + 7) / 8), true)) {}
  void set(int64_t i, bool valid) {
    if (valid) bits->data()[i >> 3] |= static_cast<uint8_t>(1u << (i & 7));
    else ++nulls;
  }
  std::shared_ptr<Buffer> buffer() const { return nulls ? bits : nullptr; }
};

ArrayPtr build(const DataType& t, const std::vector<PyObject*>& values, bool nan_is_null);

// An array of validity and one data buffer (fixed-width values, booleans, decimals).
ArrayPtr flat_array(const DataType& t, int64_t n, const Validity& validity, std::shared_ptr<Buffer> data) {
  auto a = std::make_shared<ArrayData>();
  a->type = t;
  a->length = n;
  a->null_count = validity.nulls;
  a->buffers = {validity.buffer(), std::move(data)};
  return a;
}

// Offsets as 64-bit (large types) or 32-bit integers.
std::shared_ptr<Buffer> offsets_buffer(const std::vector<int64_t>& offsets, bool large) {
  if (large) {
    auto b = Buffer::allocate(offsets.size() * 8);
    std::memcpy(b->data(), offsets.data(), offsets.size() * 8);
    return b;
  }
  auto b = Buffer::allocate(offsets.size() * 4);
  for (size_t i = 0; i < offsets.size(); ++i) b->as<int32_t>()[i] = static_cast<int32_t>(offsets[i]);
  return b;
}

// The integer a value holds, checked to fit T: Python ints (and anything with
// __index__, numpy's integers), and floats without a fraction.
template <class T>
T int_value(PyObject* v, const DataType& t) {
  constexpr auto lo = std::numeric_limits<T>::min();
  constexpr auto hi = std::numeric_limits<T>::max();
  if (PyFloat_Check(v)) {
    const double d = PyFloat_AS_DOUBLE(v);
    // Compared as doubles: 2^63 and 2^64 are exact there, so the bounds are too.
    if (!std::isfinite(d) || d != std::floor(d) || d < static_cast<double>(lo) || d >= static_cast<double>(hi) + 1.0) {
      bad_value(v, t);
    }
    return static_cast<T>(d);
  }
  if (PyBool_Check(v) || (!PyLong_Check(v) && !py::hasattr(py::handle(v), "__index__"))) bad_value(v, t);
  py::object index = py::reinterpret_steal<py::object>(PyNumber_Index(v));
  if (!index) throw py::error_already_set();
  if constexpr (std::is_signed_v<T>) {
    int overflow = 0;
    const long long r = PyLong_AsLongLongAndOverflow(index.ptr(), &overflow);
    if (overflow || r < lo || r > hi) bad_value(v, t);
    return static_cast<T>(r);
  } else {
    if (_PyLong_Sign(index.ptr()) < 0) bad_value(v, t);
    const unsigned long long r = PyLong_AsUnsignedLongLong(index.ptr());
    if (PyErr_Occurred()) {
      PyErr_Clear();
      bad_value(v, t);
    }
    if (r > hi) bad_value(v, t);
    return static_cast<T>(r);
  }
}

template <class T>
ArrayPtr build_fixed(const DataType& t, const std::vector<PyObject*>& values, bool nan_is_null,
                     T (*convert)(PyObject*, const DataType&)) {
  auto n = static_cast<int64_t>(values.size());
  Validity validity(n);
  auto data = Buffer::allocate(values.size() * sizeof(T), true);
  for (int64_t i = 0; i < n; ++i) {
    PyObject* v = values[static_cast<size_t>(i)];
    bool valid = !is_null(v, nan_is_null);
    validity.set(i, valid);
    if (valid) data->as<T>()[i] = convert(v, t);
  }
  return flat_array(t, n, validity, data);
}

template <class T>
T float_value(PyObject* v, const DataType& t) {
  double d = PyFloat_AsDouble(v);
  if (d == -1.0 && PyErr_Occurred()) {
    PyErr_Clear();
    bad_value(v, t);
  }
  return static_cast<T>(d);
}

int32_t date_value(PyObject* v, const DataType& t) {
  const Py& p = py_types();
  py::handle h(v);
  if (!py::isinstance(h, p.date)) bad_value(v, t);
  if (py::isinstance(h, p.datetime)) h = h.attr("date")();  // pandas.Timestamp too
  return h.attr("toordinal")().cast<int32_t>() - 719163;
}

int64_t per_second(TimeUnit u) {
  return u == TimeUnit::Second ? 1 : u == TimeUnit::Milli ? 1000 : u == TimeUnit::Micro ? 1000000 : 1000000000;
}

int64_t timestamp_value(PyObject* v, const DataType& t) {
  const Py& p = py_types();
  py::handle h(v);
  if (!py::isinstance(h, p.datetime)) {
    if (py::isinstance(h, p.date)) {
      return (h.attr("toordinal")().cast<int64_t>() - 719163) * 86400 * per_second(t.unit());
    }
    bad_value(v, t);
  }
  int64_t nanos_extra = py::hasattr(h, "nanosecond") ? h.attr("nanosecond").cast<int64_t>() : 0;
  py::object offset = h.attr("utcoffset")();
  int64_t days = h.attr("toordinal")().cast<int64_t>() - 719163;
  int64_t seconds = days * 86400 + h.attr("hour").cast<int64_t>() * 3600 + h.attr("minute").cast<int64_t>() * 60 +
                    h.attr("second").cast<int64_t>();
  if (!offset.is_none()) {
    seconds -= offset.attr("days").cast<int64_t>() * 86400 + offset.attr("seconds").cast<int64_t>();
  }
  int64_t micros = h.attr("microsecond").cast<int64_t>();
  switch (t.unit()) {
    case TimeUnit::Second: return seconds;
    case TimeUnit::Milli: return seconds * 1000 + micros / 1000;
    case TimeUnit::Micro: return seconds * 1000000 + micros;
    case TimeUnit::Nano: return seconds * 1000000000 + micros * 1000 + nanos_extra;
  }
  return 0;
}

int64_t time_value(PyObject* v, const DataType& t) {
  py::handle h(v);
  if (!py::isinstance(h, py_types().time)) bad_value(v, t);
  int64_t seconds = h.attr("hour").cast<int64_t>() * 3600 + h.attr("minute").cast<int64_t>() * 60 + h.attr("second").cast<int64_t>();
  int64_t micros = h.attr("microsecond").cast<int64_t>();
  switch (t.unit()) {
    case TimeUnit::Second: return seconds;
    case TimeUnit::Milli: return seconds * 1000 + micros / 1000;
    case TimeUnit::Micro: return seconds * 1000000 + micros;
    case TimeUnit::Nano: return (seconds * 1000000 + micros) * 1000;
  }
  return 0;
}

int32_t time32_value(PyObject* v, const DataType& t) { return static_cast<int32_t>(time_value(v, t)); }

ArrayPtr build_bool(const DataType& t, const std::vector<PyObject*>& values, bool nan_is_null) {
  auto n = static_cast<int64_t>(values.size());
  Validity validity(n);
  auto data = Buffer::allocate(static_cast<size_t>((n + 7) / 8), true);
  for (int64_t i = 0; i < n; ++i) {
    PyObject* v = values[static_cast<size_t>(i)];
    bool valid = !is_null(v, nan_is_null);
    validity.set(i, valid);
    if (!valid) continue;
    int truth = PyObject_IsTrue(v);
    if (truth < 0) throw py::error_already_set();
    if (!PyBool_Check(v) && !py::isinstance(py::handle(v), py::module_::import("numpy").attr("bool_"))) bad_value(v, t);
    if (truth) data->data()[i >> 3] |= static_cast<uint8_t>(1u << (i & 7));
  }
  return flat_array(t, n, validity, data);
}

ArrayPtr build_binary(const DataType& t, const std::vector<PyObject*>& values, bool nan_is_null) {
  auto n = static_cast<int64_t>(values.size());
  bool text = t.id() == Id::String || t.id() == Id::LargeString;
  bool large = t.id() == Id::LargeString || t.id() == Id::LargeBinary;
  bool fixed = t.id() == Id::FixedSizeBinary;
  Validity validity(n);
  std::string bytes;
  std::vector<int64_t> offsets{0};
  for (int64_t i = 0; i < n; ++i) {
    PyObject* v = values[static_cast<size_t>(i)];
    bool valid = !is_null(v, nan_is_null);
    validity.set(i, valid);
    const char* data = nullptr;
    Py_ssize_t size = 0;
    if (valid) {
      if (text && PyUnicode_Check(v)) {
        data = PyUnicode_AsUTF8AndSize(v, &size);
        if (data == nullptr) throw py::error_already_set();
      } else if (PyBytes_Check(v) && (!text || true)) {
        data = PyBytes_AS_STRING(v);
        size = PyBytes_GET_SIZE(v);
      } else if (PyByteArray_Check(v)) {
        data = PyByteArray_AS_STRING(v);
        size = PyByteArray_GET_SIZE(v);
      } else {
        bad_value(v, t);
      }
      if (fixed && size != t.byte_width()) bad_value(v, t);
    } else if (fixed) {
      bytes.append(static_cast<size_t>(t.byte_width()), '\0');
    }
    bytes.append(data ? data : "", static_cast<size_t>(size));
    offsets.push_back(static_cast<int64_t>(bytes.size()));
  }
  if (!large && !fixed && bytes.size() > static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
    throw Error(ErrorKind::ResourceLimit, "more than 2 GiB of " + t.to_string() + " data in one array; use the large type");
  }
  auto data = Buffer::allocate(bytes.size());
  if (!bytes.empty()) std::memcpy(data->data(), bytes.data(), bytes.size());
  auto a = std::make_shared<ArrayData>();
  a->type = t;
  a->length = n;
  a->null_count = validity.nulls;
  if (fixed) {
    a->buffers = {validity.buffer(), data};
    return a;
  }
  std::shared_ptr<Buffer> offset_buffer = offsets_buffer(offsets, large);
  a->buffers = {validity.buffer(), offset_buffer, data};
  return a;
}

ArrayPtr build_decimal(const DataType& t, const std::vector<PyObject*>& values, bool nan_is_null) {
  auto n = static_cast<int64_t>(values.size());
  auto width = static_cast<size_t>(t.value_width());
  Validity validity(n);
  auto data = Buffer::allocate(values.size() * width, true);
  for (int64_t i = 0; i < n; ++i) {
    PyObject* v = values[static_cast<size_t>(i)];
    bool valid = !is_null(v, nan_is_null);
    validity.set(i, valid);
    if (!valid) continue;
    py::handle h(v);
    py::object d = py::isinstance(h, py_types().decimal) ? py::reinterpret_borrow<py::object>(h)
                                                         : py_types().decimal(py::str(h));
    // The unscaled integer from the digits and exponent, without Decimal arithmetic (which
    // rounds to the context's 28 digits): digits lost to the scale, or more digits than the
    // precision, refuse the value.
    py::tuple parts = d.attr("as_tuple")();
    if (!py::isinstance<py::int_>(parts[2])) bad_value(v, t);  // NaN, Infinity
    std::string digits;
    for (auto digit : parts[1].cast<py::tuple>()) digits += static_cast<char>('0' + digit.cast<int>());
    const int64_t shift = parts[2].cast<int64_t>() + t.scale();
    if (shift >= 0) {
      if (shift > 100) bad_value(v, t);
      digits.append(static_cast<size_t>(shift), '0');
    } else {
      const auto drop = static_cast<size_t>(-shift);
      if (drop > digits.size() && digits.find_first_not_of('0') != std::string::npos) bad_value(v, t);
      if (drop <= digits.size()) {
        if (digits.find_first_not_of('0', digits.size() - drop) != std::string::npos) bad_value(v, t);
        digits.resize(digits.size() - drop);
      } else {
        digits.clear();
      }
    }
    const size_t first = digits.find_first_not_of('0');
    digits = first == std::string::npos ? "0" : digits.substr(first);
    if (static_cast<int32_t>(digits.size()) > t.precision()) bad_value(v, t);
    if (parts[0].cast<int>() == 1 && digits != "0") digits.insert(0, "-");
    py::object unscaled = py::reinterpret_steal<py::object>(PyLong_FromString(digits.c_str(), nullptr, 10));
    if (!unscaled) throw py::error_already_set();
    if (_PyLong_AsByteArray(reinterpret_cast<PyLongObject*>(unscaled.ptr()), data->data() + static_cast<size_t>(i) * width,
                            width, /*little_endian=*/1, /*is_signed=*/1) < 0) {
      throw py::error_already_set();
    }
  }
  return flat_array(t, n, validity, data);
}

ArrayPtr build_list(const DataType& t, const std::vector<PyObject*>& values, bool nan_is_null) {
  auto n = static_cast<int64_t>(values.size());
  bool large = t.id() == Id::LargeList;
  Validity validity(n);
  std::vector<py::object> keep;
  std::vector<PyObject*> items;
  std::vector<int64_t> offsets{0};
  for (int64_t i = 0; i < n; ++i) {
    PyObject* v = values[static_cast<size_t>(i)];
    bool valid = !is_null(v, nan_is_null);
    validity.set(i, valid);
    if (valid) {
      if (PyUnicode_Check(v) || PyBytes_Check(v) || PyDict_Check(v)) bad_value(v, t);
      py::list l = py::list(py::reinterpret_borrow<py::object>(v));
      for (auto item : l) items.push_back(item.ptr());
      keep.push_back(std::move(l));
    }
    offsets.push_back(static_cast<int64_t>(items.size()));
  }
  std::shared_ptr<Buffer> offset_buffer = offsets_buffer(offsets, large);
  auto a = std::make_shared<ArrayData>();
  a->type = t;
  a->length = n;
  a->null_count = validity.nulls;
  a->buffers = {validity.buffer(), offset_buffer};
  a->children = {build(t.children().at(0).type, items, nan_is_null)};
  return a;
}

ArrayPtr build_struct(const DataType& t, const std::vector<PyObject*>& values, bool nan_is_null) {
  auto n = static_cast<int64_t>(values.size());
  Validity validity(n);
  const auto& fields = t.children();
  std::vector<std::vector<PyObject*>> columns(fields.size());
  std::vector<py::object> keep;
  for (int64_t i = 0; i < n; ++i) {
    PyObject* v = values[static_cast<size_t>(i)];
    bool valid = !is_null(v, nan_is_null);
    validity.set(i, valid);
    if (valid && !PyDict_Check(v)) bad_value(v, t);
    for (size_t f = 0; f < fields.size(); ++f) {
      PyObject* item = valid ? PyDict_GetItemString(v, fields[f].name.c_str()) : nullptr;
      columns[f].push_back(item ? item : Py_None);
    }
  }
  auto a = std::make_shared<ArrayData>();
  a->type = t;
  a->length = n;
  a->null_count = validity.nulls;
  a->buffers = {validity.buffer()};
  for (size_t f = 0; f < fields.size(); ++f) a->children.push_back(build(fields[f].type, columns[f], nan_is_null));
  return a;
}

ArrayPtr build_map(const DataType& t, const std::vector<PyObject*>& values, bool nan_is_null) {
  // Each value: a dict, or a list of (key, value) pairs.
  auto n = static_cast<int64_t>(values.size());
  Validity validity(n);
  std::vector<py::object> keep;
  std::vector<PyObject*> keys, items;
  std::vector<int32_t> offsets{0};
  for (int64_t i = 0; i < n; ++i) {
    PyObject* v = values[static_cast<size_t>(i)];
    bool valid = !is_null(v, nan_is_null);
    validity.set(i, valid);
    if (valid) {
      py::list pairs = PyDict_Check(v) ? py::list(py::handle(v).attr("items")()) : py::list(py::reinterpret_borrow<py::object>(v));
      for (auto pair : pairs) {
        py::tuple kv = py::tuple(py::reinterpret_borrow<py::object>(pair));
        if (kv.size() != 2) bad_value(v, t);
        keys.push_back(kv[0].ptr());
        items.push_back(kv[1].ptr());
        keep.push_back(kv);
      }
      keep.push_back(std::move(pairs));
    }
    offsets.push_back(static_cast<int32_t>(keys.size()));
  }
  const DataType& entries_type = t.children().at(0).type;
  auto entries = std::make_shared<ArrayData>();
  entries->type = entries_type;
  entries->length = static_cast<int64_t>(keys.size());
  entries->buffers = {nullptr};
  entries->children = {build(entries_type.children().at(0).type, keys, nan_is_null),
                       build(entries_type.children().at(1).type, items, nan_is_null)};
  if (entries->children[0]->null_count > 0) throw Error(ErrorKind::InvalidArgument, "a map key is null");
  auto offset_buffer = Buffer::allocate(offsets.size() * 4);
  std::memcpy(offset_buffer->data(), offsets.data(), offsets.size() * 4);
  auto a = std::make_shared<ArrayData>();
  a->type = t;
  a->length = n;
  a->null_count = validity.nulls;
  a->buffers = {validity.buffer(), offset_buffer};
  a->children = {entries};
  return a;
}

ArrayPtr build_null(const DataType& t, const std::vector<PyObject*>& values, bool nan_is_null) {
  for (PyObject* v : values) {
    if (!is_null(v, nan_is_null)) bad_value(v, t);
  }
  auto a = std::make_shared<ArrayData>();
  a->type = t;
  a->length = static_cast<int64_t>(values.size());
  a->null_count = a->length;
  return a;
}

ArrayPtr build(const DataType& t, const std::vector<PyObject*>& values, bool nan_is_null) {
  switch (t.id()) {
    case Id::Null: return build_null(t, values, nan_is_null);
    case Id::Boolean: return build_bool(t, values, nan_is_null);
    case Id::Int8: return build_fixed<int8_t>(t, values, nan_is_null, int_value<int8_t>);
    case Id::Int16: return build_fixed<int16_t>(t, values, nan_is_null, int_value<int16_t>);
    case Id::Int32: return build_fixed<int32_t>(t, values, nan_is_null, int_value<int32_t>);
    case Id::Int64: return build_fixed<int64_t>(t, values, nan_is_null, int_value<int64_t>);
    case Id::UInt8: return build_fixed<uint8_t>(t, values, nan_is_null, int_value<uint8_t>);
    case Id::UInt16: return build_fixed<uint16_t>(t, values, nan_is_null, int_value<uint16_t>);
    case Id::UInt32: return build_fixed<uint32_t>(t, values, nan_is_null, int_value<uint32_t>);
    case Id::UInt64: return build_fixed<uint64_t>(t, values, nan_is_null, int_value<uint64_t>);
    case Id::Float32: return build_fixed<float>(t, values, nan_is_null, float_value<float>);
    case Id::Float64: return build_fixed<double>(t, values, nan_is_null, float_value<double>);
    case Id::String:
    case Id::LargeString:
    case Id::Binary:
    case Id::LargeBinary:
    case Id::FixedSizeBinary: return build_binary(t, values, nan_is_null);
    case Id::Date32: return build_fixed<int32_t>(t, values, nan_is_null, date_value);
    case Id::Time32: return build_fixed<int32_t>(t, values, nan_is_null, time32_value);
    case Id::Time64: return build_fixed<int64_t>(t, values, nan_is_null, time_value);
    case Id::Timestamp: return build_fixed<int64_t>(t, values, nan_is_null, timestamp_value);
    case Id::Decimal128:
    case Id::Decimal256: return build_decimal(t, values, nan_is_null);
    case Id::List:
    case Id::LargeList: return build_list(t, values, nan_is_null);
    case Id::Struct: return build_struct(t, values, nan_is_null);
    case Id::Map: return build_map(t, values, nan_is_null);
    default: break;
  }
  throw Error(ErrorKind::Unsupported, "building " + t.to_string() + " arrays from Python objects is not supported");
}

DataType numpy_type(const py::array& a) {
  py::dtype d = a.dtype();
  char kind = d.kind();
  auto size = d.itemsize();
  if (kind == 'b') return DataType(Id::Boolean);
  if (kind == 'i') return DataType(size == 1 ? Id::Int8 : size == 2 ? Id::Int16 : size == 4 ? Id::Int32 : Id::Int64);
  if (kind == 'u') return DataType(size == 1 ? Id::UInt8 : size == 2 ? Id::UInt16 : size == 4 ? Id::UInt32 : Id::UInt64);
  if (kind == 'f') return DataType(size == 2 ? Id::Float16 : size == 4 ? Id::Float32 : Id::Float64);
  if (kind == 'M') {
    std::string text = py::str(d).cast<std::string>();  // datetime64[ns]
    auto open = text.find('['), close = text.find(']');
    std::string unit = open == std::string::npos ? "" : text.substr(open + 1, close - open - 1);
    if (unit == "s") return DataType::timestamp(TimeUnit::Second);
    if (unit == "ms") return DataType::timestamp(TimeUnit::Milli);
    if (unit == "us") return DataType::timestamp(TimeUnit::Micro);
    if (unit == "ns") return DataType::timestamp(TimeUnit::Nano);
    if (unit == "D") return DataType(Id::Date32);
    throw Error(ErrorKind::Unsupported, "numpy " + text + " has no Arrow timestamp unit (s, ms, us, ns or D)");
  }
  throw Error(ErrorKind::Unsupported, "numpy dtype " + py::str(d).cast<std::string>() + " has no Arrow type");
}

}  // namespace

ArrayPtr array_from_numpy(const py::array& values, const py::object& mask, const py::object& type, bool nan_is_null) {
  if (values.ndim() != 1) throw Error(ErrorKind::InvalidArgument, "arrays must be one-dimensional");
  if (values.dtype().kind() == 'O' || values.dtype().kind() == 'U' || values.dtype().kind() == 'S') {
    py::list objects = values.attr("tolist")();
    std::vector<PyObject*> items;
    for (auto o : objects) items.push_back(o.ptr());
    if (!mask.is_none()) {
      py::array_t<bool> m = mask.cast<py::array_t<bool>>();
      for (size_t i = 0; i < items.size(); ++i) {
        if (m.at(static_cast<py::ssize_t>(i))) items[i] = Py_None;
      }
    }
    return array_from_objects(items, type, nan_is_null);
  }
  DataType natural = numpy_type(values);
  DataType t = type.is_none() ? natural : type.cast<DataType>();
  bool is_timestamp = natural.id() == Id::Timestamp;
  if (!(t == natural) && !(is_timestamp && t.id() == Id::Timestamp && t.unit() == natural.unit())) {
    // Another type: convert value by value (range-checked).
    py::list objects = values.attr("tolist")();
    std::vector<PyObject*> items;
    for (auto o : objects) items.push_back(o.ptr());
    if (!mask.is_none()) {
      py::array_t<bool> m = mask.cast<py::array_t<bool>>();
      for (size_t i = 0; i < items.size(); ++i) {
        if (m.at(static_cast<py::ssize_t>(i))) items[i] = Py_None;
      }
    }
    if (natural.id() == Id::Timestamp || natural.id() == Id::Date32) {
      throw Error(ErrorKind::InvalidArgument, "cannot convert numpy " + py::str(values.dtype()).cast<std::string>() +
                                                  " to " + t.to_string());
    }
    return array_from_objects(items, type, nan_is_null);
  }
  auto n = static_cast<int64_t>(values.shape(0));
  py::array contiguous = py::module_::import("numpy").attr("ascontiguousarray")(values);
  Validity validity(n);
  const uint8_t* mask_data = nullptr;
  py::array_t<bool, py::array::c_style | py::array::forcecast> mask_array;
  if (!mask.is_none()) {
    mask_array = mask.cast<py::array_t<bool, py::array::c_style | py::array::forcecast>>();
    if (mask_array.size() != n) throw Error(ErrorKind::InvalidArgument, "the mask's length differs from the values'");
    mask_data = reinterpret_cast<const uint8_t*>(mask_array.data());
  }
  auto a = std::make_shared<ArrayData>();
  a->type = t;
  a->length = n;
  const auto* src = static_cast<const uint8_t*>(contiguous.data());
  std::shared_ptr<Buffer> data;
  if (t.id() == Id::Boolean) {
    data = Buffer::allocate(static_cast<size_t>((n + 7) / 8), true);
    for (int64_t i = 0; i < n; ++i) {
      if (src[i]) data->data()[i >> 3] |= static_cast<uint8_t>(1u << (i & 7));
    }
  } else {
    auto width = static_cast<size_t>(values.dtype().itemsize());
    data = Buffer::allocate(static_cast<size_t>(n) * width);
    if (n > 0) std::memcpy(data->data(), src, static_cast<size_t>(n) * width);
  }
  const char kind = values.dtype().kind();
  for (int64_t i = 0; i < n; ++i) {
    bool valid = mask_data == nullptr || !mask_data[i];
    if (valid && kind == 'M') {
      int64_t v;
      std::memcpy(&v, src + i * 8, 8);
      valid = v != std::numeric_limits<int64_t>::min();  // NaT
    } else if (valid && nan_is_null && kind == 'f') {
      if (values.dtype().itemsize() == 8) {
        double v;
        std::memcpy(&v, src + i * 8, 8);
        valid = !std::isnan(v);
      } else if (values.dtype().itemsize() == 4) {
        float v;
        std::memcpy(&v, src + i * 4, 4);
        valid = !std::isnan(v);
      }
    }
    validity.set(i, valid);
  }
  a->null_count = validity.nulls;
  a->buffers = {validity.buffer(), data};
  if (t.id() == Id::Date32) {  // datetime64[D] holds 8-byte days
    auto days = Buffer::allocate(static_cast<size_t>(n) * 4);
    for (int64_t i = 0; i < n; ++i) days->as<int32_t>()[i] = static_cast<int32_t>(data->as<int64_t>()[i]);
    a->buffers[1] = days;
  }
  return a;
}

ArrayPtr array_from_objects(const std::vector<PyObject*>& values, const py::object& type, bool nan_is_null) {
  DataType t = type.is_none() ? infer(values, nan_is_null) : type.cast<DataType>();
  return build(t, values, nan_is_null);
}

}  // namespace parkett::python
