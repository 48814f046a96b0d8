// Parquet on S3 against a real S3 API (moto_server on 127.0.0.1), with boto3 as the
// independent client that puts the objects parkett reads and inspects the ones it writes,
// and a proxy that makes requests fail on purpose.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <regex>
#include <set>

#include "arrays.h"
#include "corpus.h"
#include "expect_error.h"
#include "parkett/dataset.h"
#include "parkett/encryption.h"
#include "parkett/filesystem.h"
#include "parkett/reader.h"
#include "parkett/writer.h"
#include "run_cli.h"
#include "s3_server.h"

namespace parkett {
namespace {

using test::FaultProxy;

// A table of `rows` rows that is about 16 bytes a row uncompressed.
Table numbers(int64_t rows, uint64_t seed) {
  std::mt19937_64 rng(seed);
  return test::table_of({test::field("a", DataType(DataType::Id::Int64)), test::field("b", DataType(DataType::Id::Float64))},
                        {test::random_array(DataType(DataType::Id::Int64), true, rows, 0.1, rng),
                         test::random_array(DataType(DataType::Id::Float64), false, rows, 0.0, rng)});
}

// numbers() with a column `name` of base + row % distinct: partition keys.
Table numbers_keyed(int64_t rows, uint64_t seed, const std::string& name, int64_t base, int64_t distinct) {
  std::vector<int64_t> keys(static_cast<size_t>(rows));
  for (size_t i = 0; i < keys.size(); ++i) keys[i] = base + static_cast<int64_t>(i) % distinct;
  Table t = numbers(rows, seed);
  t.schema.fields.push_back(test::field(name, DataType(DataType::Id::Int64)));
  t.batches[0].columns.push_back(test::array_of(DataType(DataType::Id::Int64), keys));
  return t;
}

class S3 : public test::S3Test {
 protected:
  ReadOptions read_options() const {
    ReadOptions o;
    o.s3 = options();
    return o;
  }
  WriteOptions write_options() const {
    WriteOptions o;
    o.s3 = options();
    o.compression = {Compression::Uncompressed, {}};
    return o;
  }
  void put_file(const std::string& local, const std::string& key) {
    test::boto3("s3.upload_file(sys.argv[1], sys.argv[2], sys.argv[3])", {local, bucket_, key});
  }
  void get_file(const std::string& key, const std::string& local) {
    test::boto3("s3.download_file(sys.argv[1], sys.argv[2], sys.argv[3])", {bucket_, key, local});
  }
  std::string keys() {
    return test::boto3(
        "p = s3.get_paginator('list_objects_v2')\n"
        "print(','.join(o['Key'] for page in p.paginate(Bucket=sys.argv[1]) for o in page.get('Contents', [])))",
        {bucket_});
  }
  std::string open_uploads() {
    return test::boto3("print(len(s3.list_multipart_uploads(Bucket=sys.argv[1]).get('Uploads', [])))", {bucket_});
  }
};

// Every corpus file boto3 puts reads from S3 as it reads from disk, whole and filtered.
TEST_F(S3, CorpusFilesReadAsFromDisk) {
  for (const char* name : {"alltypes_plain.parquet", "nested_lists.snappy.parquet", "data_index_bloom_encoding_stats.parquet",
                           "datapage_v2.snappy.parquet", "nulls.snappy.parquet"}) {
    SCOPED_TRACE(name);
    put_file(test::data_file(name), std::string("corpus/") + name);
    const Table local = FileReader::open(test::data_file(name)).read_table();
    const FileReader remote = FileReader::open(url(std::string("corpus/") + name), read_options());
    EXPECT_EQ(remote.name(), url(std::string("corpus/") + name));
    EXPECT_EQ(test::table_difference(local, remote.read_table()), "");
  }
}

// A file larger than the footer's tail read, with a page index: a filtered batch scan fetches
// only some pages, a row group's in two rounds whatever the batch size, and gives the rows a
// local scan gives.
TEST_F(S3, FilteredBatchScanMatchesLocal) {
  std::vector<int64_t> sequence(300000);
  for (size_t i = 0; i < sequence.size(); ++i) sequence[i] = static_cast<int64_t>(i);
  Table t = numbers(300000, 1);
  t = test::table_of({test::field("a", DataType(DataType::Id::Int64)), test::field("b", DataType(DataType::Id::Float64))},
                     {test::array_of(DataType(DataType::Id::Int64), sequence), t.batches[0].columns[1]});
  WriteOptions w;
  w.row_group_rows = 100000;
  w.max_rows_per_page = 5000;
  write_table(t, path(), w);
  put_file(path(), "big.parquet");
  ScanOptions scan;
  scan.filter = Expression::parse("a >= 123456 AND a < 131000 OR a = 250000");
  scan.batch_size = 7000;
  ScanCounts local_counts, remote_counts;
  const Table local = FileReader::open(path()).read_table(scan, local_counts);
  FaultProxy proxy([](int, const std::string&) { return FaultProxy::Action::Forward; });
  ReadOptions ro = read_options();
  ro.s3.endpoint_url = proxy.endpoint();
  const FileReader remote = FileReader::open(url("big.parquet"), ro);
  Table streamed;
  RecordBatchReader batches = remote.batches(scan);
  RecordBatch b;
  streamed.schema = batches.schema();
  while (batches.next(b)) {
    EXPECT_LE(b.num_rows, 7000);
    streamed.batches.push_back(b);
  }
  // The footer with the page index (one request), then for the two row groups of three with
  // rows to read, a round for the filter's column and one for the other (pages less than
  // 1 MiB apart come in one request); the last row group's dictionary is also read once
  // more by the dictionary filter, for `a = 250000`. Before row groups were decoded whole on
  // high-latency storage, each batch of 7000 rows took its own rounds.
  EXPECT_LE(proxy.requests(), 1 + 2 * 2 + 1);
  EXPECT_EQ(local.num_rows(), 131000 - 123456 + 1);
  EXPECT_EQ(test::table_difference(local, streamed), "");
  EXPECT_EQ(test::table_difference(local, remote.read_table(scan, remote_counts)), "");
  EXPECT_GT(remote_counts.pages_skipped, 0);
}

// Whole reads and unfiltered batch scans fetch each row group's chunks in one round of
// requests (adjacent chunks in one), the next row group's while this one decodes: one
// request for the footer, then one per row group, and not one per column.
TEST_F(S3, RowGroupsComeInOneRequestEach) {
  const Table t = numbers(100000, 7);
  WriteOptions w;
  w.row_group_rows = 25000;
  w.compression = {Compression::Uncompressed, {}};
  write_table(t, path(), w);
  put_file(path(), "groups.parquet");
  FaultProxy proxy([](int, const std::string&) { return FaultProxy::Action::Forward; });
  ReadOptions ro = read_options();
  ro.s3.endpoint_url = proxy.endpoint();
  ro.threads = 2;
  const FileReader remote = FileReader::open(url("groups.parquet"), ro);
  EXPECT_EQ(proxy.requests(), 1);
  EXPECT_EQ(test::table_difference(t, remote.read_table()), "");
  EXPECT_EQ(proxy.requests(), 1 + 4);
  ScanOptions scan;
  scan.batch_size = 10000;
  Table streamed;
  RecordBatchReader batches = remote.batches(scan);
  streamed.schema = batches.schema();
  for (RecordBatch b; batches.next(b);) streamed.batches.push_back(b);
  EXPECT_EQ(test::table_difference(t, streamed), "");
  EXPECT_EQ(proxy.requests(), 1 + 4 + 4);
  // Only the columns asked for: one request per row group still, for less.
  scan.columns = {"b"};
  ScanCounts counts;
  EXPECT_EQ(remote.read_table(scan, counts).num_rows(), 100000);
  EXPECT_EQ(proxy.requests(), 1 + 4 + 4 + 4);
  EXPECT_LT(counts.bytes_read, static_cast<int64_t>(std::filesystem::file_size(path()) * 6 / 10));
}

// A row group read ahead whose requests fail: the read fails with the store's error, named
// with the object, row group and column, in read_table and in a batch scan.
TEST_F(S3, FailedReadAheadIsReported) {
  WriteOptions w;
  w.row_group_rows = 25000;
  write_table(numbers(50000, 9), path(), w);
  put_file(path(), "groups.parquet");
  FaultProxy proxy([](int n, const std::string&) { return n == 0 ? FaultProxy::Action::Forward : FaultProxy::Action::InternalError500; });
  ReadOptions ro = read_options();
  ro.s3.endpoint_url = proxy.endpoint();
  ro.s3.max_retries = 1;
  const FileReader remote = FileReader::open(url("groups.parquet"), ro);
  // The two columns' chunks are read ahead in one request: a batch scan names no column.
  for (const bool whole : {true, false}) {
    try {
      if (whole) {
        remote.read_table();
      } else {
        RecordBatchReader batches = remote.batches();
        for (RecordBatch b; batches.next(b);) {
        }
      }
      ADD_FAILURE() << "the read did not fail";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::Io) << e.what();
      EXPECT_NE(std::string(e.what()).find("HTTP 500 InternalError"), std::string::npos) << e.what();
      EXPECT_EQ(e.context().file, url("groups.parquet"));
      EXPECT_EQ(e.context().row_group, 0);
      if (whole) {
        EXPECT_TRUE(e.context().column == "a" || e.context().column == "b") << e.what();
      }
    }
  }
}

// Writing: a file of one part goes up in one PUT; a larger one as a multipart upload of
// 5 MiB parts. boto3 downloads both and they read back as written; no upload is left open.
TEST_F(S3, WritesSmallAndMultipartObjects) {
  WriteOptions w = write_options();
  w.s3.part_size = int64_t{5} << 20;
  const Table small = numbers(1000, 2);
  write_table(small, url("small.parquet"), w);
  const Table big = numbers(1500000, 3);  // ~24 MB uncompressed: five parts
  const FileMetadata footer = write_table(big, url("dir/big.parquet"), w);
  EXPECT_EQ(footer.num_rows(), 1500000);
  EXPECT_EQ(keys(), "dir/big.parquet,small.parquet\n");
  EXPECT_EQ(open_uploads(), "0\n");
  get_file("small.parquet", path("small.parquet"));
  get_file("dir/big.parquet", path("big.parquet"));
  EXPECT_EQ(test::table_difference(small, FileReader::open(path("small.parquet")).read_table()), "");
  EXPECT_EQ(test::table_difference(big, FileReader::open(path("big.parquet")).read_table()), "");
  const std::string parts = test::boto3(
      "print(s3.head_object(Bucket=sys.argv[1], Key='dir/big.parquet')['ETag'])", {bucket_});
  EXPECT_NE(parts.find("-"), std::string::npos) << "a multipart ETag ends in -PARTS: " << parts;
}

// A writer destroyed before close(), or failing mid-way, leaves no object and no upload,
// and an object already under that name untouched.
TEST_F(S3, UnfinishedWriteLeavesNothing) {
  WriteOptions w = write_options();
  w.s3.part_size = int64_t{5} << 20;
  w.row_group_rows = 200000;
  const Table before = numbers(10, 4);
  write_table(before, url("kept.parquet"), w);
  {
    FileWriter writer = FileWriter::open(url("kept.parquet"), numbers(1, 0).schema, w);
    writer.write(numbers(1000000, 5));  // several row groups: parts are uploaded already
    EXPECT_EQ(open_uploads(), "1\n");
  }
  {
    FileWriter writer = FileWriter::open(url("new.parquet"), numbers(1, 0).schema, w);
    writer.write(numbers(1000000, 6));
  }
  EXPECT_EQ(keys(), "kept.parquet\n");
  EXPECT_EQ(open_uploads(), "0\n");
  EXPECT_EQ(test::table_difference(before, read_table(url("kept.parquet"), read_options())), "");
}

// Listing pages through continuation tokens (the server gives 7 keys a page), keys with
// spaces, pluses and percent signs come back as they are, and deletion removes exactly the
// files named.
TEST_F(S3, ListsAndDeletes) {
  const auto fs = s3_filesystem(options());
  std::vector<std::string> expected;
  test::boto3(
      "for i in range(20):\n"
      "    s3.put_object(Bucket=sys.argv[1], Key='data/p=%d/f %d+%%.parquet' % (i % 3, 100 + i), Body=b'x' * i)\n"
      "s3.put_object(Bucket=sys.argv[1], Key='data/folder/', Body=b'')\n"
      "s3.put_object(Bucket=sys.argv[1], Key='database.txt', Body=b'not under data/')\n",
      {bucket_});
  for (int i = 0; i < 20; ++i) {
    expected.push_back(url("data/p=" + std::to_string(i % 3) + "/f " + std::to_string(100 + i) + "+%.parquet"));
  }
  std::sort(expected.begin(), expected.end());
  const std::vector<FileInfo> listed = fs->list(url("data"));
  ASSERT_EQ(listed.size(), expected.size());
  for (size_t i = 0; i < listed.size(); ++i) {
    EXPECT_EQ(listed[i].path, expected[i]);
    const std::string key = expected[i].substr(expected[i].find(" ") + 1, 3);
    EXPECT_EQ(listed[i].size, std::stoi(key) - 100) << listed[i].path;
  }
  EXPECT_EQ(fs->kind(url("data")), FileSystem::Kind::Directory);
  EXPECT_EQ(fs->kind(url("data/p=1")), FileSystem::Kind::Directory);
  EXPECT_EQ(fs->kind(url("database.txt")), FileSystem::Kind::File);
  EXPECT_EQ(fs->kind(url("nothing")), FileSystem::Kind::None);
  EXPECT_TRUE(fs->list(url("nothing/")).empty());
  fs->remove({expected[0], expected[5], url("data/never-there")});
  const std::vector<FileInfo> after = fs->list(url("data/"));
  EXPECT_EQ(after.size(), expected.size() - 2);
  for (const FileInfo& f : after) EXPECT_TRUE(f.path != expected[0] && f.path != expected[5]);
}

// Missing objects and buckets are NotFound naming the object; a prefix is no file.
TEST_F(S3, MissingObjectsAreNotFound) {
  EXPECT_ERROR(FileReader::open(url("missing.parquet"), read_options()), ErrorKind::NotFound, url("missing.parquet"));
  EXPECT_ERROR(FileReader::open("s3://no-such-bucket-parkett/x.parquet", read_options()), ErrorKind::NotFound,
               "NoSuchBucket");
  EXPECT_ERROR(FileReader::open(url("dir/"), read_options()), ErrorKind::InvalidArgument, "prefix");
  EXPECT_ERROR(FileReader::open("s3:///x.parquet", read_options()), ErrorKind::InvalidArgument, "no bucket");
}

// Transient failures (503 SlowDown, 500, dropped connections, bodies cut short) are retried
// and the read gives the right rows; a store that keeps failing fails after the configured
// attempts with S3's error code in the message and no secret in it.
TEST_F(S3, RetriesTransientFailures) {
  put_file(test::data_file("alltypes_plain.parquet"), "a.parquet");
  const Table local = FileReader::open(test::data_file("alltypes_plain.parquet")).read_table();
  const FaultProxy::Action faults[] = {FaultProxy::Action::SlowDown503, FaultProxy::Action::InternalError500,
                                       FaultProxy::Action::DropConnection, FaultProxy::Action::TruncateBody};
  for (const FaultProxy::Action fault : faults) {
    // Each request fails the first time.
    std::set<std::string> seen;
    FaultProxy proxy([fault, &seen](int, const std::string& request) {
      return seen.insert(request).second ? fault : FaultProxy::Action::Forward;
    });
    ReadOptions ro = read_options();
    ro.s3.endpoint_url = proxy.endpoint();
    ro.footer_read_size = 600;  // the footer alone: columns come in range GETs
    EXPECT_EQ(test::table_difference(local, read_table(url("a.parquet"), ro)), "");
    EXPECT_GE(seen.size(), 3u);
    EXPECT_EQ(proxy.requests(), 2 * static_cast<int>(seen.size()));
  }
  FaultProxy down([](int, const std::string&) { return FaultProxy::Action::SlowDown503; });
  ReadOptions ro = read_options();
  ro.s3.endpoint_url = down.endpoint();
  ro.s3.max_retries = 3;
  try {
    FileReader::open(url("a.parquet"), ro);
    ADD_FAILURE() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Io);
    const std::string what = e.what();
    EXPECT_NE(what.find("503 SlowDown"), std::string::npos) << what;
    EXPECT_NE(what.find("after 4 attempts"), std::string::npos) << what;
    EXPECT_NE(what.find(url("a.parquet")), std::string::npos) << what;
    EXPECT_EQ(what.find(options().secret_access_key), std::string::npos) << what;
  }
  EXPECT_EQ(down.requests(), 4);
}

