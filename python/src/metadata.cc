// Footer metadata for Python, with pyarrow's names: FileMetaData, RowGroupMetaData,
// ColumnChunkMetaData, Statistics and ParquetSchema. A FileMetaData pickles as its
// serialized footer (Dask sends footers to workers and back this way).
#include <pybind11/stl.h>

#include "bindings.h"
#include "parkett/error.h"
#include "parkett/metadata.h"

namespace parkett::python {
namespace {

bool string_column(const ColumnChunkMetadata& c, const FileMetadata& md) {
  const SchemaNode& node = md.schema().node(c.descriptor().node);
  return node.logical_type.kind == LogicalType::Kind::String || node.logical_type.kind == LogicalType::Kind::Json ||
         node.logical_type.kind == LogicalType::Kind::Enum || node.converted_type == ConvertedType::Utf8;
}

struct ChunkView {
  ColumnChunkMetadata chunk;
  FileMetadata file;
};

struct RowGroupView {
  FileMetadata file;
  int32_t index;
  RowGroupMetadata get() const { return file.row_group(index); }
};

struct StatisticsView {
  Statistics stats;
  bool is_string;
};

py::dict key_value(const KeyValueMetadata& kv) {
  py::dict d;
  for (const auto& [k, v] : kv) d[py::bytes(k)] = v ? py::object(py::bytes(*v)) : py::object(py::none());
  return d;
}

}  // namespace

py::object stat_to_python(const StatValue& v, bool as_text) {
  return std::visit(
      [&](const auto& x) -> py::object {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          return py::none();
        } else if constexpr (std::is_same_v<T, std::string>) {
          if (as_text) {
            PyObject* o = PyUnicode_DecodeUTF8(x.data(), static_cast<Py_ssize_t>(x.size()), "replace");
            if (o == nullptr) throw py::error_already_set();
            return py::reinterpret_steal<py::object>(o);
          }
          return py::bytes(x);
        } else if constexpr (std::is_same_v<T, Int96>) {
          return py::bytes(reinterpret_cast<const char*>(x.words), 12);
        } else {
          return py::cast(x);
        }
      },
      v);
}

py::dict aggregate_dict(const ColumnAggregate& a) {
  py::dict d;
  d["column"] = a.column;
  d["rows"] = a.rows;
  d["values"] = a.values;
  d["null_count"] = a.null_count;
  d["min"] = a.min ? py::object(py::str(a.min_json)) : py::object(py::none());
  d["max"] = a.max ? py::object(py::str(a.max_json)) : py::object(py::none());
  d["exact"] = a.exact;
  d["note"] = a.note;
  return d;
}

