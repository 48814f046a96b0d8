// Key management: the corpus's parquet-java file with external key material decrypts
// through the in-memory KMS; files written through a CryptoFactory (single and double
// wrapping, internal and external key material, uniform and per-column) read back; key
// material has parquet-java's fields; rotation re-wraps the keys without touching the file.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <csignal>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "arrays.h"
#include "corpus.h"
#include "expect_error.h"
#include "parkett/encryption.h"
#include "parkett/reader.h"
#include "parkett/writer.h"
#include "temp_dir.h"

namespace fs = std::filesystem;

namespace parkett {
namespace {

// parquet-java's test master keys (TestPropertiesDrivenEncryption): the ASCII digits.
const std::map<std::string, std::string> kMasterKeys = {
    {"kf", "MDEyMzQ1Njc4OTAxMjM0NQ=="}, {"kc1", "MTIzNDU2Nzg5MDEyMzQ1MA=="}, {"kc2", "MTIzNDU2Nzg5MDEyMzQ1MQ=="}};

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

class KeyManagement : public test::TempDirTest {};

TEST_F(KeyManagement, ParquetJavaExternalKeyMaterialDecryptsThroughTheKms) {
  // 100 rows: integers i, strings a letter ('a' + i % 10) then i; written by parquet-mr 1.12
  // with double wrapping and the key material in the sidecar file.
  const std::string path = test::data_file("external_key_material_java.parquet.encrypted");
  CryptoFactory factory(InMemoryKms::factory(std::make_shared<InMemoryKms>(kMasterKeys)));
  ReadOptions o;
  o.decryption = factory.file_decryption_properties({}, {}, path);
  const Table t = read_table(path, o);
  ASSERT_EQ(t.num_rows(), 100);
  int64_t i = 0;
  for (const RecordBatch& b : t.batches) {
    const ArrayData& ints = *b.columns[0];
    const ArrayData& strings = *b.columns[1];
    for (int64_t r = 0; r < b.num_rows; ++r, ++i) {
      EXPECT_EQ(ints.buffers[1]->as<int32_t>()[ints.offset + r], i);
      const auto* off = strings.buffers[1]->as<int32_t>() + strings.offset;
      const std::string got(reinterpret_cast<const char*>(strings.buffers[2]->data()) + off[r],
                            static_cast<size_t>(off[r + 1] - off[r]));
      EXPECT_EQ(got, std::string(1, static_cast<char>('a' + i % 10)) + std::to_string(i));
    }
  }
  // A wrong master key fails on unwrapping, naming the master key.
  auto wrong = kMasterKeys;
  wrong["kf"] = "MDEyMzQ1Njc4OTAxMjM0Ng==";
  CryptoFactory other(InMemoryKms::factory(std::make_shared<InMemoryKms>(wrong)));
  o.decryption = other.file_decryption_properties({}, {}, path);
  EXPECT_ERROR(read_table(path, o), ErrorKind::Crypto, "master key 'kf'");
  // Without the file's path the sidecar cannot be found.
  o.decryption = factory.file_decryption_properties({}, {});
  EXPECT_ERROR(read_table(path, o), ErrorKind::Crypto, "give its path");
}

Table sample() {
  std::vector<int64_t> a;
  std::vector<std::optional<std::string>> s;
  for (int64_t i = 0; i < 1000; ++i) {
    a.push_back(i * 11);
    s.push_back(i % 9 == 0 ? std::nullopt : std::optional<std::string>("s" + std::to_string(i % 37)));
  }
  return test::table_of({test::field("a", DataType(DataType::Id::Int64), false), test::field("s", DataType(DataType::Id::String)),
                         test::field("b", DataType(DataType::Id::Int64), false)},
                        {test::array_of(DataType(DataType::Id::Int64), a), test::string_array(s),
                         test::array_of(DataType(DataType::Id::Int64), a)});
}

TEST_F(KeyManagement, FilesWrittenThroughTheFactoryReadBackInEveryConfiguration) {
  const Table t = sample();
  auto kms = std::make_shared<InMemoryKms>(kMasterKeys);
  CryptoFactory factory(InMemoryKms::factory(kms));
  for (bool double_wrapping : {true, false}) {
    for (bool internal : {true, false}) {
      for (bool uniform : {true, false}) {
        SCOPED_TRACE(std::string(double_wrapping ? "double" : "single") + (internal ? " internal" : " external") +
                     (uniform ? " uniform" : " column keys"));
        EncryptionConfiguration config;
        config.footer_key = "kf";
        config.double_wrapping = double_wrapping;
        config.internal_key_material = internal;
        config.uniform_encryption = uniform;
        if (!uniform) config.column_keys = {{"kc1", {"a"}}, {"kc2", {"s"}}};
        config.data_key_length_bits = uniform ? 256 : 128;
        const std::string file = path("f.parquet");
        WriteOptions w;
        w.encryption = factory.file_encryption_properties({}, config, file);
        write_table(t, file, w);
        const std::string sidecar = path("_KEY_MATERIAL_FOR_f.parquet.json");
        EXPECT_EQ(fs::exists(sidecar), !internal);
        // A reader with its own factory (no cache shared with the writer) reads it.
        CryptoFactory reader_factory(InMemoryKms::factory(std::make_shared<InMemoryKms>(kMasterKeys)));
        ReadOptions r;
        r.decryption = reader_factory.file_decryption_properties({}, {}, file);
        EXPECT_EQ(test::table_difference(t, read_table(file, r)), "");
        // The key material: parquet-java's fields, the footer's naming the KMS instance.
        const FileReader reader = FileReader::open(file, r);
        const std::optional<std::string> footer_metadata = reader.metadata().encryption()->footer_key_metadata;
        ASSERT_TRUE(footer_metadata.has_value());
        nlohmann::json material;
        if (internal) {
          material = nlohmann::json::parse(*footer_metadata);
          EXPECT_EQ(material["internalStorage"], true);
          // Parquet C++'s order of fields.
          EXPECT_EQ(footer_metadata->rfind("{\"keyMaterialType\":\"PKMT1\",\"internalStorage\":true,\"isFooterKey\":true,", 0), 0u)
              << *footer_metadata;
        } else {
          EXPECT_EQ(nlohmann::json::parse(*footer_metadata),
                    nlohmann::json::parse(R"({"keyMaterialType":"PKMT1","internalStorage":false,"keyReference":"footerKey"})"));
          const auto store = nlohmann::json::parse(slurp(sidecar));
          material = nlohmann::json::parse(store["footerKey"].get<std::string>());
          EXPECT_EQ(store.size(), uniform ? 1u : 3u);
          fs::remove(sidecar);
        }
        EXPECT_EQ(material["keyMaterialType"], "PKMT1");
        EXPECT_EQ(material["isFooterKey"], true);
        EXPECT_EQ(material["kmsInstanceID"], "DEFAULT");
        EXPECT_EQ(material["masterKeyID"], "kf");
        EXPECT_EQ(material["doubleWrapping"], double_wrapping);
        EXPECT_EQ(material.contains("wrappedKEK"), double_wrapping);
        // base64 of nonce (12) + key + tag (16)
        const size_t dek_bytes = (uniform ? 32 : 16) + 28;
        EXPECT_EQ(material["wrappedDEK"].get<std::string>().size(), (dek_bytes + 2) / 3 * 4);
      }
    }
  }
}

TEST_F(KeyManagement, RotationRewrapsExternalKeyMaterialWithoutTouchingTheFile) {
  const Table t = sample();
  auto kms = std::make_shared<InMemoryKms>(kMasterKeys);
  CryptoFactory factory(InMemoryKms::factory(kms));
  EncryptionConfiguration config;
  config.footer_key = "kf";
  config.column_keys = {{"kc1", {"a", "b"}}};
  config.internal_key_material = false;
  const std::string file = path("r.parquet");
  WriteOptions w;
  w.encryption = factory.file_encryption_properties({}, config, file);
  write_table(t, file, w);
  const std::string parquet_before = slurp(file);
  const std::string sidecar = path("_KEY_MATERIAL_FOR_r.parquet.json");
  const std::string material_before = slurp(sidecar);

  // New master key versions: wrap with them, unwrap with the old until rotation is done.
  const std::map<std::string, std::string> v2 = {
      {"kf", "AAECAwQFBgcICQoLDA0ODw=="}, {"kc1", "EBESExQVFhcYGRobHB0eHw=="}, {"kc2", "ICEiIyQlJicoKSorLC0uLw=="}};
  kms->start_rotation(v2);
  factory.rotate_master_keys({}, file);
  kms->finish_rotation();
  EXPECT_EQ(slurp(file), parquet_before);
  EXPECT_NE(slurp(sidecar), material_before);
  ReadOptions r;
  r.decryption = CryptoFactory(InMemoryKms::factory(std::make_shared<InMemoryKms>(v2))).file_decryption_properties({}, {}, file);
  EXPECT_EQ(test::table_difference(t, read_table(file, r)), "");
  // The old key material no longer opens with the KMS's keys.
  std::ofstream(sidecar, std::ios::trunc) << material_before;
  r.decryption = CryptoFactory(InMemoryKms::factory(kms)).file_decryption_properties({}, {}, file);
  EXPECT_ERROR(read_table(file, r), ErrorKind::Crypto, "master key 'kf'");
  // Internal key material cannot be rotated: there is no sidecar.
  config.internal_key_material = true;
  w.encryption = factory.file_encryption_properties({}, config, path("i.parquet"));
  write_table(t, path("i.parquet"), w);
  EXPECT_ERROR(factory.rotate_master_keys({}, path("i.parquet")), ErrorKind::NotFound);
}

TEST_F(KeyManagement, InconsistentConfigurationsAndKmsFailuresAreReported) {
  CryptoFactory factory(InMemoryKms::factory(std::make_shared<InMemoryKms>(kMasterKeys)));
  EncryptionConfiguration config;
  config.footer_key = "kf";
  EXPECT_ERROR(factory.file_encryption_properties({}, config), ErrorKind::InvalidArgument, "column_keys or uniform");
  config.uniform_encryption = true;
  config.data_key_length_bits = 100;
  EXPECT_ERROR(factory.file_encryption_properties({}, config), ErrorKind::InvalidArgument, "data_key_length_bits");
  config.data_key_length_bits = 128;
  config.footer_key = "missing";
  EXPECT_ERROR(factory.file_encryption_properties({}, config), ErrorKind::Crypto, "no master key 'missing'");
  EXPECT_ERROR(InMemoryKms(std::map<std::string, std::string>{{"k", "not base64!"}}), ErrorKind::InvalidArgument,
               "master key 'k'");
  // A KMS that refuses: its message reaches the reader.
  struct Refusing : KmsClient {
    std::string wrap_key(const std::string&, const std::string&) override { throw std::runtime_error("access denied"); }
    std::string unwrap_key(const std::string&, const std::string&) override { throw std::runtime_error("access denied"); }
  };
  CryptoFactory refusing([](const KmsConnectionConfig&) { return std::make_shared<Refusing>(); });
  config.footer_key = "kf";
  EXPECT_ERROR(refusing.file_encryption_properties({}, config), ErrorKind::Crypto, "access denied");
}

}  // namespace
}  // namespace parkett

