// Encryption on the command line: keys for reading corpus files, convert writing encrypted
// files every mode, meta on a signed plaintext footer without keys, keys kept out of errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <fstream>

#include <nlohmann/json.hpp>

#include "corpus.h"
#include "run_cli.h"

namespace {

using parkett::test::run_cli;

const std::string kKeys = " --key kf=0123456789012345 --key kc1=1234567890123450 --key kc2=1234567890123451";

std::string temp(const std::string& name) { return ::testing::TempDir() + "/parkett-cli-enc-" + name; }

TEST(CliEncryption, ReadsCorpusFilesWithKeysGivenAsTextHexOrBase64) {
  const std::string file = parkett::test::data_file("encrypt_columns_and_footer.parquet.encrypted");
  const auto plain = run_cli("cat --format csv" + kKeys + " " + file);
  ASSERT_EQ(plain.code, 0) << plain.out;
  EXPECT_NE(plain.out.find("0x70617271756574303438"), std::string::npos) << plain.out;  // ba_field "parquet048"
  EXPECT_EQ(std::count(plain.out.begin(), plain.out.end(), '\n'), 51);
  // The same keys in hex and base64.
  const auto hex = run_cli("cat --format csv --key kf=hex:30313233343536373839303132333435"
                           " --key kc1=base64:MTIzNDU2Nzg5MDEyMzQ1MA== --key kc2=1234567890123451 " + file);
  ASSERT_EQ(hex.code, 0) << hex.out;
  EXPECT_EQ(hex.out, plain.out);
  // --footer-key for a footer key; an AAD prefix the file does not store.
  const auto aad = run_cli("cat --format csv --footer-key 0123456789012345 --key kc1=1234567890123450"
                           " --key kc2=1234567890123451 --aad-prefix tester " +
                           parkett::test::data_file("encrypt_columns_and_footer_disable_aad_storage.parquet.encrypted"));
  ASSERT_EQ(aad.code, 0) << aad.out;
  EXPECT_EQ(aad.out, plain.out);
}

TEST(CliEncryption, ErrorsSayWhichKeyIsMissingAndNeverShowKeys) {
  const std::string file = parkett::test::data_file("encrypt_columns_and_footer.parquet.encrypted");
  const auto none = run_cli("cat " + file);
  EXPECT_EQ(none.code, 1);
  EXPECT_NE(none.out.find("key metadata 'kf'"), std::string::npos) << none.out;
  const auto column = run_cli("cat --key kf=0123456789012345 --key kc2=1234567890123451 " + file);
  EXPECT_EQ(column.code, 1);
  EXPECT_NE(column.out.find("key metadata 'kc1'"), std::string::npos) << column.out;
  const auto wrong = run_cli("cat --key kf=9999999999999999 " + file);
  EXPECT_EQ(wrong.code, 1);
  EXPECT_NE(wrong.out.find("authentication failed"), std::string::npos) << wrong.out;
  EXPECT_EQ(wrong.out.find("9999999999999999"), std::string::npos) << wrong.out;
  const auto short_key = run_cli("cat --key kf=secret-short " + file);
  EXPECT_NE(short_key.code, 0);
  EXPECT_NE(short_key.out.find("16, 24 or 32"), std::string::npos) << short_key.out;
  EXPECT_EQ(short_key.out.find("secret-short"), std::string::npos) << short_key.out;
}

TEST(CliEncryption, MetaOfASignedPlaintextFooterShowsWhatIsEncryptedWithoutKeys) {
  const auto r = run_cli("meta --json " + parkett::test::data_file("encrypt_columns_plaintext_footer.parquet.encrypted"));
  ASSERT_EQ(r.code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["encryption_algorithm"]["algorithm"], "AES_GCM_V1") << j["encryption_algorithm"].dump();
  int encrypted = 0;
  for (const auto& c : j["row_groups"][0]["columns"]) {
    if (c.contains("crypto_metadata")) {
      ++encrypted;
      EXPECT_NE(c["crypto_metadata"].dump().find("0x6b63"), std::string::npos) << c.dump();  // "kc1", "kc2"
    }
  }
  EXPECT_EQ(encrypted, 2);
  // As text: the footer mode and each encrypted column's key metadata.
  const auto text = run_cli("meta " + parkett::test::data_file("encrypt_columns_plaintext_footer.parquet.encrypted"));
  ASSERT_EQ(text.code, 0) << text.out;
  EXPECT_NE(text.out.find("encryption:      AES_GCM_V1, plaintext footer (signed), footer key metadata kf"),
            std::string::npos) << text.out;
  EXPECT_NE(text.out.find("double_field: DOUBLE [encrypted with key metadata kc1]"), std::string::npos) << text.out;
}

TEST(CliEncryption, ConvertWritesEncryptedFilesThatReadBackWithTheirKeys) {
  const std::string in = parkett::test::data_file("alltypes_plain.parquet");
  const std::string plain = temp("plain.parquet");
  ASSERT_EQ(run_cli("convert --no-progress " + in + " " + plain).code, 0);
  const auto want = run_cli("cat " + plain);  // what a rewrite reads (INT96 becomes timestamp[ns])
  ASSERT_EQ(want.code, 0);
  struct Case {
    std::string write, read;
  };
  const std::vector<Case> cases = {
      {"--encrypt-footer-key f=0123456789abcdef", "--key f=0123456789abcdef"},
      {"--encrypt-footer-key f=0123456789abcdef --encryption-algorithm gcm-ctr --aad-prefix here --no-store-aad-prefix",
       "--key f=0123456789abcdef --aad-prefix here"},
      {"--encrypt-footer-key f=0123456789abcdef --encrypt-column c=base64:MTIzNDU2Nzg5MDEyMzQ1MA==:id,string_col "
       "--plaintext-footer",
       "--key f=0123456789abcdef --key c=1234567890123450"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.write);
    const std::string out = temp("convert.parquet");
    const auto w = run_cli("convert --no-progress " + in + " " + out + " " + c.write);
    ASSERT_EQ(w.code, 0) << w.out;
    const auto back = run_cli("cat " + c.read + " " + out);
    ASSERT_EQ(back.code, 0) << back.out;
    EXPECT_EQ(back.out, want.out);
    EXPECT_NE(run_cli("cat " + out).code, 0);  // not without the keys
    std::filesystem::remove(out);
  }
  // Malformed flags name the flag, not the key.
  const auto bad = run_cli("convert " + in + " " + temp("x.parquet") + " --encrypt-footer-key f=0123456789abcdef --encrypt-column c=sixteen-bytes-ok:");
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.out.find("--encrypt-column c"), std::string::npos) << bad.out;
  EXPECT_EQ(bad.out.find("sixteen-bytes-ok"), std::string::npos) << bad.out;
  const auto lone = run_cli("convert " + in + " " + temp("x.parquet") + " --plaintext-footer");
  EXPECT_NE(lone.code, 0);
  EXPECT_NE(lone.out.find("--encrypt-footer-key"), std::string::npos) << lone.out;
}

}  // namespace

