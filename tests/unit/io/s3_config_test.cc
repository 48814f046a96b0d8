// S3 settings resolved as the AWS SDKs resolve them: options first, then the environment,
// then the profile of the shared config and credentials files, then defaults.
#include "io/s3_config.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "expect_error.h"
#include "io/s3_upload.h"
#include "temp_dir.h"

namespace parkett::io {
namespace {

class S3Config : public test::TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    std::ofstream(path("config")) << "[default]\nregion = eu-west-3\n\n"
                                     "[profile work]\nregion=ap-south-1\nendpoint_url = http://minio.local:9000\n"
                                     "# a comment\n[profile keys-in-config]\naws_access_key_id = CFGKEY\n"
                                     "aws_secret_access_key = cfgsecret\n";
    std::ofstream(path("credentials")) << "[default]\naws_access_key_id = DEFAULTKEY\naws_secret_access_key = defaultsecret\n"
                                          "[work]\n aws_access_key_id=WORKKEY \naws_secret_access_key=worksecret\n"
                                          "aws_session_token = worktoken\n[half]\naws_access_key_id = ONLYID\n";
    env_ = {{"AWS_CONFIG_FILE", path("config")}, {"AWS_SHARED_CREDENTIALS_FILE", path("credentials")}};
  }
  io::S3Config resolve(const S3Options& options = {}) {
    return resolve_s3_config(options, [this](const std::string& name) -> std::optional<std::string> {
      auto it = env_.find(name);
      if (it == env_.end()) return std::nullopt;
      return it->second;
    });
  }
  std::map<std::string, std::string> env_;
};

TEST_F(S3Config, DefaultProfileAndAwsEndpoint) {
  const io::S3Config c = resolve();
  EXPECT_EQ(c.region, "eu-west-3");
  EXPECT_EQ(c.scheme, "https");
  EXPECT_EQ(c.host, "s3.eu-west-3.amazonaws.com");
  EXPECT_EQ(c.credentials.access_key_id, "DEFAULTKEY");
  EXPECT_EQ(c.credentials.secret_access_key, "defaultsecret");
  EXPECT_FALSE(c.anonymous);
  // AWS endpoints: virtual-hosted for names that are host labels, path-style otherwise.
  EXPECT_FALSE(c.path_style("my-bucket"));
  EXPECT_TRUE(c.path_style("my.dotted.bucket"));
  EXPECT_TRUE(c.path_style("Upper"));
}

TEST_F(S3Config, NamedProfileFromEnvironment) {
  env_["AWS_PROFILE"] = "work";
  const io::S3Config c = resolve();
  EXPECT_EQ(c.region, "ap-south-1");
  EXPECT_EQ(c.scheme, "http");
  EXPECT_EQ(c.host, "minio.local:9000");
  EXPECT_TRUE(c.path_style("my-bucket"));  // not AWS: path-style
  EXPECT_EQ(c.credentials.access_key_id, "WORKKEY");
  EXPECT_EQ(c.credentials.session_token, "worktoken");
  EXPECT_NE(c.credentials_source.find("work"), std::string::npos);
  S3Options virtual_hosted;
  virtual_hosted.addressing = S3Addressing::VirtualHosted;
  EXPECT_FALSE(resolve(virtual_hosted).path_style("my-bucket"));
}

TEST_F(S3Config, KeysInTheConfigFile) {
  S3Options o;
  o.profile = "keys-in-config";
  EXPECT_EQ(resolve(o).credentials.access_key_id, "CFGKEY");
}

