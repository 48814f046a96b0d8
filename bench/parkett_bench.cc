// parkett-bench: timing of parkett operations for bench/*.sh, one JSON line per run.
//   parkett-bench footer FILE [--repeat K] [--columns a,b,c]
//   parkett-bench read FILE [--repeat K] [--threads N] [--columns a,b] [--key KEY]
//   parkett-bench write FILE [--codec C[:LEVEL]] [--threads N] [--repeat K] [--columns a,b] [--out PATH]
//                     [--encrypt gcm|gcm-ctr]
// (--key: the footer key of a uniformly encrypted FILE; --encrypt: write uniformly
// encrypted with a fixed 128-bit footer key, as `parkett convert --encrypt-footer-key`.)
//   parkett-bench scan FILE|DIR|GLOB [--where EXPR] [--threads N] [--repeat K] [--columns a,b]
//   parkett-bench stream FILE [--batch-size N] [--threads N]
// FILE, DIR and --out may be s3:// or http(s):// URLs (S3 settings from the AWS environment):
// scan and write then also print the requests sent and the bytes fetched or sent (of the
// last run), stream prints them for its one run.
// footer: the file's footer is read into memory once; then, K times after a warm-up, it is
// decoded: fully (every column chunk) or, with --columns, lazily plus the chunk metadata of
// those columns in every row group.
#include <algorithm>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "parkett/dataset.h"
#include "parkett/error.h"
#include "parkett/expression.h"
#include "parkett/filesystem.h"
#include "parkett/reader.h"
#include "parkett/writer.h"

namespace {

using Clock = std::chrono::steady_clock;

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string part;
  while (std::getline(ss, part, ',')) out.push_back(part);
  return out;
}

int footer(const std::string& file, int repeat, const std::vector<std::string>& columns) {
  parkett::FileReader reader = parkett::FileReader::open(file);
  const std::string footer = reader.metadata().serialized();
  std::vector<int32_t> indices;
  for (const auto& c : columns) {
    int32_t i = reader.metadata().schema().find_column(c);
    if (i < 0) throw parkett::Error(parkett::ErrorKind::InvalidArgument, "no column " + c);
    indices.push_back(i);
  }
  int64_t sink = 0;
  // The decoded footer is freed after the clock stops: opening is measured, not closing.
  // Memory freed by one run is reused by the next, as in a process that opens many files.
  parkett::FileMetadata md;
  auto once = [&] {
    parkett::FooterOptions opts;
    opts.lazy = !columns.empty();
    md = parkett::FileMetadata::parse(footer, opts);
    if (columns.empty()) {
      sink += md.decoded_column_chunks();
    } else {
      for (int32_t g = 0; g < md.num_row_groups(); ++g) {
        for (int32_t c : indices) sink += md.row_group(g).column(c).num_values();
      }
    }
  };
  once();  // warm-up
  std::vector<double> us;
  for (int i = 0; i < repeat; ++i) {
    md = parkett::FileMetadata();
    auto t0 = Clock::now();
    once();
    us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
  }
  std::sort(us.begin(), us.end());
  const parkett::FileMetadata& opened = reader.metadata();
  std::cout << "{\"columns\":" << opened.num_columns() << ",\"row_groups\":" << opened.num_row_groups()
            << ",\"footer_bytes\":" << footer.size() << ",\"mode\":\""
            << (columns.empty() ? "full" : "lazy+" + std::to_string(columns.size()))
            << "\",\"us_median\":" << us[us.size() / 2] << ",\"us_min\":" << us.front()
            << ",\"sink\":" << (sink % 7) << "}\n";
  return 0;
}

// Runs `once` as a warm-up, then `repeat` timed times; the times in seconds, sorted.
template <class F>
std::vector<double> timed_runs(int repeat, F&& once) {
  once();
  std::vector<double> seconds;
  for (int i = 0; i < repeat; ++i) {
    auto t0 = Clock::now();
    once();
    seconds.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
  }
  std::sort(seconds.begin(), seconds.end());
  return seconds;
}

// What remote stores were sent and asked for since `before`.
parkett::TransferCounts since(const parkett::TransferCounts& before) {
  const parkett::TransferCounts now = parkett::remote_transfer_counts();
  return {now.requests - before.requests, now.bytes_received - before.bytes_received, now.bytes_sent - before.bytes_sent};
}

// The size of a local or remote file.
int64_t size_of(const std::string& path) { return parkett::filesystem_for(path)->open_input(path, 1)->size(); }

int64_t bytes_of(const parkett::ArrayData& a) {
  int64_t n = 0;
  for (const auto& b : a.buffers) n += b ? static_cast<int64_t>(b->size()) : 0;
  for (const auto& c : a.children) n += bytes_of(*c);
  return n;
}

