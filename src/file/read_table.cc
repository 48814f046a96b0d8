// FileReader::read_table: column chunks of the selected columns and row groups, decoded
// and converted into Arrow arrays, one record batch per row group.
#include <algorithm>
#include <atomic>
#include <set>
#include <exception>
#include <map>
#include <mutex>
#include <new>
#include <string_view>
#include <thread>
#include <unordered_map>

#include "column/leaf_reader.h"
#include "column/to_arrow.h"
#include "file/arrow_schema_hint.h"
#include "file/filtered_read.h"
#include "nested/assemble.h"
#include "schema/field_plan.h"
#include "io/random_access_file.h"
#include "parkett/error.h"
#include "parkett/reader.h"
#include "util/task_queue.h"

namespace parkett {
namespace {

// A selected top-level field: its index among the root's children, and the leaf columns
// wanted under it (all of them when `whole`).
struct Selection {
  int32_t field = 0;
  bool whole = false;
  std::set<int32_t> leaves;
};

// The leaf columns below schema node `node`, in order.
std::vector<int32_t> leaves_under(const ParquetSchema& schema, int32_t node) {
  std::vector<int32_t> out;
  std::vector<int32_t> stack{node};
  while (!stack.empty()) {
    const SchemaNode& n = schema.node(stack.back());
    stack.pop_back();
    if (n.is_leaf()) out.push_back(n.column_index);
    for (auto c = n.children.rbegin(); c != n.children.rend(); ++c) stack.push_back(*c);
  }
  return out;
}

// The fields `names` select (top-level names, or dotted Parquet paths such as "address.city"
// or "tags.list.element"), in the order of first mention; every field when `names` is empty.
// Linear in the schema: wide files (100,000 columns) must not be quadratic.
std::vector<Selection> select_fields(const ParquetSchema& schema, const std::vector<std::string>& names,
                                     const std::string& file) {
  const auto& root = schema.root();
  std::vector<Selection> out;
  if (names.empty()) {
    out.reserve(root.children.size());
    for (size_t f = 0; f < root.children.size(); ++f) out.push_back({static_cast<int32_t>(f), true, {}});
    return out;
  }
  std::unordered_map<std::string_view, int32_t> by_name;  // the first field of each name
  for (size_t f = 0; f < root.children.size(); ++f) by_name.emplace(schema.node(root.children[f]).name, static_cast<int32_t>(f));
  std::unordered_map<int32_t, size_t> slot;  // field -> its entry in `out`
  for (const auto& name : names) {
    const std::string top = name.substr(0, name.find('.'));
    auto it = by_name.find(top);
    if (it == by_name.end()) {
      throw Error(ErrorKind::InvalidArgument, "no column named '" + name + "'", ErrorContext{file, {}, {}, {}});
    }
    auto [at, added] = slot.emplace(it->second, out.size());
    if (added) out.push_back({it->second, false, {}});
    Selection& sel = out[at->second];
    if (name == top) {
      sel.whole = true;
      continue;
    }
    // The leaves under the path: they lie in the field's own (contiguous) leaf range.
    bool any = false;
    for (int32_t c : leaves_under(schema, schema.root().children[static_cast<size_t>(it->second)])) {
      const std::string& p = schema.column(c).dotted_path;
      if (p == name || (p.size() > name.size() && p.starts_with(name) && p[name.size()] == '.')) {
        sel.leaves.insert(c);
        any = true;
      }
    }
    if (!any) throw Error(ErrorKind::InvalidArgument, "no column named '" + name + "'", ErrorContext{file, {}, {}, {}});
  }
  return out;
}

// The Arrow type of a container rebuilt from its (possibly changed) children.
void rebuild_type(schema::FieldPlan& plan) {
  using Kind = schema::FieldPlan::Kind;
  if (plan.variant) return;  // its type is the Variant struct whatever its parts
  if (plan.kind == Kind::Struct) {
    std::vector<Field> fields;
    for (const auto& c : plan.children) fields.push_back(c.field);
    plan.field.type = DataType::structure(std::move(fields));
  } else if (plan.kind == Kind::List) {
    plan.field.type = DataType::list(plan.children[0].field);
  } else if (plan.kind == Kind::Map && plan.children.size() == 2) {
    plan.field.type = DataType::map(plan.children[0].field, plan.children[1].field);
  }
  plan.leaves.clear();
  if (plan.kind == Kind::Leaf) return;
  for (const auto& c : plan.children) plan.leaves.insert(plan.leaves.end(), c.leaves.begin(), c.leaves.end());
}

// Drops the parts of `plan` with none of `keep`'s leaves; false if nothing is left. Maps
// (an entry needs its key) and Variants are kept whole.
bool prune(schema::FieldPlan& plan, const std::set<int32_t>& keep) {
  using Kind = schema::FieldPlan::Kind;
  if (plan.kind == Kind::Leaf) return keep.count(plan.leaves.front()) > 0;
  bool any = false;
  for (int32_t l : plan.leaves) any = any || keep.count(l) > 0;
  if (!any) return false;
  if (plan.kind == Kind::Map || plan.variant) return true;  // a Variant needs all its parts
  std::vector<schema::FieldPlan> kept;
  for (auto& c : plan.children) {
    if (prune(c, keep)) kept.push_back(std::move(c));
  }
  plan.children = std::move(kept);
  rebuild_type(plan);
  return true;
}

// INT96 leaves are read in the unit the options ask for.
void apply_int96_unit(const ParquetSchema& schema, schema::FieldPlan& plan, TimeUnit unit) {
  for (auto& c : plan.children) apply_int96_unit(schema, c, unit);
  if (plan.kind == schema::FieldPlan::Kind::Leaf) {
    if (schema.node(plan.node).physical_type == PhysicalType::Int96) plan.field.type = column::int96_type(unit);
    return;
  }
  rebuild_type(plan);
}

}  // namespace

Table FileReader::read_table() const { return read_table(options_); }

namespace {

// The leaf columns of `plan` read as dictionary arrays.
void dictionary_leaves(const schema::FieldPlan& plan, std::set<int32_t>& out) {
  if (plan.kind == schema::FieldPlan::Kind::Leaf) {
    if (plan.field.type.id() == DataType::Id::Dictionary) out.insert(plan.leaves.front());
    return;
  }
  for (const auto& child : plan.children) dictionary_leaves(child, out);
}

// String and binary leaves named by `wanted` (a top-level name covers its leaves) become
// dictionary arrays.
void apply_dictionary(const ParquetSchema& schema, schema::FieldPlan& plan, const std::set<std::string>& wanted,
                      bool all) {
  using Kind = schema::FieldPlan::Kind;
  if (plan.variant) return;  // the parts of a Variant are folded into its value
  for (auto& c : plan.children) apply_dictionary(schema, c, wanted, all);
  if (plan.kind == Kind::Leaf) {
    const auto id = plan.field.type.id();
    const bool text = id == DataType::Id::String || id == DataType::Id::Binary;
    if (text && schema.node(plan.node).physical_type == PhysicalType::ByteArray &&
        (all || wanted.count(schema.column(plan.leaves.front()).dotted_path))) {
      plan.field.type = DataType::dictionary(plan.field.type);
    }
    return;
  }
  rebuild_type(plan);
}

// A read's fields: their plans (projection, INT96 unit and dictionaries applied), and for
// each the stored Arrow schema's field, if any.
struct ReadFields {
  std::vector<schema::FieldPlan> plans;
  std::vector<const schema::ArrowField*> hints;
};

// The plans of the fields `options` select, projection and INT96 unit applied; string
// columns the stored Arrow schema says were dictionaries are read as dictionaries.
ReadFields plans_for(const ParquetSchema& schema, const ReadOptions& options, const std::string& file,
                     const std::optional<schema::ArrowSchema>& stored) {
  ReadFields out;
  const std::set<std::string> wanted(options.read_dictionary.begin(), options.read_dictionary.end());
  for (const Selection& sel : select_fields(schema, options.columns, file)) {
    const int32_t node = schema.root().children[static_cast<size_t>(sel.field)];
    out.plans.push_back(schema::plan_field(schema, node));
    schema::FieldPlan& plan = out.plans.back();
    // A whole field keeps its groups without columns (prune would drop them).
    if (!sel.whole && sel.leaves.size() != plan.leaves.size()) prune(plan, sel.leaves);
    apply_int96_unit(schema, plan, options.int96_unit);
    // stored_arrow_schema checked that its fields match the root's children one by one.
    const schema::ArrowField* hint = stored ? &stored->fields[static_cast<size_t>(sel.field)] : nullptr;
    out.hints.push_back(hint);
    const std::string& name = schema.node(node).name;
    const bool whole = wanted.count(name) > 0 || (hint && hint->dictionary);
    if (whole || !wanted.empty()) apply_dictionary(schema, plan, wanted, whole);
  }
  return out;
}

// The Arrow fields a read returns: the plans' fields, with what the stored Arrow schema adds.
std::vector<Field> output_fields(const ReadFields& fields) {
  std::vector<Field> out;
  out.reserve(fields.plans.size());
  for (size_t i = 0; i < fields.plans.size(); ++i) {
    const schema::ArrowField* hint = fields.hints[i];
    out.push_back(hint ? file::restore_field(fields.plans[i].field, *hint) : fields.plans[i].field);
  }
  return out;
}

std::optional<schema::ArrowSchema> stored_schema(const FileMetadata& md, const ReadOptions& options) {
  return options.use_arrow_schema ? file::stored_arrow_schema(md) : std::nullopt;
}

}  // namespace

Schema FileReader::arrow_schema(const ReadOptions& options) const {
  const auto stored = stored_schema(metadata_, options);
  Schema out;
  out.fields = output_fields(plans_for(metadata_.schema(), options, name_, stored));
  return out;
}

Table FileReader::read_table(const ReadOptions& options, ScanCounts& counts) const {
  if (!options.filter.empty()) return file::read_filtered(*this, options, &counts);
  counts = {};
  Table t = read_table(options);
  counts.row_groups_read = static_cast<int64_t>(t.batches.size());
  return t;
}

Table FileReader::read_table(const ReadOptions& options) const {
  if (!options.filter.empty()) return file::read_filtered(*this, options);
  const FileMetadata& md = metadata_;
  const ParquetSchema& schema = md.schema();
  const auto stored = stored_schema(md, options);
  ReadFields fields = plans_for(schema, options, name_, stored);
  const std::vector<schema::FieldPlan>& plans = fields.plans;
  std::vector<std::set<int32_t>> dictionaries(plans.size());
  for (size_t f = 0; f < plans.size(); ++f) dictionary_leaves(plans[f], dictionaries[f]);
  Table table;
  table.schema.fields = output_fields(fields);

  std::vector<int32_t> groups = options.row_groups;
  if (groups.empty()) {
    for (int32_t g = 0; g < md.num_row_groups(); ++g) groups.push_back(g);
  }
  page::PageReaderOptions page_options;
  page_options.verify_crc = options.verify_crc;
  page_options.max_page_size = options.max_page_size;

  // One task per (row group, field): read its chunks, decode them, assemble the column.
  // Tasks run on `threads` workers; each writes only its own slot of `columns`.
  struct Task {
    size_t batch;
    size_t field;
  };
  std::vector<Task> tasks;
  for (size_t b = 0; b < groups.size(); ++b) {
    for (size_t f = 0; f < plans.size(); ++f) tasks.push_back({b, f});
  }
  std::vector<RecordBatch> batches(groups.size());
  for (size_t b = 0; b < groups.size(); ++b) {
    batches[b].schema = table.schema;
    batches[b].num_rows = md.row_group(groups[b]).num_rows();
    batches[b].columns.resize(plans.size());
  }
  auto run_task = [&](const Task& task) {
    const int32_t g = groups[task.batch];
    const schema::FieldPlan& plan = plans[task.field];
    RowGroupMetadata rg = md.row_group(g);
    const int64_t num_rows = batches[task.batch].num_rows;
    std::map<int32_t, column::LeafColumn> decoded;
    for (int32_t c : plan.leaves) {
      const ColumnDescriptor& desc = schema.column(c);
      try {
        ColumnChunkMetadata chunk = rg.column(c);
        if (chunk.encryption()) {
          // Encryption.md: the pages of an encrypted column are AES modules, not Thrift.
          throw Error(ErrorKind::Crypto, "the column is encrypted: keys are required to read it");
        }
        const int64_t start = chunk.file_offset_of_pages();
        int64_t size = chunk.total_compressed_size();
        if (pads_dictionary_header_) {
          // parquet-mr before 1.2.9 left the dictionary page header out of the chunk's
          // size (PARQUET-816, IMPALA-694): read up to 100 bytes more, as Arrow C++ does.
          size += std::min<int64_t>(100, std::max<int64_t>(0, file_->size() - start - size));
        }
        if (start < 0 || size < 0 || start > file_->size() || size > file_->size() - start) {
          throw Error(ErrorKind::Corrupt, "column chunk at offset " + std::to_string(start) + " of " +
                                              std::to_string(size) + " bytes lies outside the file");
        }
        if (desc.max_repetition_level == 0 && chunk.num_values() != num_rows) {
          throw Error(ErrorKind::Corrupt, "column chunk has " + std::to_string(chunk.num_values()) +
                                              " values, its row group " + std::to_string(num_rows) + " rows");
        }
        // In-memory storage is decoded in place; otherwise the chunk's bytes go to a pooled
        // buffer (chunks are large and read again and again).
        std::span<const uint8_t> in_place = file_->view(start, size);
        std::shared_ptr<Buffer> bytes;
        if (in_place.data() == nullptr) {
          bytes = Buffer::allocate(static_cast<size_t>(size));
          file_->read_into(start, size, bytes->data());
          in_place = std::span<const uint8_t>(bytes->data(), bytes->size());
        }
        column::ChunkInfo info;
        info.column = &desc;
        info.type_length = schema.node(desc.node).type_length;
        info.codec = chunk.compression();
        info.num_values = chunk.num_values();
        info.uncompressed_size = chunk.total_uncompressed_size();
        info.file_offset = start;
        info.keep_dictionary = dictionaries[task.field].count(c) > 0;
        info.levels_as_validity = plan.kind == schema::FieldPlan::Kind::Leaf;
        decoded[c] = column::read_leaf(in_place, info, page_options);
      } catch (Error& e) {
        e.set_file(name_);
        e.set_row_group(g);
        e.set_column(desc.dotted_path);
        throw;
      } catch (const std::bad_alloc&) {
        throw Error(ErrorKind::ResourceLimit, "out of memory decoding the column chunk",
                    ErrorContext{name_, g, desc.dotted_path, {}});
      }
    }
    std::map<int32_t, column::LeafColumn*> leaves;
    for (auto& [c, leaf] : decoded) leaves[c] = &leaf;
    try {
      batches[task.batch].columns[task.field] =
          file::conform(nested::assemble(plan, schema, leaves, num_rows), table.schema.fields[task.field].type);
    } catch (Error& e) {
      e.set_file(name_);
      e.set_row_group(g);
      e.set_column(plan.field.name);
      throw;
    } catch (const std::bad_alloc&) {
      throw Error(ErrorKind::ResourceLimit, "out of memory assembling the column",
                  ErrorContext{name_, g, plan.field.name, {}});
    }
  };

  // Up to `threads` loops take tasks in turn: the caller runs one, the shared queue's
  // workers the others.
  size_t workers = options.threads > 0 ? static_cast<size_t>(options.threads)
                                       : std::max(1u, std::thread::hardware_concurrency());
  workers = std::min(workers, tasks.size());
  // Tasks are taken in order, so when one fails every earlier task has been taken and runs
  // to its end: the error reported is the first task's in (row group, field) order, the
  // same whatever the threads' timing.
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex error_mutex;
  std::exception_ptr error;
  size_t error_task = SIZE_MAX;
  auto loop = [&] {
    for (size_t i; !failed.load() && (i = next.fetch_add(1)) < tasks.size();) {
      try {
        run_task(tasks[i]);
      } catch (...) {
        std::lock_guard lock(error_mutex);
        if (i < error_task) {
          error = std::current_exception();
          error_task = i;
        }
        failed = true;
      }
    }
  };
  if (workers <= 1) {
    loop();
  } else {
    util::TaskQueue& queue = util::shared_task_queue();
    std::atomic<size_t> finished{0};
    for (size_t w = 1; w < workers; ++w) {
      queue.push([&] {
        loop();
        ++finished;  // the caller may return from here on: touch nothing of its stack below
        util::shared_task_queue().notify();
      });
    }
    loop();
    queue.help_until([&] { return finished.load() == workers - 1; });
  }
  if (error) std::rethrow_exception(error);
  // A field some of whose chunks needed 64-bit offsets takes the large type in every batch,
  // so that the table has one schema.
  bool widened = false;
  for (size_t f = 0; f < plans.size(); ++f) {
    DataType type = table.schema.fields[f].type;
    for (const auto& b : batches) type = file::with_large_offsets(type, b.columns[f]->type);
    if (type == table.schema.fields[f].type) continue;
    table.schema.fields[f].type = type;
    for (auto& b : batches) b.columns[f] = file::conform(b.columns[f], type);
    widened = true;
  }
  if (widened) {
    for (auto& b : batches) b.schema = table.schema;
  }
  table.batches = std::move(batches);
  return table;
}

Table read_table(const std::string& path, const ReadOptions& options) {
  return FileReader::open(path, options).read_table();
}

}  // namespace parkett
