// Small files that decode to a lot: memory running out is Error(ResourceLimit) naming the
// file, row group and column, never std::bad_alloc or a crash. The file is made here, page
// by page: a dictionary of one 1 MiB string and 1,000 rows that all point at it (about
// 1 GiB once decoded, from 2 KiB of compressed pages).
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

#include "crafted.h"
#include "format/serde.h"
#include "parkett/error.h"
#include "parkett/reader.h"

namespace parkett {
namespace {

std::string amplifying_file(int32_t rows, int32_t entry_size) {
  std::string file = "PAR1";
  const int64_t chunk_start = static_cast<int64_t>(file.size());
  // Dictionary page: one PLAIN BYTE_ARRAY value.
  std::string dict_body(4, '\0');
  std::memcpy(dict_body.data(), &entry_size, 4);
  dict_body += std::string(static_cast<size_t>(entry_size), 'x');
  format::PageHeader dict;
  dict.type = format::PageType::DICTIONARY_PAGE;
  dict.uncompressed_page_size = static_cast<int32_t>(dict_body.size());
  dict.compressed_page_size = dict.uncompressed_page_size;
  dict.dictionary_page_header = format::DictionaryPageHeader{1, format::Encoding::PLAIN, std::nullopt};
  format::serialize(dict, file);
  file += dict_body;
  // Data page: a required column, indices of bit width 0 in one RLE run of `rows`.
  const int64_t data_offset = static_cast<int64_t>(file.size());
  const std::string data_body = std::string(1, '\0') + test::varint(static_cast<uint64_t>(rows) << 1);  // bit width 0, one RLE run
  format::PageHeader data;
  data.type = format::PageType::DATA_PAGE;
  data.uncompressed_page_size = static_cast<int32_t>(data_body.size());
  data.compressed_page_size = data.uncompressed_page_size;
  data.data_page_header = format::DataPageHeader{rows, format::Encoding::RLE_DICTIONARY, format::Encoding::RLE,
                                                 format::Encoding::RLE, std::nullopt};
  format::serialize(data, file);
  file += data_body;
  const int64_t chunk_size = static_cast<int64_t>(file.size()) - chunk_start;

  format::FileMetaData md = test::metadata_with_root(1);
  format::SchemaElement s;
  s.name = "s";
  s.type = format::Type::BYTE_ARRAY;
  s.repetition_type = format::FieldRepetitionType::REQUIRED;
  s.converted_type = format::ConvertedType::UTF8;
  md.schema.push_back(s);
  md.num_rows = rows;
  format::ColumnMetaData cmd;
  cmd.type = format::Type::BYTE_ARRAY;
  cmd.encodings = {format::Encoding::PLAIN, format::Encoding::RLE_DICTIONARY};
  cmd.path_in_schema = {"s"};
  cmd.codec = format::CompressionCodec::UNCOMPRESSED;
  cmd.num_values = rows;
  cmd.total_uncompressed_size = chunk_size;
  cmd.total_compressed_size = chunk_size;
  cmd.dictionary_page_offset = chunk_start;
  cmd.data_page_offset = data_offset;
  format::ColumnChunk cc;
  cc.file_offset = chunk_start;
  cc.meta_data = cmd;
  format::RowGroup rg;
  rg.columns = {cc};
  rg.num_rows = rows;
  rg.total_byte_size = chunk_size;
  md.row_groups = {rg};
  return test::with_trailer(std::move(file), md);
}

TEST(ResourceLimits, TheCraftedFileReadsWhenMemoryAllows) {
  // The same shape, small: 10 rows of a 1 KiB entry, so the file is what the test says.
  auto bytes = std::make_shared<const std::string>(amplifying_file(10, 1024));
  Table t = FileReader::open_buffer(bytes, {}, "small.parquet").read_table();
  ASSERT_EQ(t.num_rows(), 10);
  const ArrayData& s = *t.batches.at(0).columns.at(0);
  EXPECT_EQ(s.buffers.at(1)->as<int32_t>()[10], 10 * 1024);
}

#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
TEST(ResourceLimits, RunningOutOfMemoryIsAResourceLimitError) {
  const std::string bytes = amplifying_file(1000, 1 << 20);
  ASSERT_LT(bytes.size(), size_t{2} << 20);
  // In a child whose address space is capped at 512 MiB (sanitizers reserve far more, so
  // they skip this test).
  const pid_t pid = fork();
  if (pid == 0) {
    rlimit limit{size_t{512} << 20, size_t{512} << 20};
    setrlimit(RLIMIT_AS, &limit);
    int code = 10;
    try {
      ReadOptions one_thread;
      one_thread.threads = 1;
      FileReader::open_buffer(std::make_shared<const std::string>(bytes), one_thread, "amplify.parquet").read_table();
      code = 11;  // decoded 1 GiB within 512 MiB: impossible
    } catch (const Error& e) {
      const std::string what = e.what();
      const bool named = what.find("amplify.parquet") != std::string::npos &&
                         what.find("row group 0") != std::string::npos && what.find("column s") != std::string::npos;
      code = e.kind() == ErrorKind::ResourceLimit && named ? 0 : 12;
    } catch (...) {
      code = 13;  // std::bad_alloc escaped
    }
    _exit(code);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status)) << "killed by signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 0) << "10: no error, 11: read, 12: wrong kind or context, 13: bad_alloc";
}
#endif

}  // namespace
}  // namespace parkett
