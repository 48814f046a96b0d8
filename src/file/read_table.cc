// FileReader::read_table: column chunks of the selected columns and row groups, decoded
// and converted into Arrow arrays, one record batch per row group.
#include <algorithm>

#include "column/leaf_reader.h"
#include "column/to_arrow.h"
#include "io/random_access_file.h"
#include "parkett/error.h"
#include "parkett/reader.h"

namespace parkett {
namespace {

struct Selected {
  int32_t field;   // index among the root's children
  int32_t column;  // leaf column index
};

std::vector<Selected> select_columns(const ParquetSchema& schema, const std::vector<std::string>& names,
                                     const std::string& file) {
  std::vector<Selected> out;
  const auto& root = schema.root();
  auto add_field = [&](int32_t f) {
    const SchemaNode& node = schema.node(root.children[static_cast<size_t>(f)]);
    if (!node.is_leaf()) {
      throw Error(ErrorKind::Unsupported, "reading nested column '" + node.name + "' is not supported yet",
                  ErrorContext{file, {}, node.name, {}});
    }
    out.push_back({f, node.column_index});
  };
  if (names.empty()) {
    for (size_t f = 0; f < root.children.size(); ++f) add_field(static_cast<int32_t>(f));
    return out;
  }
  for (const auto& name : names) {
    auto it = std::find_if(root.children.begin(), root.children.end(),
                           [&](int32_t c) { return schema.node(c).name == name; });
    if (it == root.children.end()) {
      throw Error(ErrorKind::InvalidArgument, "no column named '" + name + "'", ErrorContext{file, {}, {}, {}});
    }
    add_field(static_cast<int32_t>(it - root.children.begin()));
  }
  return out;
}

}  // namespace

Table FileReader::read_table() const { return read_table(options_); }

Table FileReader::read_table(const ReadOptions& options) const {
  const FileMetadata& md = metadata_;
  const ParquetSchema& schema = md.schema();
  Schema arrow = schema.to_arrow();
  for (size_t f = 0; f < arrow.fields.size(); ++f) {
    const SchemaNode& node = schema.node(schema.root().children[f]);
    if (node.physical_type == PhysicalType::Int96) arrow.fields[f].type = column::int96_type(options.int96_unit);
  }
  std::vector<Selected> selected = select_columns(schema, options.columns, name_);
  Table table;
  for (const auto& s : selected) table.schema.fields.push_back(arrow.fields[static_cast<size_t>(s.field)]);

  std::vector<int32_t> groups = options.row_groups;
  if (groups.empty()) {
    for (int32_t g = 0; g < md.num_row_groups(); ++g) groups.push_back(g);
  }
  page::PageReaderOptions page_options;
  page_options.verify_crc = options.verify_crc;
  std::string bytes;
  for (int32_t g : groups) {
    RowGroupMetadata rg = md.row_group(g);
    RecordBatch batch;
    batch.schema = table.schema;
    batch.num_rows = rg.num_rows();
    for (const auto& s : selected) {
      const ColumnDescriptor& desc = schema.column(s.column);
      try {
        ColumnChunkMetadata chunk = rg.column(s.column);
        const int64_t start = chunk.file_offset_of_pages();
        int64_t size = chunk.total_compressed_size();
        if (pads_dictionary_header_) {
          // parquet-mr before 1.2.9 left the dictionary page header out of the chunk's size
          // (PARQUET-816, IMPALA-694): read up to 100 bytes more, as Arrow C++ does.
          size += std::min<int64_t>(100, std::max<int64_t>(0, file_->size() - start - size));
        }
        if (start < 0 || size < 0 || start > file_->size() || size > file_->size() - start) {
          throw Error(ErrorKind::Corrupt, "column chunk at offset " + std::to_string(start) + " of " +
                                              std::to_string(size) + " bytes lies outside the file");
        }
        file_->read_at(start, size, bytes);
        column::ChunkInfo info;
        info.column = &desc;
        info.type_length = schema.node(desc.node).type_length;
        info.codec = chunk.compression();
        info.num_values = chunk.num_values();
        info.file_offset = start;
        column::LeafColumn leaf = column::read_leaf(
            std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()),
            info, page_options);
        ArrayPtr array = column::flat_leaf_to_arrow(leaf, desc, schema.node(desc.node),
                                                    arrow.fields[static_cast<size_t>(s.field)].type);
        if (array->length != batch.num_rows) {
          throw Error(ErrorKind::Corrupt, "column has " + std::to_string(array->length) +
                                              " rows, the row group " + std::to_string(batch.num_rows));
        }
        batch.columns.push_back(std::move(array));
      } catch (Error& e) {
        e.set_file(name_);
        e.set_row_group(g);
        e.set_column(desc.dotted_path);
        throw;
      }
    }
    table.batches.push_back(std::move(batch));
  }
  return table;
}

Table read_table(const std::string& path, const ReadOptions& options) {
  return FileReader::open(path, options).read_table();
}

}  // namespace parkett
