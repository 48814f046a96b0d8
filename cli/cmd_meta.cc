// parkett meta FILE [--row-group N] [--json]: everything the footer says; for a directory or
// glob (a dataset), its files, rows, row groups, partitions and merged schema.
// --json prints one object whose keys follow pyarrow's FileMetaData.to_dict(), plus the
// footer fields pyarrow leaves out.
#include <iostream>
#include <optional>
#include <set>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/dataset_flags.h"
#include "cli/progress.h"
#include "cli/encryption_flags.h"
#include "cli/storage_flags.h"
#include "io/remote_file.h"
#include "cli/terminal_text.h"
#include "parkett/dataset.h"
#include "parkett/error.h"
#include "parkett/reader.h"
#include "util/json_text.h"

namespace parkett::cli {
namespace {

using Json = nlohmann::ordered_json;

struct MetaArgs {
  std::string file;
  std::optional<int32_t> row_group;
  bool json = false;
  DatasetFlags dataset;
  StorageFlags storage;
  DecryptionFlags decryption;
};

template <class T>
Json opt(const std::optional<T>& v) {
  return v ? Json(*v) : Json(nullptr);
}

Json kv_json(const KeyValueMetadata& kv) {
  Json out = Json::object();
  for (const auto& [k, v] : kv) out[k] = v ? Json(*v) : Json(nullptr);
  return out;
}

Json statistics_json(const Statistics& s, int64_t num_values) {
  Json j;
  j["has_min_max"] = s.has_min_max();
  j["min"] = Json::parse(s.min_json());
  j["max"] = Json::parse(s.max_json());
  j["null_count"] = opt(s.null_count());
  j["distinct_count"] = opt(s.distinct_count());
  j["num_values"] = num_values;
  j["physical_type"] = to_string(s.physical_type());
  if (s.nan_count()) j["nan_count"] = *s.nan_count();
  if (s.is_min_value_exact()) j["is_min_value_exact"] = *s.is_min_value_exact();
  if (s.is_max_value_exact()) j["is_max_value_exact"] = *s.is_max_value_exact();
  if (s.has_min_max() && s.from_deprecated_fields()) j["from_deprecated_min_max"] = true;
  return j;
}

Json column_json(const ColumnChunkMetadata& c) {
  Json j;
  j["file_offset"] = c.file_offset();
  j["file_path"] = c.file_path().value_or("");
  j["physical_type"] = to_string(c.physical_type());
  j["path_in_schema"] = c.path_in_schema();
  if (auto encryption = c.encryption()) {
    const ColumnEncryption& e = *encryption;
    Json ej;
    ej["with_footer_key"] = e.with_footer_key;
    if (e.key_metadata) ej["key_metadata"] = util::hex_bytes(*e.key_metadata);
    j["crypto_metadata"] = ej;
  }
  if (c.metadata_encrypted()) {
    j["metadata_encrypted"] = true;
    return j;
  }
  j["num_values"] = c.num_values();
  auto stats = c.statistics();
  j["is_stats_set"] = stats.has_value();
  j["statistics"] = stats ? statistics_json(*stats, c.num_values()) : Json(nullptr);
  j["compression"] = to_string(c.compression());
  Json enc = Json::array();
  for (auto e : c.encodings()) enc.push_back(to_string(e));
  j["encodings"] = enc;
  j["has_dictionary_page"] = c.has_dictionary_page();
  j["dictionary_page_offset"] = opt(c.dictionary_page_offset());
  j["data_page_offset"] = c.data_page_offset();
  j["total_compressed_size"] = c.total_compressed_size();
  j["total_uncompressed_size"] = c.total_uncompressed_size();
  j["index_page_offset"] = opt(c.index_page_offset());
  j["column_index_offset"] = opt(c.column_index_offset());
  j["column_index_length"] = opt(c.column_index_length());
  j["offset_index_offset"] = opt(c.offset_index_offset());
  j["offset_index_length"] = opt(c.offset_index_length());
  j["bloom_filter_offset"] = opt(c.bloom_filter_offset());
  j["bloom_filter_length"] = opt(c.bloom_filter_length());
  if (auto es = c.encoding_stats()) {
    Json a = Json::array();
    for (const auto& s : *es) {
      a.push_back({{"page_type", to_string(s.page_type)},
                   {"encoding", to_string(s.encoding)},
                   {"count", s.count}});
    }
    j["encoding_stats"] = a;
  }
  if (auto ss = c.size_statistics()) {
    j["size_statistics"] = {
        {"unencoded_byte_array_data_bytes", opt(ss->unencoded_byte_array_data_bytes)},
        {"repetition_level_histogram", opt(ss->repetition_level_histogram)},
        {"definition_level_histogram", opt(ss->definition_level_histogram)}};
  }
  if (auto gs = c.geospatial_statistics()) {
    Json g;
    if (gs->bbox) {
      const auto& b = *gs->bbox;
      g["bbox"] = {{"xmin", b.xmin}, {"xmax", b.xmax}, {"ymin", b.ymin}, {"ymax", b.ymax},
                   {"zmin", opt(b.zmin)}, {"zmax", opt(b.zmax)}, {"mmin", opt(b.mmin)},
                   {"mmax", opt(b.mmax)}};
    }
    g["geospatial_types"] = opt(gs->geospatial_types);
    j["geospatial_statistics"] = g;
  }
  if (auto kv = c.key_value_metadata()) j["key_value_metadata"] = kv_json(*kv);
  return j;
}

// Text of a JSON value; invalid UTF-8 in names or key-value metadata is replaced (U+FFFD),
// not an exception from the JSON library.
std::string text(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

// The JSON object is written as it is built, a column at a time: a file of a million
// columns must not be held as one JSON tree (pyarrow's key order is kept).
class JsonOut {
 public:
  ~JsonOut() { flush(); }
  // `"key":value`, or an array element when `key` is null.
  void field(const char* key, const Json& value) {
    if (key) this->key(key);
    else comma();
    buf_ += text(value);
    need_comma_ = true;
    if (buf_.size() > (1u << 20)) flush();
  }
  void element(const Json& value) { field(nullptr, value); }
  void key(const char* key) {
    comma();
    util::append_json_string(buf_, key);
    buf_ += ':';
  }
  void open(char c) {
    comma();
    buf_ += c;
  }
  void close(char c) {
    buf_ += c;
    need_comma_ = true;
  }
  void flush() {
    std::cout << buf_;
    buf_.clear();
  }

 private:
  void comma() {
    if (need_comma_) buf_ += ',';
    need_comma_ = false;
  }
  std::string buf_;
  bool need_comma_ = false;
};

void write_row_group(JsonOut& out, const RowGroupMetadata& rg) {
  out.open('{');
  out.field("num_columns", rg.num_columns());
  out.field("num_rows", rg.num_rows());
  out.field("total_byte_size", rg.total_byte_size());
  out.key("columns");
  out.open('[');
  for (int32_t c = 0; c < rg.num_columns(); ++c) {
    try {
      out.element(column_json(rg.column(c)));
    } catch (Error& e) {
      e.set_row_group(rg.ordinal_in_file());
      throw;
    }
  }
  out.close(']');
  Json sc = Json::array();
  for (const auto& s : rg.sorting_columns()) {
    sc.push_back({{"column_index", s.column_index},
                  {"descending", s.descending},
                  {"nulls_first", s.nulls_first}});
  }
  out.field("sorting_columns", sc);
  out.field("file_offset", opt(rg.file_offset()));
  out.field("total_compressed_size", opt(rg.total_compressed_size()));
  out.field("ordinal", opt(rg.ordinal()));
  out.close('}');
}

void write_file(const FileMetadata& md, const MetaArgs& a) {
  JsonOut out;
  out.open('{');
  out.field("created_by", md.created_by() ? Json(*md.created_by()) : Json(nullptr));
  out.field("num_columns", md.num_columns());
  out.field("num_rows", md.num_rows());
  out.field("num_row_groups", md.num_row_groups());
  out.key("row_groups");
  out.open('[');
  for (int32_t r = 0; r < md.num_row_groups(); ++r) {
    if (a.row_group && *a.row_group != r) continue;
    write_row_group(out, md.row_group(r));
  }
  out.close(']');
  out.field("format_version", md.format_version());
  out.field("serialized_size", md.serialized_size());
  out.field("version", md.version());
  out.field("key_value_metadata", kv_json(md.key_value_metadata()));
  if (md.has_column_orders()) {
    out.key("column_orders");
    out.open('[');
    for (int32_t c = 0; c < md.num_columns(); ++c) out.element(to_string(md.column_order(c)));
    out.close(']');
  }
  if (auto e = md.encryption()) {
    Json ej;
    ej["algorithm"] = e->algorithm == FileEncryption::Algorithm::AesGcmV1      ? "AES_GCM_V1"
                      : e->algorithm == FileEncryption::Algorithm::AesGcmCtrV1 ? "AES_GCM_CTR_V1"
                                                                               : "UNKNOWN";
    if (e->aad_prefix) ej["aad_prefix"] = util::hex_bytes(*e->aad_prefix);
    if (e->aad_file_unique) ej["aad_file_unique"] = util::hex_bytes(*e->aad_file_unique);
    if (e->supply_aad_prefix) ej["supply_aad_prefix"] = *e->supply_aad_prefix;
    if (e->footer_key_metadata) {
      ej[e->footer_encrypted ? "footer_key_metadata" : "footer_signing_key_metadata"] =
          util::hex_bytes(*e->footer_key_metadata);
    }
    out.field("encryption_algorithm", ej);
  }
  out.close('}');
  out.flush();
  std::cout << "\n";
}

// At most `max` bytes of `s`, with control characters written out.
std::string short_text(const std::string& s, size_t max = 120) {
  return s.size() <= max ? terminal_text(s) : terminal_text(s.substr(0, max)) + "... (" + std::to_string(s.size()) + " bytes)";
}

void print_text(const FileMetadata& md, const MetaArgs& a) {
  std::cout << "file:            " << terminal_text(a.file) << "\n"
            << "created_by:      " << short_text(md.created_by().value_or(""), 200) << "\n"
            << "format_version:  " << md.format_version() << "\n"
            << "num_rows:        " << md.num_rows() << "\n"
            << "num_row_groups:  " << md.num_row_groups() << "\n"
            << "num_columns:     " << md.num_columns() << "\n"
            << "serialized_size: " << md.serialized_size() << "\n";
  if (const auto e = md.encryption()) {
    std::cout << "encryption:      "
              << (e->algorithm == FileEncryption::Algorithm::AesGcmCtrV1 ? "AES_GCM_CTR_V1" : "AES_GCM_V1")
              << (e->footer_encrypted ? ", encrypted footer" : ", plaintext footer (signed)");
    if (e->footer_key_metadata) std::cout << ", footer key metadata " << short_text(*e->footer_key_metadata, 80);
    std::cout << "\n";
  }
  if (!md.key_value_metadata().empty()) {
    std::cout << "key_value_metadata:\n";
    for (const auto& [k, v] : md.key_value_metadata()) {
      std::cout << "  " << short_text(k) << ": " << (v ? short_text(*v) : "(null)") << "\n";
    }
  }
  for (int32_t r = 0; r < md.num_row_groups(); ++r) {
    if (a.row_group && *a.row_group != r) continue;
    RowGroupMetadata rg = md.row_group(r);
    std::cout << "\nrow group " << r << ": " << rg.num_rows() << " rows, "
              << rg.total_byte_size() << " bytes uncompressed";
    if (rg.total_compressed_size()) std::cout << ", " << *rg.total_compressed_size() << " compressed";
    std::cout << "\n";
    for (int32_t c = 0; c < rg.num_columns(); ++c) {
      ColumnChunkMetadata col = rg.column(c);
      std::cout << "  " << terminal_text(col.path_in_schema()) << ": " << to_string(col.physical_type());
      if (const auto e = col.encryption()) {
        std::cout << " [encrypted with "
                  << (e->with_footer_key ? std::string("the footer key")
                                         : "key metadata " + short_text(e->key_metadata.value_or(""), 80))
                  << "]";
      }
      if (col.metadata_encrypted()) {
        std::cout << " (metadata encrypted)\n";
        continue;
      }
      std::cout << " " << to_string(col.compression()) << " encodings=";
      auto encs = col.encodings();
      for (size_t i = 0; i < encs.size(); ++i) std::cout << (i ? "," : "") << to_string(encs[i]);
      std::cout << " values=" << col.num_values() << " compressed=" << col.total_compressed_size()
                << " uncompressed=" << col.total_uncompressed_size();
      if (col.dictionary_page_offset()) std::cout << " dictionary_page=" << *col.dictionary_page_offset();
      std::cout << " data_page=" << col.data_page_offset() << "\n";
      if (auto s = col.statistics()) {
        std::cout << "    statistics:";
        if (s->has_min_max()) {
          std::cout << " min=" << short_text(s->min_json(), 60)
                    << " max=" << short_text(s->max_json(), 60);
        }
        if (s->null_count()) std::cout << " nulls=" << *s->null_count();
        if (s->distinct_count()) std::cout << " distinct=" << *s->distinct_count();
        if (s->nan_count()) std::cout << " nans=" << *s->nan_count();
        std::cout << "\n";
      }
    }
  }
}

// A directory or glob: its files, rows, row groups and partitions, and the merged schema.
int run_dataset(const MetaArgs& a, const std::shared_ptr<FileSystem>& store) {
  if (a.row_group) throw Error(ErrorKind::InvalidArgument, "--row-group applies to a file, not a directory or glob");
  DatasetOptions options = dataset_options(a.dataset);
  options.file_options.filesystem = store;
  set_decryption(a.decryption, options);
  const Dataset ds = Dataset::open(a.file, options);
  Json files = Json::array();
  int64_t rows = 0, row_groups = 0;
  for (const Fragment& f : ds.fragments()) {
    ReadOptions read;
    read.filesystem = store;
    read.decryption = decryption(a.decryption, f.path);
    const FileReader reader = FileReader::open(f.path, read);
    const FileMetadata& md = reader.metadata();
    rows += md.num_rows();
    row_groups += md.num_row_groups();
    Json file;
    file["path"] = f.path;
    file["num_rows"] = md.num_rows();
    file["num_row_groups"] = md.num_row_groups();
    Json values = Json::object();
    for (size_t c = 0; c < f.partition_values.size(); ++c) {
      const auto& v = f.partition_values[c];
      values[ds.partition_schema().fields[c].name] = v ? Json(*v) : Json(nullptr);
    }
    file["partition"] = values;
    files.push_back(file);
  }
  Json schema = Json::object();
  for (const Field& f : ds.schema().fields) schema[f.name] = f.type.to_string();
  Json partitions = Json::object();
  for (const Field& f : ds.partition_schema().fields) partitions[f.name] = f.type.to_string();
  if (a.json) {
    Json out;
    out["num_files"] = files.size();
    out["num_rows"] = rows;
    out["num_row_groups"] = row_groups;
    out["partitions"] = partitions;
    out["schema"] = schema;
    out["files"] = files;
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  std::cout << "dataset:         " << terminal_text(a.file) << "\nfiles:           " << files.size()
            << "\nnum_rows:        " << rows << "\nnum_row_groups:  " << row_groups << "\npartitions:      ";
  if (ds.partition_schema().fields.empty()) std::cout << "none";
  for (size_t c = 0; c < ds.partition_schema().fields.size(); ++c) {
    const Field& f = ds.partition_schema().fields[c];
    std::set<std::string> distinct;
    for (const Fragment& fr : ds.fragments()) distinct.insert(fr.partition_values[c].value_or("null"));
    std::cout << (c ? ", " : "") << terminal_text(f.name) << " (" << f.type.to_string() << ", " << distinct.size()
              << " values)";
  }
  std::cout << "\n\nschema:\n" << terminal_text(ds.schema().to_string(), true) << "\nfiles:\n";
  for (const Json& f : files) {
    std::cout << "  " << terminal_text(f["path"].get<std::string>()) << ": " << f["num_rows"].get<int64_t>() << " rows, "
              << f["num_row_groups"].get<int64_t>() << " row groups\n";
  }
  return 0;
}

int run(const MetaArgs& a) {
  const std::shared_ptr<FileSystem> store = remote_store(a.file, a.storage);
  const TransferProgress progress;
  if (is_dataset_path(a.file, store.get())) return run_dataset(a, store);
  ReadOptions options;
  options.filesystem = store;
  options.decryption = decryption(a.decryption, a.file);
  FileReader reader = FileReader::open(a.file, options);
  const FileMetadata& md = reader.metadata();
  if (a.row_group && (*a.row_group < 0 || *a.row_group >= md.num_row_groups())) {
    throw Error(ErrorKind::InvalidArgument,
                "--row-group " + std::to_string(*a.row_group) + " does not exist; the file has " +
                    std::to_string(md.num_row_groups()) + " row groups",
                ErrorContext{io::url_for_messages(a.file), {}, {}, {}});
  }
  try {
    if (a.json) {
      write_file(md, a);
    } else {
      print_text(md, a);
    }
  } catch (Error& e) {
    e.set_file(io::url_for_messages(a.file));
    throw;
  }
  return 0;
}

}  // namespace

Runner add_meta_command(CLI::App& app) {
  auto args = std::make_shared<MetaArgs>();
  CLI::App* cmd = app.add_subcommand("meta", "Print the file, row group and column chunk metadata");
  cmd->add_option("FILE", args->file, "Parquet file, or a directory or glob of them (a dataset: a summary)")->required();
  cmd->add_option("--row-group", args->row_group, "Only this row group (0-based)");
  add_dataset_flags(cmd, args->dataset);
  add_storage_flags(cmd, args->storage);
  add_decryption_flags(cmd, args->decryption);
  cmd->add_flag("--json", args->json,
                "One JSON object with the keys of pyarrow's FileMetaData.to_dict() and more");
  return [args] { return run(*args); };
}

}  // namespace parkett::cli
