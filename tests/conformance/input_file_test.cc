// FileReader over a user's InputFile: the same data as from the path, reads only of byte
// ranges within the size, a filtered scan reading fewer bytes than a full one, and the
// input's failures as errors naming the input.
#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <stdexcept>

#include <random>

#include "arrays.h"
#include "corpus.h"
#include "expect_error.h"
#include "parkett/error.h"
#include "parkett/reader.h"
#include "parkett/writer.h"
#include "temp_dir.h"

namespace parkett {
namespace {

class StringInput : public InputFile {
 public:
  explicit StringInput(std::string bytes) : bytes_(std::move(bytes)) {}
  int64_t size() const override { return static_cast<int64_t>(bytes_.size()); }
  void read_at(int64_t offset, int64_t length, uint8_t* out) const override {
    if (fail_after >= 0 && reads.load() >= fail_after) throw std::runtime_error("the store is down");
    EXPECT_GE(offset, 0);
    EXPECT_LE(offset + length, size());
    ++reads;
    bytes += length;
    for (int64_t seen = largest.load(); length > seen && !largest.compare_exchange_weak(seen, length);) {
    }
    std::memcpy(out, bytes_.data() + offset, static_cast<size_t>(length));
  }
  std::string name() const override { return "store://bucket/file.parquet"; }
  mutable std::atomic<int64_t> reads{0}, bytes{0}, largest{0};
  int64_t fail_after = -1;