// A multipart upload whose part uploads fail for good is aborted: no object, no upload.
TEST_F(S3, FailedUploadIsAborted) {
  FaultProxy proxy([](int, const std::string& line) {
    return line.find("partNumber=2") != std::string::npos ? FaultProxy::Action::InternalError500 : FaultProxy::Action::Forward;
  });
  WriteOptions w = write_options();
  w.s3.endpoint_url = proxy.endpoint();
  w.s3.part_size = int64_t{5} << 20;
  w.s3.max_retries = 2;
  EXPECT_ERROR(write_table(numbers(1500000, 7), url("failed.parquet"), w), ErrorKind::Io, "uploading part 2");
  EXPECT_EQ(keys(), "\n");
  EXPECT_EQ(open_uploads(), "0\n");
}

// The writer and reader take any FileSystem: here S3's, given once and shared.
TEST_F(S3, GivenFileSystemIsUsed) {
  const auto fs = s3_filesystem(options());
  WriteOptions w;
  w.filesystem = fs;
  const Table t = numbers(5000, 8);
  write_table(t, url("via-fs.parquet"), w);
  ReadOptions r;
  r.filesystem = fs;
  EXPECT_EQ(test::table_difference(t, read_table(url("via-fs.parquet"), r)), "");
  EXPECT_EQ(keys(), "via-fs.parquet\n");
}