namespace parkett {
namespace {

// tests/vault_server.py on a free port of 127.0.0.1, stopped at the end of the test.
class VaultServer {
 public:
  explicit VaultServer(const std::string& token) {
    const char* python = std::getenv("PARKETT_TEST_PYTHON");
    const std::string command = std::string(python && *python ? python : "python3") + " " PARKETT_SOURCE_DIR
                                "/tests/vault_server.py " + token;
    pipe_ = ::popen(command.c_str(), "r");
    if (!pipe_ || std::fscanf(pipe_, "%d %d", &port_, &pid_) != 2) throw std::runtime_error("the Vault stand-in did not start");
  }
  ~VaultServer() {
    if (pid_ > 0) ::kill(pid_, SIGTERM);
    if (pipe_) ::pclose(pipe_);
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  FILE* pipe_ = nullptr;
  int port_ = 0, pid_ = 0;
};

TEST_F(KeyManagement, VaultTransitKmsWrapsKeysOverHttp) {
  VaultServer vault("s3cr3t-token");
  KmsConnectionConfig connection;
  connection.kms_instance_url = vault.url();
  connection.key_access_token = "s3cr3t-token";
  CryptoFactory factory(vault_kms_client_factory());
  const Table t = sample();
  for (bool double_wrapping : {true, false}) {
    SCOPED_TRACE(double_wrapping ? "double wrapping" : "single wrapping");
    EncryptionConfiguration config;
    config.footer_key = "footer-key";
    config.column_keys = {{"column-key", {"a", "s"}}};
    config.double_wrapping = double_wrapping;
    WriteOptions w;
    w.encryption = factory.file_encryption_properties(connection, config, path("v.parquet"));
    write_table(t, path("v.parquet"), w);
    // Vault's wrapping is in the key material as Vault returned it.
    const std::string metadata = *FileReader::open(path("v.parquet"), [&] {
      ReadOptions o;
      o.decryption = factory.file_decryption_properties(connection);
      return o;
    }()).metadata().encryption()->footer_key_metadata;
    EXPECT_NE(metadata.find(double_wrapping ? "\"wrappedKEK\":\"vault:v1:" : "\"wrappedDEK\":\"vault:v1:"),
              std::string::npos) << metadata;
    CryptoFactory reader(vault_kms_client_factory());
    ReadOptions r;
    r.decryption = reader.file_decryption_properties(connection);
    EXPECT_EQ(test::table_difference(t, read_table(path("v.parquet"), r)), "");
    // Another token is refused by Vault; the token never shows in the message.
    KmsConnectionConfig wrong = connection;
    wrong.key_access_token = "wrong-token";
    r.decryption = CryptoFactory(vault_kms_client_factory()).file_decryption_properties(wrong);
    try {
      read_table(path("v.parquet"), r);
      ADD_FAILURE() << "read with a wrong Vault token";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::Crypto);
      EXPECT_NE(std::string(e.what()).find("access denied (HTTP 403)"), std::string::npos) << e.what();
      EXPECT_EQ(std::string(e.what()).find("wrong-token"), std::string::npos) << e.what();
    }
  }
  KmsConnectionConfig no_url;
  no_url.key_access_token = "t";
  EncryptionConfiguration config;
  config.footer_key = "k";
  config.uniform_encryption = true;
  EXPECT_ERROR(factory.file_encryption_properties(no_url, config), ErrorKind::Crypto, "Vault's address");
}

}  // namespace
}  // namespace parkett