namespace {

TEST(CliEncryption, KeyManagementThroughAKmsConfigFile) {
  // The corpus's parquet-java file: key material beside it, master keys in the KMS.
  const std::string config = temp("kms.json");
  {
    std::ofstream out(config);
    out << R"({"master_keys": {"kf": "MDEyMzQ1Njc4OTAxMjM0NQ==", "kc1": "MTIzNDU2Nzg5MDEyMzQ1MA==",
                               "kc2": "MTIzNDU2Nzg5MDEyMzQ1MQ=="}})";
  }
  const auto java = run_cli("cat --format csv --kms-config " + config + " " +
                            parkett::test::data_file("external_key_material_java.parquet.encrypted"));
  ASSERT_EQ(java.code, 0) << java.out;
  EXPECT_NE(java.out.find("\n99,j99\n"), std::string::npos) << java.out;
  // convert writes with master keys, internal or external key material, and reads back.
  const std::string in = parkett::test::data_file("alltypes_plain.parquet");
  const std::string plain = temp("kms-plain.parquet");
  ASSERT_EQ(run_cli("convert --no-progress " + in + " " + plain).code, 0);
  const auto want = run_cli("cat " + plain);
  for (const std::string& extra : {std::string(), std::string(" --external-key-material --no-double-wrapping")}) {
    SCOPED_TRACE(extra);
    const std::string out = temp("kms-out.parquet");
    std::filesystem::remove(::testing::TempDir() + "/_KEY_MATERIAL_FOR_parkett-cli-enc-kms-out.parquet.json");
    const auto w = run_cli("convert --no-progress " + plain + " " + out + " --kms-config " + config +
                           " --footer-master-key kf --column-master-keys 'kc1:id,bool_col;kc2:string_col'" + extra);
    ASSERT_EQ(w.code, 0) << w.out;
    EXPECT_EQ(std::filesystem::exists(::testing::TempDir() + "/_KEY_MATERIAL_FOR_parkett-cli-enc-kms-out.parquet.json"), !extra.empty());
    const auto back = run_cli("cat --kms-config " + config + " " + out);
    ASSERT_EQ(back.code, 0) << back.out;
    EXPECT_EQ(back.out, want.out);
    std::filesystem::remove(out);
    std::filesystem::remove(::testing::TempDir() + "/_KEY_MATERIAL_FOR_parkett-cli-enc-kms-out.parquet.json");
  }
}