// A hive-partitioned dataset on S3 (written locally, put by boto3 with a hidden file and a
// `_metadata`) reads as it does from disk: listed, partitions typed, a partition filter
// leaving files unopened; a glob and a list of URLs work too.
TEST_F(S3, DatasetsReadAsFromDisk) {
  const Table t = numbers_keyed(30000, 9, "year", 2020, 3);
  DatasetWriteOptions w;
  w.partition_by = {"year"};
  w.write_metadata_files = true;
  w.max_rows_per_file = 4000;
  write_dataset(t, path("ds"), w);
  test::boto3(
      "import os\n"
      "for d, _, files in os.walk(sys.argv[1]):\n"
      "    for f in files:\n"
      "        p = os.path.join(d, f)\n"
      "        s3.upload_file(p, sys.argv[2], 'ds/' + os.path.relpath(p, sys.argv[1]))\n"
      "s3.put_object(Bucket=sys.argv[2], Key='ds/year=2021/.hidden.parquet', Body=b'not parquet')\n",
      {path("ds"), bucket_});
  ScanOptions scan;
  scan.filter = Expression::parse("year >= 2021 AND a > 0");
  for (const MetadataFile use : {MetadataFile::Ignore, MetadataFile::Use}) {
    DatasetOptions local_options, remote_options;
    local_options.metadata_file = remote_options.metadata_file = use;
    remote_options.file_options.s3 = options();
    const Dataset local = Dataset::open(path("ds"), local_options);
    const Dataset remote = Dataset::open(url("ds/"), remote_options);
    ASSERT_EQ(remote.fragments().size(), local.fragments().size());
    EXPECT_EQ(remote.fragments()[0].path, url("ds/year=2020/part-0.parquet"));
    EXPECT_EQ(test::table_difference(local.read_table(scan), remote.read_table(scan)), "");
    RecordBatchReader rows = remote.scan(scan);
    for (RecordBatch b; rows.next(b);) {
    }
    EXPECT_GT(rows.counts().files_skipped, 0);
  }
  DatasetOptions o;
  o.file_options.s3 = options();
  const Dataset globbed = Dataset::open(url("ds/year=*/*.parquet"), o);
  EXPECT_EQ(globbed.fragments().size(), Dataset::open(path("ds")).fragments().size());
  const Dataset listed = Dataset::open({url("ds/year=2020/part-0.parquet"), url("ds/year=2022/part-0.parquet")}, o);
  EXPECT_EQ(listed.schema().fields.back().name, "year");
  EXPECT_EQ(listed.read_table().num_rows(), 8000);
  EXPECT_ERROR(Dataset::open(url("nothing/"), o), ErrorKind::NotFound, url("nothing/"));
}

