// Values of parkett arrays as Python objects (to_pylist, to_pydict, object columns for
// pandas): the objects pyarrow's as_py() gives. Ints, floats, bools, str, bytes;
// datetime.date / time / datetime (aware when the type has a zone; pandas.Timestamp for
// nanoseconds when pandas is there, so no digit is lost); decimal.Decimal; lists; dicts for
// structs; lists of (key, value) tuples for maps; a dictionary array's values.
#include "bindings.h"  // Python.h first

#include <datetime.h>  // CPython's datetime C API

#include <cstring>
#include <string>

#include "parkett/error.h"

namespace parkett::python {
namespace {

using Id = DataType::Id;

template <class T>
T at(const ArrayData& a, size_t buffer, int64_t i) {
  T v;
  std::memcpy(&v, a.buffers[buffer]->data() + static_cast<size_t>(a.offset + i) * sizeof(T), sizeof(T));
  return v;
}

float half_to_float(uint16_t h) {
  uint32_t sign = (h & 0x8000u) << 16, exponent = (h >> 10) & 0x1f, mantissa = h & 0x3ffu, bits;
  if (exponent == 0) {
    if (mantissa == 0) {
      bits = sign;
    } else {  // subnormal: normalise
      exponent = 127 - 15 + 1;
      while ((mantissa & 0x400u) == 0) {
        mantissa <<= 1;
        --exponent;
      }
      bits = sign | (exponent << 23) | ((mantissa & 0x3ffu) << 13);
    }
  } else if (exponent == 31) {
    bits = sign | 0x7f800000u | (mantissa << 13);
  } else {
    bits = sign | ((exponent - 15 + 127) << 23) | (mantissa << 13);
  }
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

struct PythonTypes {
  py::object date, time, datetime, timedelta, timezone, decimal, zoneinfo;
  py::object epoch_date, epoch_utc;
  PythonTypes() {
    py::module_ dt = py::module_::import("datetime");
    date = dt.attr("date");
    time = dt.attr("time");
    datetime = dt.attr("datetime");
    timedelta = dt.attr("timedelta");
    timezone = dt.attr("timezone");
    decimal = py::module_::import("decimal").attr("Decimal");
    zoneinfo = py::module_::import("zoneinfo").attr("ZoneInfo");
    epoch_date = date(1970, 1, 1);
    epoch_utc = datetime(1970, 1, 1, 0, 0, 0, 0, timezone.attr("utc"));
  }
};

// Made once, with the GIL held (no C++ static guard: an import may let another thread
// run, which would wait on the guard holding the GIL); kept for the process's life.
const PythonTypes& python_types() {
  static const PythonTypes* types = nullptr;
  if (types == nullptr) {
    auto* made = new PythonTypes();
    if (types == nullptr) types = made;
    else delete made;
  }
  return *types;
}

py::object zone(const std::string& tz) {
  const PythonTypes& p = python_types();
  if (tz == "UTC" || tz == "utc" || tz == "Z" || tz == "+00:00") return p.timezone.attr("utc");
  if ((tz[0] == '+' || tz[0] == '-') && tz.size() == 6 && tz[3] == ':') {
    int minutes = std::stoi(tz.substr(1, 2)) * 60 + std::stoi(tz.substr(4, 2));
    return p.timezone(p.timedelta(0, 0, 0, 0, tz[0] == '-' ? -minutes : minutes));
  }
  return p.zoneinfo(tz);
}

int64_t per_second(TimeUnit unit) {
  switch (unit) {
    case TimeUnit::Second: return 1;
    case TimeUnit::Milli: return 1000;
    case TimeUnit::Micro: return 1000000;
    case TimeUnit::Nano: return 1000000000;
  }
  return 1;
}

// Floor division, so that instants before 1970 split into seconds and a positive fraction.
std::pair<int64_t, int64_t> split(int64_t v, int64_t d) {
  int64_t q = v / d, r = v % d;
  if (r < 0) {
    --q;
    r += d;
  }
  return {q, r};
}

py::object timestamp(int64_t v, const DataType& t) {
  const PythonTypes& p = python_types();
  if (t.unit() == TimeUnit::Nano) {
    // Imported once, as python_types() (no C++ static guard).
    static py::object* pandas_timestamp = nullptr;
    if (pandas_timestamp == nullptr) {
      py::object found = py::none();
      try {
        found = py::module_::import("pandas").attr("Timestamp");
      } catch (const py::error_already_set&) {
      }
      if (pandas_timestamp == nullptr) pandas_timestamp = new py::object(std::move(found));
    }
    if (!pandas_timestamp->is_none()) {
      py::object ts = (*pandas_timestamp)(v, py::arg("unit") = "ns", py::arg("tz") = "UTC");
      if (t.timezone().empty()) return ts.attr("tz_localize")(py::none());
      return ts.attr("tz_convert")(zone(t.timezone()));
    }
  }
  auto [seconds, fraction] = split(v, per_second(t.unit()));
  int64_t micros = t.unit() == TimeUnit::Nano ? fraction / 1000 : fraction * (1000000 / per_second(t.unit()));
  auto [days, second_of_day] = split(seconds, 86400);
  py::object utc = p.epoch_utc + p.timedelta(days, second_of_day, micros);
  if (t.timezone().empty()) return utc.attr("replace")(py::arg("tzinfo") = py::none());
  return utc.attr("astimezone")(zone(t.timezone()));
}

py::object time_of_day(int64_t v, TimeUnit unit) {
  auto [seconds, fraction] = split(v, per_second(unit));
  int64_t micros = unit == TimeUnit::Nano ? fraction / 1000 : fraction * (1000000 / per_second(unit));
  return python_types().time(seconds / 3600, seconds / 60 % 60, seconds % 60, micros);
}

// The decimal text of an unscaled 128-bit value with `scale` digits after the point.
std::string decimal_text(__int128 v, int32_t scale) {
  const bool negative = v < 0;
  unsigned __int128 u = negative ? -static_cast<unsigned __int128>(v) : static_cast<unsigned __int128>(v);
  char digits[48];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + static_cast<int>(u % 10));
    u /= 10;
  } while (u != 0);
  while (n <= scale) digits[n++] = '0';  // at least one digit before the point
  std::string out;
  if (negative) out += '-';
  for (int k = n - 1; k >= 0; --k) {
    out += digits[k];
    if (k == scale && scale > 0) out += '.';
  }
  return out;
}

py::object decimal(const ArrayData& a, int64_t i) {
  int32_t width = a.type.id() == Id::Decimal128 ? 16 : 32;
  const uint8_t* bytes = a.buffers[1]->data() + static_cast<size_t>(a.offset + i) * static_cast<size_t>(width);
  if (width == 16 && a.type.scale() >= 0) {  // one call: Decimal of its text
    __int128 v;
    std::memcpy(&v, bytes, 16);
    std::string text = decimal_text(v, a.type.scale());
    py::object s = py::reinterpret_steal<py::object>(PyUnicode_FromStringAndSize(text.data(), static_cast<Py_ssize_t>(text.size())));
    if (!s) throw py::error_already_set();
    PyObject* d = PyObject_CallOneArg(python_types().decimal.ptr(), s.ptr());
    if (d == nullptr) throw py::error_already_set();
    return py::reinterpret_steal<py::object>(d);
  }
  // Wider: the unscaled integer's digits, the point put in as text (exact: Decimal's
  // arithmetic would round to the context's 28 digits).
  py::object unscaled = py::reinterpret_steal<py::object>(
      _PyLong_FromByteArray(bytes, static_cast<size_t>(width), /*little_endian=*/1, /*is_signed=*/1));
  if (!unscaled) throw py::error_already_set();
  std::string digits = py::str(unscaled).cast<std::string>();
  const bool negative = !digits.empty() && digits[0] == '-';
  if (negative) digits.erase(0, 1);
  const int32_t scale = a.type.scale();
  std::string text;
  if (scale > 0) {
    if (static_cast<int32_t>(digits.size()) <= scale) digits.insert(0, static_cast<size_t>(scale) + 1 - digits.size(), '0');
    digits.insert(digits.size() - static_cast<size_t>(scale), ".");
    text = digits;
  } else {
    text = digits + (scale < 0 ? "E" + std::to_string(-scale) : "");
  }
  return python_types().decimal((negative ? "-" : "") + text);
}

// Year, month and day of a day count since 1970-01-01 (proleptic Gregorian; H. Hinnant's
// civil_from_days).
void civil_from_days(int64_t z, int& year, int& month, int& day) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  year = static_cast<int>(yoe + era * 400 + (month <= 2));
}

