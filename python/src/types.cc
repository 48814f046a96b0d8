// DataType, Field and Schema for Python: printed as pyarrow prints them, compared by
// value, exported through __arrow_c_schema__, built by pyarrow-named factories
// (parkett.int64(), parkett.timestamp("ms", tz="UTC"), ...), imported from any object with
// __arrow_c_schema__, and pickled as a plain tree (so Dask can send them to workers).
#include <pybind11/stl.h>

#include "bindings.h"
#include "capsules.h"
#include "parkett/error.h"

namespace parkett::python {
namespace {

using Id = DataType::Id;

TimeUnit parse_unit(const std::string& unit) {
  if (unit == "s") return TimeUnit::Second;
  if (unit == "ms") return TimeUnit::Milli;
  if (unit == "us") return TimeUnit::Micro;
  if (unit == "ns") return TimeUnit::Nano;
  throw Error(ErrorKind::InvalidArgument, "time unit '" + unit + "' is not one of s, ms, us, ns");
}

// The pickled form: (id, byte_width, precision, scale, unit, timezone, keys_sorted,
// [child fields], value type or None).
py::tuple describe(const DataType& t);
py::tuple describe(const Field& f) {
  return py::make_tuple(f.name, describe(f.type), f.nullable, f.metadata);
}
py::tuple describe(const DataType& t) {
  py::list children;
  if (t.id() == Id::List || t.id() == Id::LargeList || t.id() == Id::Struct || t.id() == Id::Map) {
    for (const Field& c : t.children()) children.append(describe(c));
  }
  py::object value = t.id() == Id::Dictionary ? py::object(describe(t.value_type())) : py::object(py::none());
  return py::make_tuple(static_cast<int>(t.id()), t.byte_width(), t.precision(), t.scale(),
                        static_cast<int>(t.unit()), t.timezone(), t.keys_sorted(), children, value);
}

DataType rebuild_type(const py::tuple& d);
Field rebuild_field(const py::tuple& d) {
  Field f;
  f.name = d[0].cast<std::string>();
  f.type = rebuild_type(d[1].cast<py::tuple>());
  f.nullable = d[2].cast<bool>();
  f.metadata = d[3].cast<std::vector<std::pair<std::string, std::string>>>();
  return f;
}
DataType rebuild_type(const py::tuple& d) {
  auto id = static_cast<Id>(d[0].cast<int>());
  std::vector<Field> children;
  for (const auto& c : d[7].cast<py::list>()) children.push_back(rebuild_field(c.cast<py::tuple>()));
  auto unit = static_cast<TimeUnit>(d[4].cast<int>());
  switch (id) {
    case Id::FixedSizeBinary: return DataType::fixed_size_binary(d[1].cast<int32_t>());
    case Id::Decimal128:
    case Id::Decimal256: return DataType::decimal(d[2].cast<int32_t>(), d[3].cast<int32_t>());
    case Id::Time32:
    case Id::Time64: return DataType::time(unit);
    case Id::Timestamp: return DataType::timestamp(unit, d[5].cast<std::string>());
    case Id::List:
    case Id::LargeList: return DataType::list(children.at(0), id == Id::LargeList);
    case Id::Struct: return DataType::structure(children);
    case Id::Map: {
      const Field& entries = children.at(0);
      return DataType::map(entries.type.children().at(0), entries.type.children().at(1), d[6].cast<bool>());
    }
    case Id::Dictionary: return DataType::dictionary(rebuild_type(d[8].cast<py::tuple>()));
    default: return DataType(id);
  }
}

Field field_from_arrow(const py::object& source) {
  if (!py::hasattr(source, "__arrow_c_schema__")) {
    throw Error(ErrorKind::InvalidArgument, "expected an object with __arrow_c_schema__, got " +
                                                py::str(py::type::of(source)).cast<std::string>());
  }
  ArrowSchema c = take_schema(source.attr("__arrow_c_schema__")());
  return import_field(&c);
}

Schema schema_from_arrow(const py::object& source) {
  Field f = field_from_arrow(source);
  if (f.type.id() != Id::Struct) {
    throw Error(ErrorKind::InvalidArgument, "expected the schema of a struct (a table's), got " + f.type.to_string());
  }
  Schema s;
  s.fields = f.type.children();
  for (auto& [k, v] : f.metadata) s.metadata.emplace_back(k, v);
  return s;
}

const Field& schema_field(const Schema& s, const py::object& key) {
  if (py::isinstance<py::str>(key)) {
    int i = s.field_index(key.cast<std::string>());
    if (i < 0) throw Error(ErrorKind::NotFound, "no field named '" + key.cast<std::string>() + "'");
    return s.fields[static_cast<size_t>(i)];
  }
  auto i = key.cast<int64_t>();
  auto n = static_cast<int64_t>(s.fields.size());
  if (i < 0) i += n;
  if (i < 0 || i >= n) throw py::index_error("field index out of range");
  return s.fields[static_cast<size_t>(i)];
}

py::dict metadata_dict(const std::vector<std::pair<std::string, std::string>>& kv) {
  py::dict d;
  for (const auto& [k, v] : kv) d[py::bytes(k)] = py::bytes(v);
  return d;
}

std::vector<std::pair<std::string, std::string>> metadata_from(const py::object& m) {
  std::vector<std::pair<std::string, std::string>> kv;
  if (m.is_none()) return kv;
  for (const auto& [k, v] : m.cast<py::dict>()) {
    auto text = [](const py::handle& h) {
      return py::isinstance<py::bytes>(h) ? h.cast<std::string>() : py::str(h).cast<std::string>();
    };
    kv.emplace_back(text(k), text(v));
  }
  return kv;
}

}  // namespace

void init_types(py::module_& m) {
  py::class_<DataType>(m, "DataType", "An Arrow data type (parkett reads Parquet columns into these).")
      .def("__str__", &DataType::to_string)
      .def("__repr__", [](const DataType& t) { return "DataType(" + t.to_string() + ")"; })
      .def("__eq__", [](const DataType& a, const DataType& b) { return a == b; })
      .def("__eq__", [](const DataType&, const py::object&) { return false; })
      .def("__hash__", [](const DataType& t) { return py::hash(py::str(t.to_string())); })
      .def_property_readonly("id", [](const DataType& t) { return static_cast<int>(t.id()); })
      .def_property_readonly("byte_width", &DataType::byte_width)
      .def_property_readonly("precision", &DataType::precision)
      .def_property_readonly("scale", &DataType::scale)
      .def_property_readonly("unit", [](const DataType& t) { return to_string(t.unit()); })
      .def_property_readonly("tz", [](const DataType& t) -> py::object {
        if (t.timezone().empty()) return py::none();
        return py::str(t.timezone());
      })
      .def_property_readonly("value_type", [](const DataType& t) -> py::object {
        if (t.id() != Id::Dictionary) return py::none();
        return py::cast(t.value_type());
      })
      .def_property_readonly("fields", [](const DataType& t) {
        std::vector<Field> out;
        if (t.id() == Id::List || t.id() == Id::LargeList || t.id() == Id::Struct || t.id() == Id::Map) out = t.children();
        return out;
      })
      .def("__arrow_c_schema__", [](const DataType& t) { return field_capsule(Field{"", t, true, {}}); })
      .def_static("_from_arrow", [](const py::object& s) { return field_from_arrow(s).type; })
      .def(py::pickle([](const DataType& t) { return describe(t); },
                      [](const py::tuple& d) { return rebuild_type(d); }));

  py::class_<Field>(m, "Field", "A named, typed column or struct member.")
      .def(py::init([](std::string name, DataType type, bool nullable, const py::object& metadata) {
             return Field{std::move(name), std::move(type), nullable, metadata_from(metadata)};
           }),
           py::arg("name"), py::arg("type"), py::arg("nullable") = true, py::arg("metadata") = py::none())
      .def_readonly("name", &Field::name)
      .def_readonly("type", &Field::type)
      .def_readonly("nullable", &Field::nullable)
      .def_property_readonly("metadata", [](const Field& f) { return metadata_dict(f.metadata); })
      .def("__str__", &Field::to_string)
      .def("__repr__", [](const Field& f) { return "Field(" + f.to_string() + ")"; })
      .def("__eq__", [](const Field& a, const Field& b) { return a == b; })
      .def("__eq__", [](const Field&, const py::object&) { return false; })
      .def("__arrow_c_schema__", [](const Field& f) { return field_capsule(f); })
      .def_static("_from_arrow", &field_from_arrow)
      .def(py::pickle([](const Field& f) { return describe(f); },
                      [](const py::tuple& d) { return rebuild_field(d); }));

  py::class_<Schema>(m, "Schema", "The fields of a table, and its key-value metadata.")
      .def(py::init([](std::vector<Field> fields, const py::object& metadata) {
             return Schema{std::move(fields), metadata_from(metadata)};
           }),
           py::arg("fields"), py::arg("metadata") = py::none())
      .def_readonly("fields", &Schema::fields)
      .def_property_readonly("names", [](const Schema& s) {
        std::vector<std::string> names;
        for (const Field& f : s.fields) names.push_back(f.name);
        return names;
      })
      .def_property_readonly("types", [](const Schema& s) {
        std::vector<DataType> types;
        for (const Field& f : s.fields) types.push_back(f.type);
        return types;
      })
      .def_property_readonly("metadata", [](const Schema& s) -> py::object {
        if (s.metadata.empty()) return py::none();
        return metadata_dict(s.metadata);
      })
      .def("field", &schema_field, py::arg("i"), py::return_value_policy::copy)
      .def("get_field_index", [](const Schema& s, const std::string& name) { return s.field_index(name); })
      .def("__getitem__", &schema_field, py::return_value_policy::copy)
      .def("__len__", [](const Schema& s) { return s.fields.size(); })
      .def("__iter__", [](const Schema& s) { return py::iter(py::cast(s.fields)); })
      .def("__str__", &Schema::to_string)
      .def("__repr__", [](const Schema& s) { return "parkett.Schema\n" + s.to_string(); })
      .def("__eq__", [](const Schema& a, const Schema& b) { return a == b; })
      .def("__eq__", [](const Schema&, const py::object&) { return false; })
      .def("equals", [](const Schema& a, const Schema& b, bool check_metadata) {
             if (check_metadata) return a == b;
             return a.fields == b.fields;
           },
           py::arg("other"), py::arg("check_metadata") = false)
      .def("with_metadata", [](const Schema& s, const py::object& metadata) {
        return Schema{s.fields, metadata_from(metadata)};
      })
      .def("remove_metadata", [](const Schema& s) { return Schema{s.fields, {}}; })
      .def("__arrow_c_schema__", [](const Schema& s) { return schema_capsule(s); })
      .def_static("_from_arrow", &schema_from_arrow)
      .def(py::pickle(
          [](const Schema& s) {
            py::list fields;
            for (const Field& f : s.fields) fields.append(describe(f));
            return py::make_tuple(fields, s.metadata);
          },
          [](const py::tuple& d) {
            Schema s;
            for (const auto& f : d[0].cast<py::list>()) s.fields.push_back(rebuild_field(f.cast<py::tuple>()));
            s.metadata = d[1].cast<std::vector<std::pair<std::string, std::string>>>();
            return s;
          }));

  // Factories, named as pyarrow names them.
  const std::pair<const char*, Id> simple[] = {
      {"null", Id::Null},       {"bool_", Id::Boolean},        {"int8", Id::Int8},
      {"int16", Id::Int16},     {"int32", Id::Int32},          {"int64", Id::Int64},
      {"uint8", Id::UInt8},     {"uint16", Id::UInt16},        {"uint32", Id::UInt32},
      {"uint64", Id::UInt64},   {"float16", Id::Float16},      {"float32", Id::Float32},
      {"float64", Id::Float64}, {"string", Id::String},        {"large_string", Id::LargeString},
      {"large_binary", Id::LargeBinary}, {"date32", Id::Date32},
      {"month_day_nano_interval", Id::IntervalMonthDayNano},
  };
  for (const auto& [name, id] : simple) {
    Id type_id = id;
    m.def(name, [type_id] { return DataType(type_id); });
  }
  m.def("utf8", [] { return DataType(Id::String); });
  m.def("binary", [](int32_t width) { return width < 0 ? DataType(Id::Binary) : DataType::fixed_size_binary(width); },
        py::arg("length") = -1);
  m.def("time32", [](const std::string& unit) { return DataType::time(parse_unit(unit)); });
  m.def("time64", [](const std::string& unit) { return DataType::time(parse_unit(unit)); });
  m.def("timestamp", [](const std::string& unit, const py::object& tz) {
          return DataType::timestamp(parse_unit(unit), tz.is_none() ? std::string() : py::str(tz).cast<std::string>());
        },
        py::arg("unit"), py::arg("tz") = py::none());
  m.def("decimal128", &DataType::decimal, py::arg("precision"), py::arg("scale") = 0);
  m.def("decimal256", &DataType::decimal, py::arg("precision"), py::arg("scale") = 0);
  auto element = [](const py::object& value) {
    if (py::isinstance<Field>(value)) return value.cast<Field>();
    return Field{"element", value.cast<DataType>(), true, {}};
  };
  m.def("list_", [element](const py::object& value) { return DataType::list(element(value)); });
  m.def("large_list", [element](const py::object& value) { return DataType::list(element(value), true); });
  m.def("struct", [](const std::vector<Field>& fields) { return DataType::structure(fields); });
  m.def("map_", [](const DataType& key, const DataType& item, bool keys_sorted) {
          return DataType::map(Field{"key", key, false, {}}, Field{"value", item, true, {}}, keys_sorted);
        },
        py::arg("key_type"), py::arg("item_type"), py::arg("keys_sorted") = false);
  m.def("dictionary", [](const DataType& index, const DataType& value) {
          if (index.id() != Id::Int32) throw Error(ErrorKind::Unsupported, "dictionary indices are int32 in parkett");
          return DataType::dictionary(value);
        },
        py::arg("index_type"), py::arg("value_type"));
  m.def("field", [](std::string name, DataType type, bool nullable, const py::object& metadata) {
          return Field{std::move(name), std::move(type), nullable, metadata_from(metadata)};
        },
        py::arg("name"), py::arg("type"), py::arg("nullable") = true, py::arg("metadata") = py::none());
  m.def("schema", [](const py::iterable& fields, const py::object& metadata) {
          Schema s;
          for (const auto& f : fields) {
            if (py::isinstance<py::tuple>(f)) {
              auto t = f.cast<py::tuple>();
              s.fields.push_back(Field{t[0].cast<std::string>(), t[1].cast<DataType>(), true, {}});
            } else {
              s.fields.push_back(f.cast<Field>());
            }
          }
          s.metadata = metadata_from(metadata);
          return s;
        },
        py::arg("fields"), py::arg("metadata") = py::none());
}

}  // namespace parkett::python