// write_dataset to S3: partition prefixes, `_metadata`, every object whole, and
// existing_data as on disk (Error refuses a prefix with objects, DeleteMatching empties the
// partitions written first).
TEST_F(S3, WritesDatasets) {
  const Table t = numbers_keyed(20000, 10, "k", 0, 2);
  DatasetWriteOptions w;
  w.partition_by = {"k"};
  w.write_metadata_files = true;
  w.file_options.s3 = options();
  const auto written = write_dataset(t, url("out/"), w);
  std::set<std::string> paths;
  for (const WrittenFile& f : written) paths.insert(f.path);
  EXPECT_EQ(paths, (std::set<std::string>{url("out/k=0/part-0.parquet"), url("out/k=1/part-0.parquet")}));
  EXPECT_EQ(keys(), "out/_common_metadata,out/_metadata,out/k=0/part-0.parquet,out/k=1/part-0.parquet\n");
  DatasetOptions o;
  o.file_options.s3 = options();
  o.metadata_file = MetadataFile::Use;
  const Table back = Dataset::open(url("out"), o).read_table();
  EXPECT_EQ(back.num_rows(), 20000);
  // The default refuses to write where data is; DeleteMatching replaces k=1 only.
  EXPECT_ERROR(write_dataset(t, url("out"), w), ErrorKind::InvalidArgument, "already holds data");
  test::boto3("s3.put_object(Bucket=sys.argv[1], Key='out/k=1/stale.parquet', Body=b'old')", {bucket_});
  Table only_one = t;
  only_one.batches[0].columns.back() = test::array_of(DataType(DataType::Id::Int64), std::vector<int64_t>(20000, 1));
  w.existing_data = ExistingData::DeleteMatching;
  w.write_metadata_files = false;
  write_dataset(only_one, url("out"), w);
  EXPECT_EQ(keys(), "out/k=0/part-0.parquet,out/k=1/part-0.parquet\n");
  EXPECT_EQ(Dataset::open(url("out"), o).read_table().num_rows(), 10000 + 20000);
}

