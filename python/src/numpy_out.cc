// Columns as numpy arrays. Fixed-width columns of one chunk without nulls are views of
// parkett's buffers (zero copy: the array's base keeps them alive); more chunks are
// concatenated, nulls become NaN / NaT or None, and types numpy has no dtype for (strings,
// decimals, nested) become object arrays.
#include "numpy_out.h"

#include <pybind11/numpy.h>

#include <cstring>
#include <optional>
#include <string_view>
#include <unordered_map>

#include "parkett/error.h"

namespace parkett::python {
namespace {

using Id = DataType::Id;

// The numpy dtype whose items are the column's values as stored, or "" if there is none.
std::string view_dtype(const DataType& t) {
  switch (t.id()) {
    case Id::Int8: return "i1";
    case Id::Int16: return "i2";
    case Id::Int32: return "i4";
    case Id::Int64: return "i8";
    case Id::UInt8: return "u1";
    case Id::UInt16: return "u2";
    case Id::UInt32: return "u4";
    case Id::UInt64: return "u8";
    case Id::Float16: return "f2";
    case Id::Float32: return "f4";
    case Id::Float64: return "f8";
    case Id::Timestamp: return "M8[" + to_string(t.unit()) + "]";
    default: return "";
  }
}

// Imported once, with the GIL held (no C++ static guard, which a thread could wait on
// while holding the GIL if the import let another run); kept for the process's life.
py::object numpy() {
  static py::object* np = nullptr;
  if (np == nullptr) {
    py::object imported = py::module_::import("numpy");
    if (np == nullptr) np = new py::object(std::move(imported));
  }
  return *np;
}

py::array empty(const std::string& dtype, int64_t n) {
  return numpy().attr("empty")(n, py::arg("dtype") = dtype).cast<py::array>();
}

bool zero_copy_possible(const Column& c) {
  return c.chunks.size() == 1 && c.chunks[0]->null_count == 0 && !view_dtype(c.field.type).empty() &&
         c.chunks[0]->length > 0;
}

[[noreturn]] void refuse_copy(const Column& c, const std::string& why) {
  throw Error(ErrorKind::InvalidArgument, "column '" + c.field.name + "' (" + c.field.type.to_string() +
                                              ") cannot be a numpy view: " + why + " (zero_copy_only=False copies)");
}

}  // namespace

py::object column_values(const Column& c, bool zero_copy_only, bool writable) {
  const DataType& type = c.field.type;
  std::string dtype = view_dtype(type);
  int64_t n = c.length();
  if (zero_copy_possible(c)) {
    const ArrayPtr& a = c.chunks[0];
    auto width = static_cast<size_t>(type.value_width());
    auto* owner = new ArrayPtr(a);
    py::capsule base(owner, [](void* p) { delete static_cast<ArrayPtr*>(p); });
    const uint8_t* data = a->buffers[1]->data() + static_cast<size_t>(a->offset) * width;
    py::array view(py::dtype(dtype), {a->length}, {static_cast<py::ssize_t>(width)}, data, base);
    if (!writable) view.attr("setflags")(py::arg("write") = false);
    return std::move(view);
  }
  if (zero_copy_only && n > 0) {
    if (dtype.empty()) refuse_copy(c, "numpy has no dtype for its values");
    if (c.null_count() > 0) refuse_copy(c, "it has nulls");
    refuse_copy(c, "it is in " + std::to_string(c.chunks.size()) + " chunks");
  }
  if (!dtype.empty()) {
    py::array out = empty(dtype, n);
    auto width = static_cast<size_t>(type.value_width());
    auto* dst = static_cast<uint8_t*>(out.mutable_data());
    for (const ArrayPtr& a : c.chunks) {
      if (a->length == 0) continue;
      std::memcpy(dst, a->buffers[1]->data() + static_cast<size_t>(a->offset) * width, static_cast<size_t>(a->length) * width);
      dst += static_cast<size_t>(a->length) * width;
    }
    return std::move(out);
  }
  if (type.id() == Id::Boolean) {
    py::array out = empty("?", n);
    auto* dst = static_cast<uint8_t*>(out.mutable_data());
    for (const ArrayPtr& a : c.chunks) {
      for (int64_t i = 0; i < a->length; ++i) {
        int64_t bit = a->offset + i;
        *dst++ = (a->buffers[1]->data()[bit >> 3] >> (bit & 7)) & 1;
      }
    }
    return std::move(out);
  }
  if (type.id() == Id::Date32) {
    py::array out = empty("M8[D]", n);
    auto* dst = static_cast<int64_t*>(out.mutable_data());
    for (const ArrayPtr& a : c.chunks) {
      for (int64_t i = 0; i < a->length; ++i) {
        int32_t v;
        std::memcpy(&v, a->buffers[1]->data() + (a->offset + i) * 4, 4);
        *dst++ = v;
      }
    }
    return std::move(out);
  }
  return column_objects(c);
}

namespace {

// The bytes of value i of a flat array, the key that makes two values the same object; an
// empty optional for types whose values are not such bytes (nested, dictionary, boolean).
std::optional<std::string_view> value_bytes(const ArrayData& a, int64_t i) {
  const Id id = a.type.id();
  const auto base = [&](size_t b) { return reinterpret_cast<const char*>(a.buffers[b] ? a.buffers[b]->data() : nullptr); };
  if (id == Id::String || id == Id::Binary) {
    const auto* offsets = reinterpret_cast<const int32_t*>(base(1)) + a.offset;
    return std::string_view(base(2) + offsets[i], static_cast<size_t>(offsets[i + 1] - offsets[i]));
  }
  if (id == Id::LargeString || id == Id::LargeBinary) {
    const auto* offsets = reinterpret_cast<const int64_t*>(base(1)) + a.offset;
    return std::string_view(base(2) + offsets[i], static_cast<size_t>(offsets[i + 1] - offsets[i]));
  }
  int32_t width = id == Id::FixedSizeBinary ? a.type.byte_width() : a.type.value_width();
  if (width <= 0 || id == Id::Dictionary) return std::nullopt;
  return std::string_view(base(1) + (a.offset + i) * width, static_cast<size_t>(width));
}

// Repeated values of a column become one Python object (pyarrow's deduplicate_objects):
// less memory, and no time spent making the same string or Decimal again. Given up when
// the first values are mostly distinct (hashing would only cost).
class Dedupe {
 public:
  ~Dedupe() {
    for (auto& [k, v] : seen_) Py_DECREF(v);
  }
  // The object for key (a new reference), made by `make` the first time.
  template <class Make>
  PyObject* get(std::string_view key, Make&& make) {
    if (off_) return make().release().ptr();
    if (auto it = seen_.find(key); it != seen_.end()) {
      Py_INCREF(it->second);
      return it->second;
    }
    PyObject* v = make().release().ptr();
    if (++tried_ == kProbe && seen_.size() * 2 > tried_) off_ = true;  // mostly distinct
    if (!off_ && seen_.size() < kMaxEntries) {
      Py_INCREF(v);
      seen_.emplace(key, v);
    }
    return v;
  }

