// Parquet files read from plain HTTP(S) URLs: unsigned range GETs. The web server is the
// test S3 server (moto serves objects at http://host/bucket/key to anyone), reached through
// the test proxy, which records what was asked and can act as a server without ranges.
#include <gtest/gtest.h>

#include <regex>

#include "arrays.h"
#include "corpus.h"
#include "expect_error.h"
#include "parkett/dataset.h"
#include "parkett/filesystem.h"
#include "parkett/reader.h"
#include "parkett/writer.h"
#include "run_cli.h"
#include "s3_server.h"

namespace parkett {
namespace {

using test::FaultProxy;

class Http : public test::S3Test {
 protected:
  // Puts a local file with boto3, readable by anyone; returns its URL on `endpoint` (the
  // server or a proxy).
  std::string put(const std::string& local, const std::string& key, const std::string& endpoint) {
    test::boto3("s3.upload_file(sys.argv[1], sys.argv[2], sys.argv[3], ExtraArgs={'ACL': 'public-read'})",
                {local, bucket_, key});
    return endpoint + "/" + bucket_ + "/" + key;
  }
  static FaultProxy::Action forward(int, const std::string&) { return FaultProxy::Action::Forward; }
};

// Corpus files read from URLs as from disk, with unsigned requests: no Authorization header
// and no AWS headers, a Range on every GET after the first (which asks for the tail).
TEST_F(Http, CorpusFilesReadAsFromDisk) {
  FaultProxy proxy(forward);
  for (const char* name : {"alltypes_plain.parquet", "nested_lists.snappy.parquet", "datapage_v2.snappy.parquet"}) {
    SCOPED_TRACE(name);
    const std::string url = put(test::data_file(name), std::string("c/") + name, proxy.endpoint());
    const FileReader remote = FileReader::open(url);
    EXPECT_EQ(remote.name(), url);
    EXPECT_EQ(test::table_difference(FileReader::open(test::data_file(name)).read_table(), remote.read_table()), "");
  }
  const std::vector<std::string> heads = proxy.heads();
  ASSERT_FALSE(heads.empty());
  for (const std::string& head : heads) {
    EXPECT_EQ(head.find("Authorization:"), std::string::npos) << head;
    EXPECT_EQ(head.find("X-Amz-"), std::string::npos) << head;
    EXPECT_TRUE(head.starts_with("GET /" + bucket_ + "/c/")) << head;
    EXPECT_TRUE(std::regex_search(head, std::regex("\r\nRange: bytes=[0-9]*-[0-9]+\r\n"))) << head;
  }
}

// A filtered read of a file with a page index fetches only some of it, and gives the rows
// a local read gives.
TEST_F(Http, FilteredReadsFetchPartOfTheFile) {
  std::vector<int64_t> sequence(200000);
  for (size_t i = 0; i < sequence.size(); ++i) sequence[i] = static_cast<int64_t>(i);
  const Table t = test::table_of({test::field("a", DataType(DataType::Id::Int64))},
                                 {test::array_of(DataType(DataType::Id::Int64), sequence)});
  WriteOptions w;
  w.row_group_rows = 50000;
  w.max_rows_per_page = 2000;
  w.compression = {Compression::Uncompressed, {}};
  write_table(t, path(), w);
  FaultProxy proxy(forward);
  const std::string url = put(path(), "f.parquet", proxy.endpoint());
  ScanOptions scan;
  scan.filter = Expression::parse("a BETWEEN 120000 AND 121999");
  ScanCounts local_counts, remote_counts;
  const Table local = FileReader::open(path()).read_table(scan, local_counts);
  const Table remote = FileReader::open(url).read_table(scan, remote_counts);
  // After the tail, range GETs of the object seen at open (If-Match its ETag), unsigned.
  const std::vector<std::string> heads = proxy.heads();
  ASSERT_GT(heads.size(), 1u);
  EXPECT_NE(heads[0].find("\r\nRange: bytes=-65536\r\n"), std::string::npos) << heads[0];
  for (size_t i = 1; i < heads.size(); ++i) {
    EXPECT_TRUE(std::regex_search(heads[i], std::regex("\r\nRange: bytes=[0-9]+-[0-9]+\r\n"))) << heads[i];
    EXPECT_TRUE(std::regex_search(heads[i], std::regex("\r\nIf-Match: \"[0-9a-f]+\"\r\n"))) << heads[i];
    EXPECT_EQ(heads[i].find("Authorization"), std::string::npos) << heads[i];
  }
  EXPECT_EQ(local.num_rows(), 2000);
  EXPECT_EQ(test::table_difference(local, remote), "");
  EXPECT_EQ(remote_counts.row_groups_skipped, 3);
  EXPECT_GT(remote_counts.pages_skipped, 0);
  // The read needs the footer (in the first request's 64 KiB) and pages of one row group of
  // four: over a network with latency, pages up to 1 MiB apart come in one request.
  EXPECT_LT(remote_counts.bytes_read, static_cast<int64_t>(std::filesystem::file_size(path()) / 4) + 65536);
}

// A server that ignores Range sends the whole file to the first request; the file is read
// from that, with no further request.
TEST_F(Http, ServerWithoutRangesSendsTheWholeFile) {
  FaultProxy proxy([](int, const std::string&) { return FaultProxy::Action::IgnoreRange; });
  const std::string name = "data_index_bloom_encoding_stats.parquet";
  const std::string url = put(test::data_file(name), name, proxy.endpoint());
  const Table remote = FileReader::open(url).read_table();
  EXPECT_EQ(test::table_difference(FileReader::open(test::data_file(name)).read_table(), remote), "");
  EXPECT_EQ(proxy.requests(), 1);
}

// A redirect is followed to where the bytes are.
TEST_F(Http, RedirectsAreFollowed) {
  FaultProxy proxy([](int, const std::string&) { return FaultProxy::Action::Redirect; });
  const std::string name = "alltypes_plain.parquet";
  const std::string url = put(test::data_file(name), name, proxy.endpoint());
  EXPECT_EQ(test::table_difference(FileReader::open(test::data_file(name)).read_table(), FileReader::open(url).read_table()), "");
  EXPECT_GT(proxy.requests(), 0);
}

// Datasets of URLs, the command line, and what HTTP cannot do.
TEST_F(Http, DatasetsCommandLineAndLimits) {
  const std::string local = test::data_file("alltypes_plain.parquet");
  const std::string a = put(local, "d/a.parquet", test::s3_endpoint());
  const std::string b = put(local, "d/b.parquet", test::s3_endpoint());
  const Dataset ds = Dataset::open(std::vector<std::string>{a, b});
  EXPECT_EQ(ds.read_table().num_rows(), 2 * FileReader::open(local).metadata().num_rows());

  const test::CliResult from_disk = test::sh("PARKETT cat " + local);
  const test::CliResult from_url = test::sh("PARKETT cat '" + a + "?source=test'");
  ASSERT_EQ(from_disk.code, 0) << from_disk.out;
  EXPECT_EQ(from_url.code, 0) << from_url.out;
  EXPECT_EQ(from_url.out, from_disk.out);

  // A missing file is NotFound, named without the query (a presigned URL's signature).
  const std::string missing = test::s3_endpoint() + "/" + bucket_ + "/d/missing.parquet";
  EXPECT_ERROR(FileReader::open(missing + "?token=secret-value"), ErrorKind::NotFound, "HTTP 404");
  try {
    FileReader::open(missing + "?token=secret-value");
    ADD_FAILURE() << "a missing file opened";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(missing), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find("secret-value"), std::string::npos) << e.what();
  }
  const test::CliResult cli_missing = test::sh("PARKETT schema '" + missing + "?token=secret-value'");
  EXPECT_EQ(cli_missing.code, 1);
  EXPECT_NE(cli_missing.out.find(missing + ": GET of the last 65536 bytes failed: HTTP 404"), std::string::npos)
      << cli_missing.out;
  EXPECT_EQ(cli_missing.out.find("secret-value"), std::string::npos) << cli_missing.out;

  // The format of a URL comes from its path, before the query.
  const test::CliResult converted = test::sh("PARKETT convert '" + a + "?token=secret-value' " + path("a.jsonl"));
  EXPECT_EQ(converted.code, 0) << converted.out;
  EXPECT_EQ(test::sh("cat " + path("a.jsonl")).out, test::sh("PARKETT convert " + local + " " + path("b.jsonl") + " && cat " + path("b.jsonl")).out);

  const Table t = FileReader::open(local).read_table();
  EXPECT_ERROR(write_table(t, test::s3_endpoint() + "/" + bucket_ + "/w.parquet"), ErrorKind::Unsupported, "cannot write");
  EXPECT_ERROR(http_filesystem()->list(a), ErrorKind::Unsupported, "cannot list");
  EXPECT_ERROR(FileReader::open("http://user:pw@127.0.0.1:1/x.parquet"), ErrorKind::InvalidArgument, "user names and passwords");
  EXPECT_EQ(http_filesystem()->kind(a), FileSystem::Kind::File);
  EXPECT_EQ(http_filesystem()->kind(missing), FileSystem::Kind::None);
}

}  // namespace
}  // namespace parkett
