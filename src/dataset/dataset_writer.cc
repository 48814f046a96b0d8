// write_dataset: rows grouped by partition (dataset/partition_keys.h), each partition's rows
// appended to its open file, files of different partitions written in parallel, the least
// recently written file closed when too many are open, the largest buffers written out as
// row groups when the buffered rows outgrow the memory bound.
#include <sys/resource.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <random>
#include <unordered_map>

#include "crypto/key_material.h"
#include "dataset/discovery.h"
#include "dataset/partition_keys.h"
#include "parkett/dataset.h"
#include "io/s3_client.h"
#include "io/whole_file.h"
#include "parkett/error.h"
#include "table/split.h"
#include "util/task_queue.h"

namespace parkett {
namespace {

std::string random_uuid() {
  static std::mutex mutex;
  static std::mt19937_64 generator{[] {
    std::random_device device;
    return (uint64_t{device()} << 32) ^ device();
  }()};
  uint64_t hi, lo;
  {
    std::lock_guard lock(mutex);
    hi = generator();
    lo = generator();
  }
  hi = (hi & ~uint64_t{0xF000}) | 0x4000;               // version 4
  lo = (lo & ~(uint64_t{3} << 62)) | (uint64_t{2} << 62);  // variant 10
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 32; ++i) {
    const uint64_t word = i < 16 ? hi : lo;
    out += hex[(word >> (60 - 4 * (i % 16))) & 15];
    if (i == 7 || i == 11 || i == 15 || i == 19) out += '-';
  }
  return out;
}

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (size_t at = 0; (at = s.find(from, at)) != std::string::npos; at += to.size()) s.replace(at, from.size(), to);
}

void check_options(const DatasetWriteOptions& o) {
  if (const auto& c = o.encryption_config) {
    if (!c->crypto_factory) throw Error(ErrorKind::InvalidArgument, "encryption_config has no crypto_factory");
    if (o.file_options.encryption) {
      throw Error(ErrorKind::InvalidArgument, "give file_options.encryption or encryption_config, not both");
    }
  }
  if (o.write_metadata_files && (o.file_options.encryption || o.encryption_config)) {
    // `_metadata` would hold the statistics of encrypted columns in the clear.
    throw Error(ErrorKind::InvalidArgument, "write_metadata_files cannot summarise encrypted files");
  }
  const std::string& t = o.basename_template;
  if (t.find("{i}") == std::string::npos && t.find("{uuid}") == std::string::npos) {
    throw Error(ErrorKind::InvalidArgument, "basename_template '" + t + "' has neither {i} nor {uuid}: files would overwrite each other");
  }
  if (t.find('/') != std::string::npos || t.empty() || t[0] == '.' || t[0] == '_') {
    throw Error(ErrorKind::InvalidArgument, "basename_template '" + t +
                                                "' must be a file name that readers do not skip (no '/', not "
                                                "starting with '.' or '_')");
  }
  if (o.max_rows_per_file < 0) throw Error(ErrorKind::InvalidArgument, "max_rows_per_file must not be negative");
  if (o.max_open_files < 1) throw Error(ErrorKind::InvalidArgument, "max_open_files must be at least 1");
  if (o.max_buffered_bytes < 0) throw Error(ErrorKind::InvalidArgument, "max_buffered_bytes must not be negative");
}