// An encrypted dataset on S3 through a KMS: each object's key material is an object beside
// it, written and read through the dataset's S3 client.
TEST_F(S3, EncryptedDatasetsKeepKeyMaterialBesideEachObject) {
  const Table t = numbers_keyed(4000, 12, "k", 0, 2);
  const std::map<std::string, std::string> master_keys = {{"kf", "MDEyMzQ1Njc4OTAxMjM0NQ=="}};
  DatasetWriteOptions w;
  w.partition_by = {"k"};
  w.file_options.s3 = options();
  w.encryption_config = DatasetEncryptionConfig{
      std::make_shared<CryptoFactory>(InMemoryKms::factory(std::make_shared<InMemoryKms>(master_keys))), {}, {}};
  w.encryption_config->encryption_config.footer_key = "kf";
  w.encryption_config->encryption_config.uniform_encryption = true;
  w.encryption_config->encryption_config.internal_key_material = false;
  write_dataset(t, url("enc"), w);
  EXPECT_EQ(keys(), "enc/k=0/_KEY_MATERIAL_FOR_part-0.parquet.json,enc/k=0/part-0.parquet,"
                    "enc/k=1/_KEY_MATERIAL_FOR_part-0.parquet.json,enc/k=1/part-0.parquet\n");
  DatasetOptions o;
  o.file_options.s3 = options();
  o.decryption_config = DatasetDecryptionConfig{
      std::make_shared<CryptoFactory>(InMemoryKms::factory(std::make_shared<InMemoryKms>(master_keys))), {}, {}};
  const Table back = Dataset::open(url("enc"), o).read_table();
  EXPECT_EQ(back.num_rows(), 4000);
  ScanOptions only_k1;
  only_k1.filter = col("k") == int64_t{1};
  EXPECT_EQ(Dataset::open(url("enc"), o).read_table(only_k1).num_rows(), 2000);
  // Without the key material (an object removed), the file's key is unavailable, and the
  // message names the missing object.
  test::boto3("s3.delete_object(Bucket=sys.argv[1], Key='enc/k=1/_KEY_MATERIAL_FOR_part-0.parquet.json')", {bucket_});
  EXPECT_ERROR(Dataset::open(url("enc"), o).read_table(), ErrorKind::Crypto,
               "reading its key material " + url("enc/k=1/_KEY_MATERIAL_FOR_part-0.parquet.json") + ": ");
}