 private:
  std::string bytes_;
};

TEST(InputFile, ReadsTheSameAsThePathAndOnlyTheBytesAScanNeeds) {
  const std::string path = test::data_file("alltypes_tiny_pages_plain.parquet");
  const auto input = std::make_shared<StringInput>(test::read_file(path));
  const FileReader from_input = FileReader::open(input);
  EXPECT_EQ(from_input.name(), "store://bucket/file.parquet");
  EXPECT_EQ(test::table_difference(FileReader::open(path).read_table(), from_input.read_table()), "");
  const int64_t full = input->bytes.load();
  input->bytes = 0;
  ReadOptions o;
  o.filter = col("id") == 100;
  EXPECT_EQ(from_input.read_table(o).num_rows(), 1);
  // The page index (about 100 kB for 13 columns of 325 pages) and a few pages of 110 bytes.
  EXPECT_LT(input->bytes.load() * 4, full);
}

// A batch scan fetches each column chunk a window at a time (stream_read_size), not whole;
// windows of different columns close enough are fetched in one read (coalesce_gap); and
// with stream_read_size 0 each chunk is one read. Every way gives the full read's rows.
class InputFileWritten : public test::TempDirTest {};

TEST_F(InputFileWritten, BatchScansFetchWindowsOfChunksCoalescedAcrossColumns) {
  std::mt19937_64 rng(17);
  const std::vector<Field> fields = {{"a", DataType(DataType::Id::Int64), false, {}},
                                     {"b", DataType(DataType::Id::Int64), true, {}},
                                     {"c", DataType(DataType::Id::Float64), true, {}}};
  std::vector<ArrayPtr> columns;
  for (const Field& f : fields) columns.push_back(test::random_array(f.type, f.nullable, 200000, 0.05, rng));
  WriteOptions w;
  w.dictionary = false;
  w.compression = CodecOptions{Compression::Uncompressed, std::nullopt};
  w.max_rows_per_page = 5000;  // pages of about 40 kB
  const std::string file = path("windows.parquet");
  write_table(test::table_of(fields, columns), file, w);
  const auto input = std::make_shared<StringInput>(test::read_file(file));
  const FileReader r = FileReader::open(input);
  ASSERT_EQ(r.metadata().num_row_groups(), 1);
  int64_t chunks = 0, largest_chunk = 0;  // bytes
  for (int32_t c = 0; c < 3; ++c) {
    chunks += r.metadata().row_group(0).column(c).total_compressed_size();
    largest_chunk = std::max(largest_chunk, r.metadata().row_group(0).column(c).total_compressed_size());
  }
  ASSERT_GT(largest_chunk, 1000000);
  const Table full = FileReader::open(file).read_table();
  struct Scan {
    int64_t reads, bytes, largest;
  };
  auto scan = [&](int64_t window, int64_t gap) {
    ReadOptions o;
    o.batch_size = 7000;
    o.stream_read_size = window;
    o.coalesce_gap = gap;
    input->reads = input->bytes = input->largest = 0;
    RecordBatchReader batches = r.batches(o);
    Table t;
    t.schema = batches.schema();
    for (RecordBatch b; batches.next(b);) t.batches.push_back(b);
    EXPECT_EQ(test::table_difference(full, t), "") << "windows of " << window << ", gap " << gap;
    EXPECT_EQ(batches.counts().bytes_read, input->bytes.load());
    return Scan{input->reads.load(), input->bytes.load(), input->largest.load()};
  };
  // Windows of 100 kB: no read is much larger than a window (pages of 40 kB are whole in
  // it), every chunk byte is read, few twice (a page cut by a window's end is read again).
  const Scan windows = scan(100000, 0);
  EXPECT_LE(windows.largest, 100000);
  EXPECT_GE(windows.bytes, chunks);
  EXPECT_LT(windows.bytes, chunks * 13 / 10);
  EXPECT_GE(windows.reads, chunks / 100000);
  // The three columns' windows lie a chunk apart: a gap larger than a chunk merges them.
  const Scan merged = scan(100000, 4 * largest_chunk);
  EXPECT_LT(merged.reads * 2, windows.reads);
  // Whole chunks: the three lie side by side, so one read fetches them.
  const Scan whole = scan(0, 0);
  EXPECT_EQ(whole.reads, 1);
  EXPECT_EQ(whole.bytes, chunks);
  // The store failing in the middle of the scan: an Io error naming it, after some batches.
  input->reads = 0;
  input->fail_after = 20;
  ReadOptions o;
  o.batch_size = 7000;
  o.stream_read_size = 100000;
  RecordBatchReader batches = r.batches(o);
  int64_t rows = 0;
  try {
    for (RecordBatch b; batches.next(b);) rows += b.num_rows;
    ADD_FAILURE() << "the scan did not fail";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Io);
    EXPECT_EQ(e.context().file, "store://bucket/file.parquet");
    EXPECT_NE(std::string(e.what()).find("the store is down"), std::string::npos) << e.what();
  }
  EXPECT_GT(rows, 0);
  EXPECT_LT(rows, 200000);
  input->fail_after = -1;
  ReadOptions bad;
  bad.stream_read_size = -1;
  EXPECT_ERROR(r.batches(bad), ErrorKind::InvalidArgument, "stream_read_size");
}

// A filtered batch scan fetching whole chunks (stream_read_size 0), as scans of high-latency
// storage do: each batch's selection asks for the pages it needs, all of them in one round
// (read_many), and no page a selection skips is read. (Whole-chunk fetching once took only
// the first batch's pages and decoded the others from unread bytes.)
class HighLatencyInput : public StringInput {
 public:
  using StringInput::StringInput;
  bool high_latency() const override { return true; }
  void read_many(std::span<const Range> ranges) const override {
    ++rounds;
    StringInput::read_many(ranges);
  }
  mutable std::atomic<int64_t> rounds{0};
};

TEST_F(InputFileWritten, FilteredBatchScansOfWholeChunksReadEachBatchsPages) {
  std::vector<int64_t> ids(200000);
  for (size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<int64_t>(i);
  std::mt19937_64 rng(5);
  const Table t = test::table_of({{"id", DataType(DataType::Id::Int64), false, {}}, {"v", DataType(DataType::Id::Float64), true, {}}},
                                 {test::array_of(DataType(DataType::Id::Int64), ids),
                                  test::random_array(DataType(DataType::Id::Float64), true, 200000, 0.1, rng)});
  WriteOptions w;
  w.compression = CodecOptions{Compression::Uncompressed, std::nullopt};
  w.dictionary = false;
  w.max_rows_per_page = 1000;
  write_table(t, path(), w);
  ScanOptions scan;
  scan.filter = Expression::parse("id BETWEEN 10000 AND 30000 OR id BETWEEN 150000 AND 150500");
  scan.batch_size = 3000;
  const Table expected = FileReader::open(path()).read_table(scan);
  ASSERT_EQ(expected.num_rows(), 20001 + 501);
  auto drain = [&](const FileReader& r, const ScanOptions& o) {
    RecordBatchReader batches = r.batches(o);
    Table got;
    got.schema = batches.schema();
    for (RecordBatch b; batches.next(b);) got.batches.push_back(b);
    return got;
  };
  const auto plain = std::make_shared<StringInput>(test::read_file(path()));
  ScanOptions whole = scan;
  whole.stream_read_size = 0;
  const FileReader p = FileReader::open(plain);
  plain->bytes = 0;


  EXPECT_EQ(test::table_difference(expected, drain(p, whole)), "");
  // About 20,500 of 200,000 rows: a little more than a tenth of the pages.
  EXPECT_LT(plain->bytes.load(), static_cast<int64_t>(std::filesystem::file_size(path()) / 5));
  const auto remote = std::make_shared<HighLatencyInput>(test::read_file(path()));
  const FileReader r = FileReader::open(remote);
  remote->bytes = 0;
  remote->rounds = 0;
  EXPECT_EQ(test::table_difference(expected, drain(r, scan)), "");
  // High latency: pages up to a megabyte apart come in one read (here nearly every byte),
  // two rounds (filter column, then the other) per batch with selected rows.
  EXPECT_LE(remote->rounds.load(), 2 * (20001 / 3000 + 5) + 2);
}

TEST(InputFile, FailuresAreIoErrorsNamingTheInput) {
  const auto input = std::make_shared<StringInput>(test::read_file(test::data_file("alltypes_plain.parquet")));
  const FileReader r = FileReader::open(input);  // the footer is read: one read
  input->fail_after = input->reads.load();
  EXPECT_ERROR(r.read_table(), ErrorKind::Io, "the store is down");
  try {
    r.read_table();
  } catch (const Error& e) {
    EXPECT_EQ(e.context().file, "store://bucket/file.parquet");
  }
  // A batch scan too (a later fetch failing: InputFileWritten below).
  ReadOptions o;
  o.batch_size = 1;
  EXPECT_ERROR(([&] {
                 RecordBatchReader batches = r.batches(o);
                 for (RecordBatch b; batches.next(b);) {
                 }
               }()),
               ErrorKind::Io, "the store is down");
  EXPECT_ERROR(FileReader::open(std::shared_ptr<const InputFile>()), ErrorKind::InvalidArgument, "no input file");
}

}  // namespace
}  // namespace parkett