class DatasetWriter {
 public:
  DatasetWriter(const Schema& input, std::string root, const DatasetWriteOptions& options)
      : options_(options),
        root_(std::move(root)),
        keys_(input, options.partition_by, options.flavor),
        threads_(options.file_options.threads) {
    check_options(options);
    // Every file through one filesystem: the one given, else the one the root names (on S3
    // one client, its connections and retry budget shared by all files).
    file_options_ = options.file_options;
    if (!file_options_.filesystem) file_options_.filesystem = filesystem_for(root_, file_options_.s3);
    store_ = file_options_.filesystem;
    while (root_.size() > 1 && root_.back() == '/' && !root_.ends_with("://")) root_.pop_back();
    if (root_.empty()) throw Error(ErrorKind::InvalidArgument, "write_dataset needs a root directory");
    for (size_t f = 0; f < input.fields.size(); ++f) {
      const bool partition = std::find(keys_.columns().begin(), keys_.columns().end(), static_cast<int>(f)) !=
                             keys_.columns().end();
      if (partition && !options.keep_partition_columns) continue;
      kept_.push_back(f);
      file_schema_.fields.push_back(input.fields[f]);
    }
    if (kept_.empty()) {
      throw Error(ErrorKind::InvalidArgument,
                  "every column is a partition column: the files would hold none (keep_partition_columns keeps them)");
    }
    // Files of different partitions are written in parallel; one file alone uses the threads.
    if (!options.partition_by.empty()) file_options_.threads = 1;
    // Each open file holds a descriptor until it is complete: stay well within the limit.
    struct rlimit files {};
    size_t allowed = static_cast<size_t>(options.max_open_files);
    if (::getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur != RLIM_INFINITY) {
      allowed = std::min<size_t>(allowed, files.rlim_cur > 128 ? files.rlim_cur - 64 : files.rlim_cur / 2);
    }
    // On S3 each open file holds what it wrote until a part (S3Options::part_size) is full,
    // and parts in flight: as many files as max_buffered_bytes has parts for, 8 at least.
    if (io::is_s3_url(root_)) {
      allowed = std::min<size_t>(allowed, static_cast<size_t>(std::max<int64_t>(8, options.max_buffered_bytes / file_options_.s3.part_size)));
    }
    open_limit_ = std::max<size_t>(1, allowed);
    if (options.existing_data == ExistingData::Error) {
      if (const std::vector<FileInfo> found = store_->list(root_); !found.empty()) {
        throw Error(ErrorKind::InvalidArgument, "'" + root_ + "' already holds data ('" + found.front().path +
                                                    "'); existing_data OverwriteOrIgnore or DeleteMatching writes there",
                    {root_, std::nullopt, {}, std::nullopt});
      }
    } else {
      // Summaries of the data there would no longer match it (a reader trusts them).
      std::vector<std::string> stale;
      for (const char* name : {"/_metadata", "/_common_metadata"}) {
        if (store_->kind(root_ + name) == FileSystem::Kind::File) stale.push_back(root_ + name);
      }
      store_->remove(stale);
    }
  }

  void write(const RecordBatch& batch) {
    keys_.group(batch, groups_);
    if (groups_.empty()) return;
    // Each kept column dealt out to the groups in one pass (a task per column); a batch of
    // one partition is written as it is.
    std::vector<std::vector<ArrayPtr>> parts(kept_.size());  // per column, per group
    if (groups_.size() == 1) {
      for (size_t c = 0; c < kept_.size(); ++c) parts[c] = {batch.columns[kept_[c]]};
    } else {
      std::vector<int64_t> counts;
      for (const auto& g : groups_) counts.push_back(g.rows);
      util::run_tasks(kept_.size(), threads_, [&](size_t c) {
        parts[c] = table::split(*batch.columns[kept_[c]], keys_.group_of_row(), counts);
      });
    }
    // In rounds of at most max_open_files partitions: their files opened (others closed to
    // make room), then each partition's rows written by one task.
    const size_t round = open_limit_;
    for (size_t begin = 0; begin < groups_.size(); begin += round) {
      const size_t end = std::min(groups_.size(), begin + round);
      ++round_;
      for (size_t g = begin; g < end; ++g) {
        const uint32_t p = groups_[g].partition;
        if (p >= round_of_.size()) round_of_.resize(p + 1, 0);
        round_of_[p] = round_;
      }
      for (size_t g = begin; g < end; ++g) ensure_open(groups_[g].partition);
      util::run_tasks(end - begin, threads_, [&](size_t i) {
        const size_t g = begin + i;
        RecordBatch rows;
        rows.schema = file_schema_;
        rows.num_rows = groups_[g].rows;
        for (auto& column : parts) rows.columns.push_back(std::move(column[g]));
        write_rows(rows, open_.at(groups_[g].partition));
      });
      // Files completed at max_rows_per_file with no rows after them.
      std::erase_if(open_, [](const auto& e) { return !e.second.writer; });
    }
    bound_memory();
  }

  std::vector<WrittenFile> finish() {
    std::vector<OpenFile*> last;
    for (auto& [p, f] : open_) last.push_back(&f);
    std::sort(last.begin(), last.end(), [](const OpenFile* a, const OpenFile* b) { return a->path < b->path; });
    util::run_tasks(last.size(), threads_, [&](size_t i) { complete(*last[i]); });
    open_.clear();
    if (options_.write_metadata_files && !written_.empty()) write_summaries();
    return std::move(written_);
  }

  // After a failure: files not complete are removed (their writers' temporary files), and
  // so is the key material written for them, or the key material of the file they would
  // have replaced is put back (that file stays).
  void abandon() noexcept {
    for (auto& [p, f] : open_) {
      if (f.writer) undo_key_material(f);
    }
    open_.clear();
  }
  size_t completed() const { return written_.size(); }