// The command line reads and writes s3:// paths, configured by the AWS environment.
TEST_F(S3, CommandLineTakesS3Paths) {
  const S3Options o = options();
  const std::string env = "AWS_ENDPOINT_URL=" + o.endpoint_url + " AWS_ACCESS_KEY_ID=" + o.access_key_id +
                          " AWS_SECRET_ACCESS_KEY=" + o.secret_access_key + " AWS_REGION=us-east-1 ";
  const std::string local = test::data_file("alltypes_plain.parquet");
  put_file(local, "in/a.parquet");
  const test::CliResult from_disk = test::sh("PARKETT cat " + local);
  ASSERT_EQ(from_disk.code, 0) << from_disk.out;
  const test::CliResult from_s3 = test::sh(env + "PARKETT cat " + url("in/a.parquet"));
  EXPECT_EQ(from_s3.code, 0) << from_s3.out;
  EXPECT_EQ(from_s3.out, from_disk.out);
  const test::CliResult convert = test::sh(env + "PARKETT convert " + local + " " + url("out/b.parquet") + " --codec zstd");
  ASSERT_EQ(convert.code, 0) << convert.out;
  get_file("out/b.parquet", path("b.parquet"));
  EXPECT_EQ(test::table_difference(FileReader::open(local).read_table(), FileReader::open(path("b.parquet")).read_table()), "");
  EXPECT_EQ(FileReader::open(path("b.parquet")).metadata().row_group(0).column(0).compression(), Compression::Zstd);
  // A prefix reads as a dataset, as a local directory does.
  std::filesystem::create_directories(path("in"));
  std::filesystem::copy_file(local, path("in/a.parquet"));
  const test::CliResult local_dir = test::sh("PARKETT cat " + path("in"));
  ASSERT_EQ(local_dir.code, 0) << local_dir.out;
  for (const std::string& prefix : {url("in"), url("in/")}) {
    const test::CliResult s3_dir = test::sh(env + "PARKETT cat " + prefix);
    EXPECT_EQ(s3_dir.code, 0) << s3_dir.out;
    EXPECT_EQ(s3_dir.out, local_dir.out);
  }
  const test::CliResult missing = test::sh(env + "PARKETT schema " + url("in/missing.parquet"));
  EXPECT_EQ(missing.code, 1);
  EXPECT_NE(missing.out.find(url("in/missing.parquet")), std::string::npos) << missing.out;
  EXPECT_NE(missing.out.find("NoSuchKey"), std::string::npos) << missing.out;
  EXPECT_EQ(missing.out.find(o.secret_access_key), std::string::npos) << missing.out;
}