 private:
  static constexpr size_t kProbe = 65536, kMaxEntries = size_t{1} << 20;
  std::unordered_map<std::string_view, PyObject*> seen_;  // keys view the column's buffers
  size_t tried_ = 0;
  bool off_ = false;
};

}  // namespace

py::object column_objects(const Column& c) {
  py::array out = empty("O", c.length());
  auto** slots = static_cast<PyObject**>(out.mutable_data());
  Dedupe dedupe;
  for (const ArrayPtr& a : c.chunks) {
    for (int64_t i = 0; i < a->length; ++i, ++slots) {
      if (!a->is_valid(i)) continue;  // numpy filled the array with None
      const auto key = value_bytes(*a, i);
      PyObject* v = key ? dedupe.get(*key, [&] { return value_to_python(*a, i); }) : value_to_python(*a, i).release().ptr();
      Py_XDECREF(*slots);
      *slots = v;
    }
  }
  return std::move(out);
}

py::object column_null_mask(const Column& c) {
  if (c.null_count() == 0) return py::none();
  py::array out = empty("?", c.length());
  auto* dst = static_cast<uint8_t*>(out.mutable_data());
  for (const ArrayPtr& a : c.chunks) {
    for (int64_t i = 0; i < a->length; ++i) *dst++ = a->is_valid(i) ? 0 : 1;
  }
  return std::move(out);
}

py::object dictionary_codes(const Column& c) {
  py::array out = empty("i4", c.length());
  auto* dst = static_cast<int32_t*>(out.mutable_data());
  for (const ArrayPtr& a : c.chunks) {
    for (int64_t i = 0; i < a->length; ++i) {
      int32_t v = -1;
      if (a->is_valid(i)) std::memcpy(&v, a->buffers[1]->data() + (a->offset + i) * 4, 4);
      *dst++ = v;
    }
  }
  return std::move(out);
}

}  // namespace parkett::python
