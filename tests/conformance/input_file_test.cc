// FileReader over a user's InputFile: the same data as from the path, reads only of byte
// ranges within the size, a filtered scan reading fewer bytes than a full one, and the
// input's failures as errors naming the input.
#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <stdexcept>

#include "arrays.h"
#include "corpus.h"
#include "expect_error.h"
#include "parkett/error.h"
#include "parkett/reader.h"

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
    std::memcpy(out, bytes_.data() + offset, static_cast<size_t>(length));
  }
  std::string name() const override { return "store://bucket/file.parquet"; }
  mutable std::atomic<int64_t> reads{0}, bytes{0};
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
  EXPECT_ERROR(FileReader::open(std::shared_ptr<const InputFile>()), ErrorKind::InvalidArgument, "no input file");
}

}  // namespace
}  // namespace parkett