// The S3 flags override the environment: the endpoint, the region (in every request's
// signature), a profile of the shared files, and unsigned requests.
TEST_F(S3, CommandLineFlagsOverrideTheEnvironment) {
  const S3Options o = options();
  FaultProxy proxy([](int, const std::string&) { return FaultProxy::Action::Forward; });
  test::boto3("s3.upload_file(sys.argv[1], sys.argv[2], sys.argv[3], ExtraArgs={'ACL': 'public-read'})",
              {test::data_file("alltypes_plain.parquet"), bucket_, "in/a.parquet"});
  const test::CliResult expected = test::sh("PARKETT cat " + test::data_file("alltypes_plain.parquet"));
  ASSERT_EQ(expected.code, 0) << expected.out;
  // The environment names a server that is not there, and another region.
  const std::string env = "AWS_ENDPOINT_URL=http://127.0.0.1:9 AWS_REGION=us-west-2 AWS_ACCESS_KEY_ID=" + o.access_key_id +
                          " AWS_SECRET_ACCESS_KEY=" + o.secret_access_key + " ";
  const test::CliResult flags =
      test::sh(env + "PARKETT cat " + url("in/a.parquet") + " --s3-endpoint " + proxy.endpoint() + " --s3-region eu-west-3");
  EXPECT_EQ(flags.code, 0) << flags.out;
  EXPECT_EQ(flags.out, expected.out);
  const std::regex signed_request(
      "\r\nAuthorization: AWS4-HMAC-SHA256 Credential=" + o.access_key_id +
      "/[0-9]{8}/eu-west-3/s3/aws4_request, SignedHeaders=[a-z0-9;-]*host;[a-z0-9;-]*x-amz-date[a-z0-9;-]*, "
      "Signature=[0-9a-f]{64}\r\n");
  std::vector<std::string> heads = proxy.heads();
  ASSERT_FALSE(heads.empty());
  for (const std::string& head : heads) EXPECT_TRUE(std::regex_search(head, signed_request)) << head;

  const size_t signed_requests = proxy.heads().size();
  const test::CliResult anonymous =
      test::sh(env + "PARKETT cat " + url("in/a.parquet") + " --s3-endpoint " + proxy.endpoint() + " --s3-anonymous");
  EXPECT_EQ(anonymous.code, 0) << anonymous.out;
  EXPECT_EQ(anonymous.out, expected.out);
  heads = proxy.heads();
  ASSERT_GT(heads.size(), signed_requests);
  for (size_t i = signed_requests; i < heads.size(); ++i) {
    EXPECT_EQ(heads[i].find("Authorization"), std::string::npos) << heads[i];
  }

  // A profile of the shared files gives the endpoint, the region and the keys.
  std::ofstream(path("config")) << "[profile test-profile]\nregion = ap-south-1\nendpoint_url = " << proxy.endpoint()
                                << "\n";
  std::ofstream(path("credentials")) << "[test-profile]\naws_access_key_id = " << o.access_key_id
                                     << "\naws_secret_access_key = " << o.secret_access_key << "\n";
  const size_t before = proxy.heads().size();
  const test::CliResult profile = test::sh("AWS_CONFIG_FILE=" + path("config") + " AWS_SHARED_CREDENTIALS_FILE=" +
                                           path("credentials") + " PARKETT cat " + url("in/a.parquet") +
                                           " --s3-profile test-profile");
  EXPECT_EQ(profile.code, 0) << profile.out;
  EXPECT_EQ(profile.out, expected.out);
  heads = proxy.heads();
  ASSERT_GT(heads.size(), before);
  for (size_t i = before; i < heads.size(); ++i) {
    EXPECT_NE(heads[i].find("/ap-south-1/s3/aws4_request"), std::string::npos) << heads[i];
  }
}