// read: the file is read into memory once; then, K times after a warm-up, every selected
// column of every row group is decoded into Arrow arrays.
int read(const std::string& file, int repeat, const std::vector<std::string>& columns, int threads,
         const std::string& key) {
  std::ifstream in(file, std::ios::binary);
  auto bytes = std::make_shared<std::string>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  parkett::ReadOptions options;
  if (!key.empty()) {
    auto d = std::make_shared<parkett::DecryptionProperties>();
    d->footer_key = key;
    options.decryption = d;
  }
  options.columns = columns;
  options.threads = threads;
  int64_t rows = 0, decoded = 0;
  auto once = [&] {
    parkett::Table t = parkett::FileReader::open_buffer(bytes, options, file).read_table();
    rows = t.num_rows();
    decoded = 0;
    for (const auto& b : t.batches) {
      for (const auto& c : b.columns) decoded += bytes_of(*c);
    }
  };
  const std::vector<double> seconds = timed_runs(repeat, once);
  std::cout << "{\"rows\":" << rows << ",\"bytes_decoded\":" << decoded << ",\"threads\":" << threads
            << ",\"seconds_median\":" << seconds[seconds.size() / 2] << ",\"seconds_min\":" << seconds.front()
            << "}\n";
  return 0;
}

// stream: the file is opened by path and read once, as batches of BATCH rows from
// FileReader::batches() (or, with --batch-size 0, whole with read_table); prints the peak
// resident memory of the process, the figure a streaming reader bounds.
int stream(const std::string& file, int64_t batch_size, int threads) {
  parkett::ReadOptions options;
  options.threads = threads;
  options.batch_size = batch_size;
  int64_t rows = 0;
  const auto start = std::chrono::steady_clock::now();
  parkett::FileReader reader = parkett::FileReader::open(file, options);
  if (batch_size > 0) {
    parkett::RecordBatchReader batches = reader.batches();
    for (parkett::RecordBatch b; batches.next(b);) rows += b.num_rows;
  } else {
    rows = reader.read_table().num_rows();
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  std::cout << "{\"rows\":" << rows << ",\"batch_size\":" << batch_size << ",\"threads\":" << threads
            << ",\"seconds\":" << seconds << ",\"peak_rss_mb\":" << usage.ru_maxrss / 1024 << "}\n";
  return 0;
}

// write: the file is read into memory once; then, K times after a warm-up, the table is
// written with default options (and the codec given) to a temporary file beside it.
int write(const std::string& file, int repeat, const std::string& codec, int threads,
          const std::vector<std::string>& columns, std::string out, const std::string& encrypt) {
  parkett::ReadOptions read_options;
  read_options.columns = columns;
  const parkett::Table table = parkett::read_table(file, read_options);
  parkett::WriteOptions options;
  if (!codec.empty()) options.compression = parkett::parse_codec(codec);
  options.threads = threads;
  if (!encrypt.empty()) {
    if (encrypt != "gcm" && encrypt != "gcm-ctr") throw std::runtime_error("--encrypt takes gcm or gcm-ctr");
    auto p = std::make_shared<parkett::EncryptionProperties>();
    p->footer_key = "0123456789012345";
    p->footer_key_metadata = "bench";
    p->algorithm = encrypt == "gcm" ? parkett::EncryptionAlgorithm::AesGcmV1 : parkett::EncryptionAlgorithm::AesGcmCtrV1;
    options.encryption = p;
  }
  if (out.empty()) out = file + ".parkett-bench-write.parquet";
  int64_t written = 0;  // after the runs: a remote file's size costs a request
  parkett::TransferCounts moved;
  auto once = [&] {
    const parkett::TransferCounts before = parkett::remote_transfer_counts();
    parkett::write_table(table, out, options);
    moved = since(before);
  };
  const std::vector<double> seconds = timed_runs(repeat, once);
  written = size_of(out);
  if (out.find("://") == std::string::npos) std::remove(out.c_str());
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  std::cout << "{\"rows\":" << table.num_rows() << ",\"bytes_written\":" << written << ",\"threads\":" << threads
            << ",\"requests\":" << moved.requests << ",\"bytes_sent\":" << moved.bytes_sent
            << ",\"seconds_median\":" << seconds[seconds.size() / 2] << ",\"seconds_min\":" << seconds.front()
            << ",\"peak_rss_mb\":" << usage.ru_maxrss / 1024 << "}\n";
  return 0;
}

// scan: K times after a warm-up, the file is opened (from the page cache, as the peers
// read it) and the rows where EXPR holds are read: row groups and pages skipped by
// statistics, bloom filters and the page index, the rest filtered.
int scan(const std::string& file, int repeat, const std::string& where, const std::vector<std::string>& columns,
         int threads) {
  parkett::ReadOptions options;
  options.columns = columns;
  options.threads = threads;
  if (!where.empty()) options.filter = parkett::Expression::parse(where);
  int64_t rows = 0;
  parkett::ScanCounts counts;
  // A directory or a glob is a dataset (hive partitions detected), opened anew each run.
  std::error_code ec;
  const bool dataset = file.find_first_of("*?") != std::string::npos || std::filesystem::is_directory(file, ec);
  parkett::TransferCounts moved;
  auto once = [&] {
    const parkett::TransferCounts before = parkett::remote_transfer_counts();
    struct Tally {
      parkett::TransferCounts& moved;
      const parkett::TransferCounts& before;
      ~Tally() { moved = since(before); }
    } tally{moved, before};
    if (dataset) {
      parkett::DatasetOptions open_options;
      open_options.threads = threads;
      parkett::RecordBatchReader batches = parkett::Dataset::open(file, open_options).scan(options);
      parkett::RecordBatch b;
      rows = 0;
      while (batches.next(b)) rows += b.num_rows;
      counts = batches.counts();
      return;
    }
    parkett::Table t = parkett::FileReader::open(file, options).read_table(options, counts);
    rows = t.num_rows();
  };
  const std::vector<double> seconds = timed_runs(repeat, once);
  std::cout << "{\"rows_out\":" << rows << ",\"row_groups_read\":" << counts.row_groups_read
            << ",\"row_groups_skipped\":" << counts.row_groups_skipped
            << ",\"row_groups_skipped_by_bloom_filter\":" << counts.row_groups_skipped_by_bloom_filter
            << ",\"row_groups_skipped_by_dictionary\":" << counts.row_groups_skipped_by_dictionary
            << ",\"row_groups_skipped_by_data_index\":" << counts.row_groups_skipped_by_data_index
            << ",\"pages_read\":" << counts.pages_read << ",\"pages_skipped\":" << counts.pages_skipped
            << ",\"bytes_read\":" << counts.bytes_read << ",\"files_read\":" << counts.files_read
            << ",\"files_skipped\":" << counts.files_skipped << ",\"requests\":" << moved.requests
            << ",\"bytes_fetched\":" << moved.bytes_received << ",\"threads\":" << threads
            << ",\"seconds_median\":" << seconds[seconds.size() / 2] << ",\"seconds_min\":" << seconds.front()
            << "}\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc >= 3 ? argv[1] : "";
  if (mode != "footer" && mode != "read" && mode != "write" && mode != "scan" && mode != "stream") {
    std::cerr << "usage: parkett-bench footer FILE [--repeat K] [--columns a,b,c]\n"
                 "       parkett-bench read FILE [--repeat K] [--threads N] [--columns a,b] [--key KEY]\n"
                 "       parkett-bench write FILE [--codec C[:LEVEL]] [--threads N] [--repeat K] [--columns a,b] [--out PATH]"
                 " [--encrypt gcm|gcm-ctr]\n"
                 "       parkett-bench scan FILE|DIR|GLOB [--where EXPR] [--threads N] [--repeat K] [--columns a,b]\n"
                 "       parkett-bench stream FILE [--batch-size N] [--threads N]\n";
    return 2;
  }
  std::string codec, where, out, key, encrypt;
  int threads = 1;
  std::string file = argv[2];
  int repeat = 20;
  std::vector<std::string> columns;
  int64_t batch_size = 65536;
  for (int i = 3; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--repeat" && i + 1 < argc) {
      repeat = std::max(1, std::atoi(argv[++i]));
    } else if (a == "--columns" && i + 1 < argc) {
      columns = split(argv[++i]);
    } else if (a == "--codec" && i + 1 < argc) {
      codec = argv[++i];
    } else if (a == "--out" && i + 1 < argc) {
      out = argv[++i];
    } else if (a == "--where" && i + 1 < argc) {
      where = argv[++i];
    } else if (a == "--batch-size" && i + 1 < argc) {
      batch_size = std::max<int64_t>(0, std::atoll(argv[++i]));
    } else if (a == "--key" && i + 1 < argc) {
      key = argv[++i];
    } else if (a == "--encrypt" && i + 1 < argc) {
      encrypt = argv[++i];
    } else if (a == "--threads" && i + 1 < argc) {
      threads = std::max(1, std::atoi(argv[++i]));
    } else {
      std::cerr << "parkett-bench: unknown argument " << a << "\n";
      return 2;
    }
  }
  try {
    if (mode == "write") return write(file, repeat, codec, threads, columns, out, encrypt);
    if (mode == "scan") return scan(file, repeat, where, columns, threads);
    if (mode == "stream") return stream(file, batch_size, threads);
    return mode == "read" ? read(file, repeat, columns, threads, key) : footer(file, repeat, columns);
  } catch (const std::exception& e) {
    std::cerr << "parkett-bench: " << e.what() << "\n";
    return 1;
  }
}