 private:
  struct OpenFile {
    uint32_t partition = 0;
    std::string path;
    std::optional<FileWriter> writer;
    std::string key_material;  // its sidecar, with external key material
    std::optional<std::string> replaced_key_material;  // the sidecar's bytes before
    int64_t rows = 0;
    uint64_t last_use = 0;
  };

  // Partition p's file, opened if it has none (closing the least recently used one not
  // in this round when the open files are at the limit). Between rounds every entry of
  // open_ has a writer.
  void ensure_open(uint32_t p) {
    if (const auto it = open_.find(p); it != open_.end()) {
      it->second.last_use = ++clock_;
      return;
    }
    if (open_.size() >= open_limit_) {
      OpenFile* oldest = nullptr;
      for (auto& [q, o] : open_) {
        if (round_of_[q] != round_ && (!oldest || o.last_use < oldest->last_use)) oldest = &o;
      }
      if (oldest) {
        const uint32_t q = oldest->partition;
        complete(*oldest);
        open_.erase(q);
      }
    }
    OpenFile& f = open_[p];
    f.last_use = ++clock_;
    open_file(f, p);
  }

  // A new file for partition p (its directory created, or emptied on its first file with
  // DeleteMatching).
  void open_file(OpenFile& f, uint32_t p) {
    std::string dir = root_;
    std::string name;
    {
      std::lock_guard lock(mutex_);
      const std::string& sub = keys_.directory(p);
      if (!sub.empty()) dir += "/" + sub;
      auto [counter, first] = next_index_.emplace(sub, 0);
      if (first) {
        if (options_.existing_data == ExistingData::DeleteMatching) store_->remove_below(dir);
        store_->create_directories(dir);
      }
      name = options_.basename_template;
      replace_all(name, "{i}", std::to_string(counter->second++));
      if (name.find("{uuid}") != std::string::npos) replace_all(name, "{uuid}", random_uuid());
    }
    f.partition = p;
    f.path = dir + "/" + name;
    f.rows = 0;
    if (const auto& c = options_.encryption_config) {
      // Data keys of this file's own; external key material is written beside it now (what
      // it replaces is kept until the file is complete).
      f.key_material.clear();
      f.replaced_key_material.reset();
      if (!c->encryption_config.internal_key_material) {
        f.key_material = crypto::key_material_path(f.path);
        if (store_->kind(f.key_material) == FileSystem::Kind::File) f.replaced_key_material = crypto::read_key_material_file(*store_, f.key_material);
      }
      try {
        WriteOptions o = file_options_;
        o.encryption = c->crypto_factory->file_encryption_properties(c->kms_connection_config, c->encryption_config,
                                                                     f.path, store_);
        f.writer.emplace(FileWriter::open(f.path, file_schema_, o));
      } catch (...) {
        undo_key_material(f);
        throw;
      }
    } else {
      f.writer.emplace(FileWriter::open(f.path, file_schema_, file_options_));
    }
  }

  // The key material of f, a file not completed: removed, or what it replaced put back.
  // Quietly: the error being reported matters more.
  void undo_key_material(const OpenFile& f) const noexcept {
    if (f.key_material.empty()) return;
    try {
      if (!f.replaced_key_material) {
        store_->remove({f.key_material});
        return;
      }
      io::write_whole_file(*store_, f.key_material, *f.replaced_key_material);
    } catch (...) {
    }
  }

  // Closes f's file and reports it.
  void complete(OpenFile& f) {
    if (!f.writer) return;
    WrittenFile w{f.path, keys_.values(f.partition), f.writer->close()};
    f.writer.reset();
    std::lock_guard lock(mutex_);
    if (options_.file_visitor) options_.file_visitor(w);
    written_.push_back(std::move(w));
  }

  // `rows` (the kept columns) to f's partition, starting new files at max_rows_per_file.
  void write_rows(const RecordBatch& rows, OpenFile& f) {
    int64_t done = 0;
    while (done < rows.num_rows) {
      if (!f.writer) open_file(f, f.partition);
      int64_t n = rows.num_rows - done;
      if (options_.max_rows_per_file > 0) n = std::min(n, options_.max_rows_per_file - f.rows);
      if (n == rows.num_rows) {
        f.writer->write(rows);
      } else {
        RecordBatch piece;
        piece.schema = file_schema_;
        piece.num_rows = n;
        for (const ArrayPtr& c : rows.columns) piece.columns.push_back(slice(c, done, n));
        f.writer->write(piece);
      }
      f.rows += n;
      done += n;
      if (options_.max_rows_per_file > 0 && f.rows == options_.max_rows_per_file) complete(f);
    }
  }