// On a terminal, transfers show as a progress line on stderr, left at its final state:
// the bytes read of the object's size, the bytes uploaded.
TEST_F(S3, ProgressShowsOnATerminal) {
  if (test::sh("command -v script").code != 0) GTEST_SKIP() << "script(1) (util-linux) is not installed";
  const S3Options o = options();
  const std::string local = path("local.parquet");
  WriteOptions w;
  w.compression = {Compression::Uncompressed, {}};
  write_table(numbers(200000, 3), local, w);  // 1.4 MB
  put_file(local, "in/a.parquet");
  const std::string flags = " --s3-endpoint " + o.endpoint_url + " ";
  const std::string env = "AWS_ACCESS_KEY_ID=" + o.access_key_id + " AWS_SECRET_ACCESS_KEY=" + o.secret_access_key + " ";
  // script(1) runs the command on a pseudo-terminal; its standard output goes to a file.
  auto on_terminal = [&](const std::string& command) {
    std::string line = env + command;
    for (size_t at; (at = line.find("PARKETT")) != std::string::npos;) line.replace(at, 7, PARKETT_CLI);
    return test::sh("script -qec \"" + line + " > " + path("stdout") + "\" /dev/null");
  };
  const int64_t size = static_cast<int64_t>(std::filesystem::file_size(local));
  char of_size[32];
  std::snprintf(of_size, sizeof of_size, " of %.1f MiB read", static_cast<double>(size) / (1 << 20));
  ASSERT_GT(size, 1 << 20);  // shown in MiB
  const test::CliResult cat = on_terminal("PARKETT cat " + url("in/a.parquet") + flags);
  EXPECT_EQ(cat.code, 0) << cat.out;
  EXPECT_NE(cat.out.find(of_size), std::string::npos) << cat.out;
  EXPECT_EQ(test::sh("cat " + path("stdout")).out, test::sh("PARKETT cat " + local).out);
  // Without a terminal: no progress.
  const test::CliResult piped = test::sh(env + "PARKETT cat " + url("in/a.parquet") + flags + " 2>&1 >/dev/null");
  EXPECT_EQ(piped.code, 0);
  EXPECT_EQ(piped.out, "");

  const test::CliResult convert = on_terminal("PARKETT convert " + local + " " + url("out/b.parquet") + flags);
  EXPECT_EQ(convert.code, 0) << convert.out;
  const std::string uploaded = test::boto3("print(s3.head_object(Bucket=sys.argv[1], Key=sys.argv[2])['ContentLength'])",
                                           {bucket_, "out/b.parquet"});
  char written[32];
  std::snprintf(written, sizeof written, "%.1f MiB written", std::stod(uploaded) / (1 << 20));
  EXPECT_NE(convert.out.find(written), std::string::npos) << convert.out;
  EXPECT_NE(convert.out.find("100% "), std::string::npos) << convert.out;
}

}  // namespace
}  // namespace parkett