// The lines of `text`, sorted (a dataset's files come in path order, not the input's).
std::vector<std::string> sorted_lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  std::sort(out.begin(), out.end());
  return out;
}

TEST(CliEncryption, DatasetsThroughAKmsGetKeysPerFile) {
  const std::string config = temp("kms-ds.json");
  std::ofstream(config) << R"({"master_keys": {"kf": "MDEyMzQ1Njc4OTAxMjM0NQ==", "kc1": "MTIzNDU2Nzg5MDEyMzQ1MA=="}})";
  const std::string in = parkett::test::data_file("alltypes_plain.parquet");
  const std::string root = temp("kms-dataset");
  std::filesystem::remove_all(root);
  const auto w = run_cli("convert --no-progress " + in + " " + root + " --partition-by bool_col --kms-config " + config +
                         " --footer-master-key kf --column-master-keys kc1:id --external-key-material");
  ASSERT_EQ(w.code, 0) << w.out;
  for (const char* part : {"/bool_col=false/", "/bool_col=true/"}) {
    EXPECT_TRUE(std::filesystem::exists(root + part + "_KEY_MATERIAL_FOR_part-0.parquet.json")) << part;
  }
  const auto want = run_cli("cat --format csv --columns id,string_col " + in);
  const auto got = run_cli("cat --format csv --columns id,string_col --kms-config " + config + " " + root);
  ASSERT_EQ(got.code, 0) << got.out;
  EXPECT_EQ(sorted_lines(got.out), sorted_lines(want.out));
  const auto meta = run_cli("meta --json --kms-config " + config + " " + root);
  ASSERT_EQ(meta.code, 0) << meta.out;
  EXPECT_EQ(nlohmann::json::parse(meta.out)["num_rows"], 8);
  const auto schema = run_cli("schema --kms-config " + config + " " + root);
  ASSERT_EQ(schema.code, 0) << schema.out;
  EXPECT_NE(schema.out.find("bool_col"), std::string::npos) << schema.out;
  // The dataset back to one plaintext file.
  const std::string out = temp("kms-dataset.parquet");
  const auto c = run_cli("convert --no-progress --kms-config " + config + " " + root + " " + out);
  ASSERT_EQ(c.code, 0) << c.out;
  EXPECT_EQ(sorted_lines(run_cli("cat --format csv --columns id,string_col " + out).out), sorted_lines(want.out));
  // An AAD prefix binds one file: a dataset through a KMS refuses it.
  const auto aad = run_cli("cat --kms-config " + config + " --aad-prefix x " + root);
  EXPECT_EQ(aad.code, 1);
  EXPECT_NE(aad.out.find("--aad-prefix"), std::string::npos) << aad.out;
  std::filesystem::remove_all(root);
  std::filesystem::remove(out);
}

}  // namespace