void init_metadata(py::module_& m) {
  m.def("_aggregate_statistics",
        [](const std::vector<FileMetadata>& files, const std::vector<std::string>& columns,
           const std::vector<std::string>& names) {
          py::list out;
          for (const ColumnAggregate& a : aggregate_statistics(files, columns, names)) out.append(aggregate_dict(a));
          return out;
        },
        py::arg("files"), py::arg("columns") = std::vector<std::string>{}, py::arg("names") = std::vector<std::string>{});

  py::class_<StatisticsView>(m, "Statistics", "Statistics of a column chunk.")
      .def_property_readonly("has_min_max", [](const StatisticsView& s) { return s.stats.has_min_max(); })
      .def_property_readonly("min", [](const StatisticsView& s) { return stat_to_python(s.stats.min(), s.is_string); })
      .def_property_readonly("max", [](const StatisticsView& s) { return stat_to_python(s.stats.max(), s.is_string); })
      .def_property_readonly("min_raw", [](const StatisticsView& s) { return py::bytes(s.stats.encoded_min()); })
      .def_property_readonly("max_raw", [](const StatisticsView& s) { return py::bytes(s.stats.encoded_max()); })
      .def_property_readonly("min_json", [](const StatisticsView& s) { return s.stats.min_json(); })
      .def_property_readonly("max_json", [](const StatisticsView& s) { return s.stats.max_json(); })
      .def_property_readonly("null_count", [](const StatisticsView& s) { return s.stats.null_count(); })
      .def_property_readonly("has_null_count", [](const StatisticsView& s) { return s.stats.null_count().has_value(); })
      .def_property_readonly("distinct_count", [](const StatisticsView& s) { return s.stats.distinct_count(); })
      .def_property_readonly("has_distinct_count", [](const StatisticsView& s) { return s.stats.distinct_count().has_value(); })
      .def_property_readonly("nan_count", [](const StatisticsView& s) { return s.stats.nan_count(); })
      .def_property_readonly("is_min_value_exact", [](const StatisticsView& s) { return s.stats.is_min_value_exact(); })
      .def_property_readonly("is_max_value_exact", [](const StatisticsView& s) { return s.stats.is_max_value_exact(); })
      .def_property_readonly("physical_type", [](const StatisticsView& s) { return to_string(s.stats.physical_type()); });

  py::class_<ChunkView>(m, "ColumnChunkMetaData", "Metadata of one column chunk.")
      .def_property_readonly("path_in_schema", [](const ChunkView& c) { return c.chunk.path_in_schema(); })
      .def_property_readonly("physical_type", [](const ChunkView& c) { return to_string(c.chunk.physical_type()); })
      .def_property_readonly("compression", [](const ChunkView& c) { return to_string(c.chunk.compression()); })
      .def_property_readonly("encodings", [](const ChunkView& c) {
        py::list out;
        for (Encoding e : c.chunk.encodings()) out.append(to_string(e));
        return py::tuple(out);
      })
      .def_property_readonly("num_values", [](const ChunkView& c) { return c.chunk.num_values(); })
      .def_property_readonly("total_compressed_size", [](const ChunkView& c) { return c.chunk.total_compressed_size(); })
      .def_property_readonly("total_uncompressed_size", [](const ChunkView& c) { return c.chunk.total_uncompressed_size(); })
      .def_property_readonly("data_page_offset", [](const ChunkView& c) { return c.chunk.data_page_offset(); })
      .def_property_readonly("dictionary_page_offset", [](const ChunkView& c) { return c.chunk.dictionary_page_offset(); })
      .def_property_readonly("has_dictionary_page", [](const ChunkView& c) { return c.chunk.has_dictionary_page(); })
      .def_property_readonly("file_offset", [](const ChunkView& c) { return c.chunk.file_offset(); })
      .def_property_readonly("file_path", [](const ChunkView& c) { return c.chunk.file_path(); })
      .def_property_readonly("is_stats_set", [](const ChunkView& c) { return c.chunk.statistics().has_value(); })
      .def_property_readonly("statistics", [](const ChunkView& c) -> py::object {
        auto s = c.chunk.statistics();
        if (!s) return py::none();
        return py::cast(StatisticsView{*s, string_column(c.chunk, c.file)});
      })
      .def_property_readonly("bloom_filter_offset", [](const ChunkView& c) { return c.chunk.bloom_filter_offset(); })
      .def_property_readonly("has_column_index", [](const ChunkView& c) { return c.chunk.column_index_offset().has_value(); })
      .def_property_readonly("has_offset_index", [](const ChunkView& c) { return c.chunk.offset_index_offset().has_value(); })
      .def_property_readonly("is_encrypted", [](const ChunkView& c) { return c.chunk.encryption().has_value(); });

  py::class_<RowGroupView>(m, "RowGroupMetaData", "Metadata of one row group.")
      .def_property_readonly("num_rows", [](const RowGroupView& g) { return g.get().num_rows(); })
      .def_property_readonly("num_columns", [](const RowGroupView& g) { return g.get().num_columns(); })
      .def_property_readonly("total_byte_size", [](const RowGroupView& g) { return g.get().total_byte_size(); })
      .def_property_readonly("sorting_columns", [](const RowGroupView& g) {
        py::list out;
        for (const SortingColumn& s : g.get().sorting_columns()) {
          out.append(py::make_tuple(s.column_index, s.descending, s.nulls_first));
        }
        return out;
      })
      .def("column", [](const RowGroupView& g, int32_t i) {
        if (i < 0 || i >= g.file.num_columns()) throw py::index_error("column index out of range");
        return ChunkView{g.get().column(i), g.file};
      });

  py::class_<ParquetSchema>(m, "ParquetSchema", "The Parquet schema of a file (its leaf columns).")
      .def("__str__", &ParquetSchema::to_string)
      .def("__repr__", [](const ParquetSchema& s) { return "<parkett.ParquetSchema>\n" + s.to_string(); })
      .def("__len__", &ParquetSchema::num_columns)
      .def_property_readonly("names", [](const ParquetSchema& s) {
        std::vector<std::string> names;
        for (int32_t c : s.root().children) names.push_back(s.node(c).name);
        return names;
      })
      .def("column", [](const ParquetSchema& s, int32_t i) {
        if (i < 0 || i >= s.num_columns()) throw py::index_error("column index out of range");
        const ColumnDescriptor& d = s.column(i);
        py::dict out;
        out["path"] = d.dotted_path;
        out["name"] = d.path.back();
        out["physical_type"] = to_string(d.physical_type);
        out["logical_type"] = s.node(d.node).logical_type.to_string();
        out["max_definition_level"] = d.max_definition_level;
        out["max_repetition_level"] = d.max_repetition_level;
        return out;
      })
      .def("to_arrow_schema", &ParquetSchema::to_arrow);

  py::class_<FileMetadata>(m, "FileMetaData", py::dynamic_attr(), "A Parquet footer.")
      .def_property_readonly("num_rows", &FileMetadata::num_rows)
      .def_property_readonly("num_row_groups", &FileMetadata::num_row_groups)
      .def_property_readonly("num_columns", &FileMetadata::num_columns)
      .def_property_readonly("created_by", &FileMetadata::created_by)
      .def_property_readonly("format_version", &FileMetadata::format_version)
      .def_property_readonly("serialized_size", &FileMetadata::serialized_size)
      .def_property_readonly("metadata", [](const FileMetadata& md) -> py::object {
        if (md.key_value_metadata().empty()) return py::none();
        return key_value(md.key_value_metadata());
      })
      .def_property_readonly("schema", [](const FileMetadata& md) { return md.schema(); })
      .def("row_group", [](const FileMetadata& md, int32_t i) {
        if (i < 0 || i >= md.num_row_groups()) throw py::index_error("row group index out of range");
        return RowGroupView{md, i};
      })
      .def("serialize", [](const FileMetadata& md) { return py::bytes(md.serialized()); })
      .def_static("parse", [](const py::bytes& footer, const std::string& source) {
             std::string bytes = footer;
             py::gil_scoped_release unlocked;
             return FileMetadata::parse(std::move(bytes), {}, source);
           },
           py::arg("footer"), py::arg("source") = "")
      .def(py::pickle([](const FileMetadata& md) { return py::make_tuple(py::bytes(md.serialized())); },
                      [](const py::tuple& t) { return FileMetadata::parse(t[0].cast<std::string>()); }));
}

}  // namespace parkett::python