// The environment comes before the files; explicit options before the environment.
TEST_F(S3Config, OptionsThenEnvironmentThenFiles) {
  env_["AWS_ACCESS_KEY_ID"] = "ENVKEY";
  env_["AWS_SECRET_ACCESS_KEY"] = "envsecret";
  env_["AWS_SESSION_TOKEN"] = "envtoken";
  env_["AWS_DEFAULT_REGION"] = "us-west-1";
  env_["AWS_ENDPOINT_URL"] = "https://r2.example.com/";
  io::S3Config c = resolve();
  EXPECT_EQ(c.credentials.access_key_id, "ENVKEY");
  EXPECT_EQ(c.credentials.session_token, "envtoken");
  EXPECT_EQ(c.credentials_source, "the environment");
  EXPECT_EQ(c.region, "us-west-1");
  EXPECT_EQ(c.host, "r2.example.com");
  env_["AWS_REGION"] = "us-west-2";  // before AWS_DEFAULT_REGION
  env_["AWS_ENDPOINT_URL_S3"] = "http://127.0.0.1:9000";  // before AWS_ENDPOINT_URL
  c = resolve();
  EXPECT_EQ(c.region, "us-west-2");
  EXPECT_EQ(c.host, "127.0.0.1:9000");
  S3Options o;
  o.access_key_id = "OPTKEY";
  o.secret_access_key = "optsecret";
  o.region = "sa-east-1";
  o.endpoint_url = "http://localhost:5000";
  c = resolve(o);
  EXPECT_EQ(c.credentials.access_key_id, "OPTKEY");
  EXPECT_TRUE(c.credentials.session_token.empty());
  EXPECT_EQ(c.region, "sa-east-1");
  EXPECT_EQ(c.host, "localhost:5000");
  // Default ports are not part of the host (curl sends none; the Host header is signed).
  o.endpoint_url = "https://minio.example:443";
  EXPECT_EQ(resolve(o).host, "minio.example");
  o.endpoint_url = "http://minio.example:80/";
  EXPECT_EQ(resolve(o).host, "minio.example");
}

TEST_F(S3Config, AnonymousWithoutCredentials) {
  env_.erase("AWS_SHARED_CREDENTIALS_FILE");
  env_["HOME"] = path("no-home");
  EXPECT_TRUE(resolve().anonymous);
  EXPECT_EQ(resolve().region, "eu-west-3");  // the config file still counts
  S3Options o;
  o.anonymous = true;
  env_["AWS_ACCESS_KEY_ID"] = "ENVKEY";
  env_["AWS_SECRET_ACCESS_KEY"] = "envsecret";
  const io::S3Config c = resolve(o);
  EXPECT_TRUE(c.anonymous);
  EXPECT_TRUE(c.credentials.access_key_id.empty());
}

TEST_F(S3Config, MistakesAreRefused) {
  S3Options o;
  o.profile = "nobody";
  EXPECT_ERROR(resolve(o), ErrorKind::InvalidArgument, "profile 'nobody'");
  o.profile = "half";
  EXPECT_ERROR(resolve(o), ErrorKind::InvalidArgument, "without the other");
  o = {};
  o.endpoint_url = "minio:9000";
  EXPECT_ERROR(resolve(o), ErrorKind::InvalidArgument, "not http(s)://host[:port]");
  o.endpoint_url = "ftp://minio:9000";
  EXPECT_ERROR(resolve(o), ErrorKind::InvalidArgument, "not http(s)://host[:port]");
  o.endpoint_url = "http://minio:9000/path";
  EXPECT_ERROR(resolve(o), ErrorKind::InvalidArgument, "not http(s)://host[:port]");
  o.endpoint_url = "http://user:pa55word@minio:9000";
  try {
    resolve(o);
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument);
    EXPECT_EQ(std::string(e.what()).find("pa55word"), std::string::npos) << e.what();
  }
  o = {};
  o.max_retries = -1;
  EXPECT_ERROR(resolve(o), ErrorKind::InvalidArgument, "must not be negative");
  o = {};
  o.part_size = 1 << 20;
  EXPECT_ERROR(resolve(o), ErrorKind::InvalidArgument, "5 MiB");
  // A secret never shows in a message, even in a mistake.
  o = {};
  o.secret_access_key = "very-secret-value";
  try {
    resolve(o);
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).find("very-secret-value"), std::string::npos) << e.what();
  }
}

// Parts double every 1000 so that 10,000 parts of an 8 MiB start hold over 5 TiB.
TEST(S3PartSize, GrowsEveryThousandParts) {
  const int64_t base = int64_t{8} << 20;
  EXPECT_EQ(s3_part_size(base, 1), base);
  EXPECT_EQ(s3_part_size(base, 1000), base);
  EXPECT_EQ(s3_part_size(base, 1001), 2 * base);
  EXPECT_EQ(s3_part_size(base, 10000), base << 9);
  EXPECT_EQ(s3_part_size(int64_t{1} << 30, 10000), int64_t{5} << 30);  // capped at S3's 5 GiB
  int64_t total = 0;
  for (int n = 1; n <= 10000; ++n) total += s3_part_size(base, n);
  EXPECT_GT(total, int64_t{5} << 40);
}

}  // namespace
}  // namespace parkett::io