py::object date_value(int32_t days) {
  if (PyDateTimeAPI == nullptr) {
    PyDateTime_IMPORT;
    if (PyDateTimeAPI == nullptr) throw py::error_already_set();
  }
  int y, m, d;
  civil_from_days(days, y, m, d);
  if (y < 1 || y > 9999) {
    throw py::value_error("date " + std::to_string(y) + "-" + std::to_string(m) + "-" + std::to_string(d) +
                          " is outside Python's datetime.date range (years 1-9999)");
  }
  PyObject* o = PyDate_FromDate(y, m, d);
  if (o == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(o);
}

py::object bytes_value(const ArrayData& a, int64_t i, bool text) {
  const char* data;
  int64_t size;
  Id id = a.type.id();
  if (id == Id::FixedSizeBinary) {
    size = a.type.byte_width();
    data = reinterpret_cast<const char*>(a.buffers[1]->data()) + (a.offset + i) * size;
  } else if (id == Id::LargeString || id == Id::LargeBinary) {
    auto begin = at<int64_t>(a, 1, i), end = at<int64_t>(a, 1, i + 1);
    data = reinterpret_cast<const char*>(a.buffers[2]->data()) + begin;
    size = end - begin;
  } else {
    auto begin = at<int32_t>(a, 1, i), end = at<int32_t>(a, 1, i + 1);
    data = reinterpret_cast<const char*>(a.buffers[2] ? a.buffers[2]->data() : nullptr) + begin;
    size = end - begin;
  }
  PyObject* o = text ? PyUnicode_DecodeUTF8(data, size, "strict") : PyBytes_FromStringAndSize(data, size);
  if (o == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(o);
}

py::object list_value(const ArrayData& a, int64_t i) {
  int64_t begin, end;
  if (a.type.id() == Id::LargeList) {
    begin = at<int64_t>(a, 1, i);
    end = at<int64_t>(a, 1, i + 1);
  } else {
    begin = at<int32_t>(a, 1, i);
    end = at<int32_t>(a, 1, i + 1);
  }
  const ArrayData& child = *a.children.at(0);
  py::list out(static_cast<size_t>(end - begin));
  for (int64_t j = begin; j < end; ++j) out[static_cast<size_t>(j - begin)] = value_to_python(child, j);
  return std::move(out);
}

py::object map_value(const ArrayData& a, int64_t i) {
  auto begin = at<int32_t>(a, 1, i), end = at<int32_t>(a, 1, i + 1);
  const ArrayData& entries = *a.children.at(0);
  const ArrayData& keys = *entries.children.at(0);
  const ArrayData& values = *entries.children.at(1);
  py::list out(static_cast<size_t>(end - begin));
  for (int64_t j = begin; j < end; ++j) {
    int64_t row = entries.offset + j;
    out[static_cast<size_t>(j - begin)] = py::make_tuple(value_to_python(keys, row), value_to_python(values, row));
  }
  return std::move(out);
}

}  // namespace

py::object value_to_python(const ArrayData& a, int64_t i) {
  if (!a.is_valid(i)) return py::none();
  switch (a.type.id()) {
    case Id::Null: return py::none();
    case Id::Boolean: {
      int64_t bit = a.offset + i;
      return py::bool_((a.buffers[1]->data()[bit >> 3] >> (bit & 7)) & 1);
    }
    case Id::Int8: return py::int_(at<int8_t>(a, 1, i));
    case Id::Int16: return py::int_(at<int16_t>(a, 1, i));
    case Id::Int32: return py::int_(at<int32_t>(a, 1, i));
    case Id::Int64: return py::int_(at<int64_t>(a, 1, i));
    case Id::UInt8: return py::int_(at<uint8_t>(a, 1, i));
    case Id::UInt16: return py::int_(at<uint16_t>(a, 1, i));
    case Id::UInt32: return py::int_(at<uint32_t>(a, 1, i));
    case Id::UInt64: return py::int_(at<uint64_t>(a, 1, i));
    case Id::Float16: return py::float_(half_to_float(at<uint16_t>(a, 1, i)));
    case Id::Float32: return py::float_(at<float>(a, 1, i));
    case Id::Float64: return py::float_(at<double>(a, 1, i));
    case Id::String:
    case Id::LargeString: return bytes_value(a, i, true);
    case Id::Binary:
    case Id::LargeBinary:
    case Id::FixedSizeBinary: return bytes_value(a, i, false);
    case Id::Date32: return date_value(at<int32_t>(a, 1, i));
    case Id::Time32: return time_of_day(at<int32_t>(a, 1, i), a.type.unit());
    case Id::Time64: return time_of_day(at<int64_t>(a, 1, i), a.type.unit());
    case Id::Timestamp: return timestamp(at<int64_t>(a, 1, i), a.type);
    case Id::IntervalMonthDayNano: {
      const uint8_t* p = a.buffers[1]->data() + static_cast<size_t>(a.offset + i) * 16;
      int32_t months, days;
      int64_t nanos;
      std::memcpy(&months, p, 4);
      std::memcpy(&days, p + 4, 4);
      std::memcpy(&nanos, p + 8, 8);
      return py::make_tuple(months, days, nanos);
    }
    case Id::Decimal128:
    case Id::Decimal256: return decimal(a, i);
    case Id::List:
    case Id::LargeList: return list_value(a, i);
    case Id::Map: return map_value(a, i);
    case Id::Struct: {
      py::dict out;
      const auto& fields = a.type.children();
      for (size_t c = 0; c < fields.size(); ++c) out[py::str(fields[c].name)] = value_to_python(*a.children[c], a.offset + i);
      return std::move(out);
    }
    case Id::Dictionary: return value_to_python(*a.dictionary, at<int32_t>(a, 1, i));
  }
  throw Error(ErrorKind::Unsupported, "no Python value for type " + a.type.to_string());
}

}  // namespace parkett::python
