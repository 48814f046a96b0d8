// write_tables: several tables to several files, all or none (Deephaven's batch_write).
// Every file is written in full through an output whose close() only marks it complete;
// the real outputs are made visible together once all are, and discarded on any error
// before that.
#include <set>

#include "file/writer_access.h"
#include "parkett/error.h"
#include "parkett/writer.h"

namespace parkett {
namespace {

class DeferredOutput final : public OutputFile {
 public:
  explicit DeferredOutput(std::shared_ptr<OutputFile> real) : real_(std::move(real)) {}
  void write(const void* data, size_t size) override { real_->write(data, size); }
  int64_t position() const override { return real_->position(); }
  void close() override {}  // made visible by write_tables, with the others
  void abort() noexcept override { real_->abort(); }
  std::string name() const override { return real_->name(); }

 private:
  std::shared_ptr<OutputFile> real_;
};

// The first difference between two schemas, as text; empty when equal.
std::string schema_difference(const Schema& first, const Schema& other) {
  if (first.fields.size() != other.fields.size()) {
    return std::to_string(other.fields.size()) + " fields, the first table " + std::to_string(first.fields.size());
  }
  for (size_t f = 0; f < first.fields.size(); ++f) {
    const Field& a = first.fields[f];
    const Field& b = other.fields[f];
    if (a.name != b.name || !(a.type == b.type) || a.nullable != b.nullable) {
      return "field " + std::to_string(f) + " is '" + b.to_string() + "', in the first table '" + a.to_string() + "'";
    }
  }
  return {};
}

}  // namespace

std::vector<FileMetadata> write_tables(const std::vector<Table>& tables, const std::vector<std::string>& paths,
                                       const WriteOptions& options) {
  if (tables.empty()) throw Error(ErrorKind::InvalidArgument, "write_tables needs at least one table");
  if (tables.size() != paths.size()) {
    throw Error(ErrorKind::InvalidArgument, "write_tables got " + std::to_string(tables.size()) + " tables and " +
                                                std::to_string(paths.size()) + " paths");
  }
  std::set<std::string> distinct;
  for (const std::string& p : paths) {
    if (!distinct.insert(p).second) throw Error(ErrorKind::InvalidArgument, "write_tables got the path '" + p + "' twice");
  }
  for (size_t t = 1; t < tables.size(); ++t) {
    const std::string diff = schema_difference(tables[0].schema, tables[t].schema);
    if (!diff.empty()) {
      throw Error(ErrorKind::InvalidArgument, "table " + std::to_string(t) + " (for '" + paths[t] +
                                                  "') has another schema than the first: " + diff);
    }
  }
  std::vector<std::shared_ptr<OutputFile>> outputs;
  std::vector<FileMetadata> written;
  const auto abort_all = [&outputs](size_t from) {
    for (size_t i = from; i < outputs.size(); ++i) outputs[i]->abort();
  };
  size_t t = 0;
  try {
    for (; t < tables.size(); ++t) {
      const std::shared_ptr<FileSystem> fs = options.filesystem ? options.filesystem : filesystem_for(paths[t], options.s3);
      // The file and its data indexes are all made visible with the others, the indexes
      // first (as FileWriter::close does).
      FileWriter w = file::FileWriterAccess::open(
          paths[t],
          [&] {
            outputs.push_back(fs->open_output(paths[t]));
            return std::make_unique<DeferredOutput>(outputs.back());
          },
          tables[0].schema, options,
          [&outputs, fs](const std::string& sidecar) -> std::unique_ptr<OutputFile> {
            fs->create_directories(sidecar.substr(0, sidecar.find_last_of('/') + 1));
            const auto at = outputs.end() - 1;  // before the data file (opened first, last so far)
            const auto inserted = outputs.insert(at, fs->open_output(sidecar));
            return std::make_unique<DeferredOutput>(*inserted);
          });
      w.write(tables[t]);
      written.push_back(w.close());
    }
  } catch (Error& e) {
    abort_all(0);
    if (e.context().file.empty()) e.set_file(paths[t]);
    throw;
  } catch (...) {
    abort_all(0);
    throw;
  }
  for (size_t i = 0; i < outputs.size(); ++i) {
    try {
      outputs[i]->close();
    } catch (...) {
      abort_all(i + 1);
      throw;
    }
  }
  return written;
}

}  // namespace parkett