  // `_metadata` (every data file below the root, in path order, named relative to it: the
  // files written, and the footers of those already there) and `_common_metadata` (the
  // schema) at the root.
  void write_summaries() const {
    std::map<std::string, FileMetadata> files;
    for (const WrittenFile& w : written_) files.emplace(w.path, w.metadata);
    if (options_.existing_data != ExistingData::Error) {
      ReadOptions read;
      read.filesystem = store_;
      for (const std::string& f : dataset::discover(*store_, root_, DatasetOptions{}.extensions).files) {
        if (!files.count(f)) files.emplace(f, FileReader::open(f, read).metadata());
      }
    }
    MetadataCollector collector;
    for (const auto& [path, footer] : files) collector.add(path.substr(root_.size() + 1), footer);
    collector.write_metadata_file(root_ + "/_metadata", store_);
    collector.write_common_metadata_file(root_ + "/_common_metadata", store_);
  }

  // Writes out the largest buffers as row groups until the rest fit in half the bound.
  void bound_memory() {
    std::vector<std::pair<int64_t, OpenFile*>> buffered;
    int64_t total = 0;
    for (auto& [p, f] : open_) {
      if (!f.writer) continue;
      const int64_t b = f.writer->buffered_bytes();
      total += b;
      if (b > 0) buffered.emplace_back(b, &f);
    }
    if (total <= options_.max_buffered_bytes) return;
    std::sort(buffered.begin(), buffered.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    size_t n = 0;
    while (n < buffered.size() && total > options_.max_buffered_bytes / 2) total -= buffered[n++].first;
    util::run_tasks(n, threads_, [&](size_t i) { buffered[i].second->writer->flush(); });
  }

  DatasetWriteOptions options_;
  std::string root_;
  dataset::PartitionKeys keys_;
  int threads_;
  std::vector<size_t> kept_;  // input columns stored in the files
  Schema file_schema_;
  WriteOptions file_options_;
  std::shared_ptr<FileSystem> store_;  // where the files go (file_options_.filesystem)
  std::vector<dataset::PartitionKeys::Group> groups_;
  std::unordered_map<uint32_t, OpenFile> open_;
  size_t open_limit_ = 1;             // max_open_files, within the process's descriptor limit
  uint64_t round_ = 0;                // the current round of a batch's partitions
  std::vector<uint64_t> round_of_;    // per partition: the last round it was in
  std::map<std::string, int64_t> next_index_;  // per directory: the next {i}
  uint64_t clock_ = 0;
  std::mutex mutex_;  // next_index_, written_ and the visitor, from tasks
  std::vector<WrittenFile> written_;
};

// The failure, saying how many files were completed before it.
Error with_completed(const Error& e, size_t completed) {
  return Error(e.kind(),
               e.message() + " (write_dataset: " + std::to_string(completed) +
                   (completed == 1 ? " file was" : " files were") + " completed before the failure)",
               e.context());
}

}  // namespace

std::vector<WrittenFile> write_dataset(RecordBatchReader& batches, const std::string& root,
                                       const DatasetWriteOptions& options) {
  DatasetWriter writer(batches.schema(), root, options);
  try {
    RecordBatch batch;
    while (batches.next(batch)) writer.write(batch);
    return writer.finish();
  } catch (const Error& e) {
    writer.abandon();
    throw with_completed(e, writer.completed());
  } catch (...) {
    writer.abandon();
    throw;
  }
}

namespace {

class TableSource final : public RecordBatchReader::Source {
 public:
  explicit TableSource(const Table& t) : table_(t) {}
  const Schema& schema() const override { return table_.schema; }
  bool next(RecordBatch& out) override {
    if (next_ >= table_.batches.size()) return false;
    out = table_.batches[next_++];
    return true;
  }
  const ScanCounts& counts() const override { return counts_; }

 private:
  const Table& table_;
  size_t next_ = 0;
  ScanCounts counts_;
};

}  // namespace

std::vector<WrittenFile> write_dataset(const Table& table, const std::string& root, const DatasetWriteOptions& options) {
  RecordBatchReader reader(std::make_unique<TableSource>(table));
  return write_dataset(reader, root, options);
}

}  // namespace parkett
