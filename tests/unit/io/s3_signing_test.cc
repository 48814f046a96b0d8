// SigV4 signing (io/s3_signing.h) against AWS's published examples: the 2015 Signature
// Version 4 test suite (service "service", us-east-1, 20150830T123600Z, secret
// wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY), whose canonical requests, strings to sign and
// Authorization headers are checked byte for byte, and the S3 documentation's GET Object
// example (a Range request signed with x-amz-content-sha256).
#include <gtest/gtest.h>

#include "io/s3_signing.h"

namespace parkett::io {
namespace {

const char kEmptyHash[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const char kDate[] = "20150830T123600Z";

const AwsCredentials& suite_credentials() {
  static const AwsCredentials c{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""};
  return c;
}

SignableRequest suite_request(std::string method, std::vector<std::pair<std::string, std::string>> extra_headers = {},
                              std::vector<std::pair<std::string, std::string>> query = {}, std::string path = "/") {
  SignableRequest r;
  r.method = std::move(method);
  r.path = std::move(path);
  r.query = std::move(query);
  r.headers = {{"Host", "example.amazonaws.com"}};
  for (auto& h : extra_headers) r.headers.push_back(std::move(h));
  r.headers.push_back({"X-Amz-Date", kDate});
  return r;
}

// The suite's case: canonical request, string to sign and Authorization header.
void expect_case(const SignableRequest& r, const std::string& payload_hash, const std::string& creq,
                 const std::string& sts, const std::string& authz) {
  std::string signed_headers;
  const std::string canonical = canonical_request(r, payload_hash, signed_headers);
  EXPECT_EQ(canonical, creq);
  EXPECT_EQ(string_to_sign(kDate, SigningScope{"20150830", "us-east-1", "service"}, canonical), sts);
  EXPECT_EQ(authorization(r, suite_credentials(), kDate, "us-east-1", "service", payload_hash), authz);
}

const char kScope[] = "20150830/us-east-1/service/aws4_request";

TEST(SigV4, GetVanilla) {
  expect_case(suite_request("GET"), kEmptyHash,
              std::string("GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n") +
                  kEmptyHash,
              std::string("AWS4-HMAC-SHA256\n20150830T123600Z\n") + kScope +
                  "\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
              std::string("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/") + kScope +
                  ", SignedHeaders=host;x-amz-date, "
                  "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
}

TEST(SigV4, QueryParametersAreSortedByName) {
  expect_case(suite_request("GET", {}, {{"Param2", "value2"}, {"Param1", "value1"}}), kEmptyHash,
              std::string("GET\n/\nParam1=value1&Param2=value2\nhost:example.amazonaws.com\n"
                          "x-amz-date:20150830T123600Z\n\nhost;x-amz-date\n") +
                  kEmptyHash,
              std::string("AWS4-HMAC-SHA256\n20150830T123600Z\n") + kScope +
                  "\n816cd5b414d056048ba4f7c5386d6e0533120fb1fcfa93762cf0fc39e2cf19e0",
              std::string("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/") + kScope +
                  ", SignedHeaders=host;x-amz-date, "
                  "Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
}

TEST(SigV4, UnreservedAndUtf8CharactersInQueriesAndPaths) {
  const std::string unreserved = "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  SignableRequest r = suite_request("GET", {}, {{unreserved, unreserved}});
  EXPECT_EQ(authorization(r, suite_credentials(), kDate, "us-east-1", "service", kEmptyHash),
            std::string("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/") + kScope +
                ", SignedHeaders=host;x-amz-date, "
                "Signature=9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197");
  r = suite_request("GET", {}, {{"\xE1\x88\xB4", "bar"}});
  std::string signed_headers;
  EXPECT_EQ(canonical_request(r, kEmptyHash, signed_headers).substr(0, 20), "GET\n/\n%E1%88%B4=bar\n");
  EXPECT_EQ(authorization(r, suite_credentials(), kDate, "us-east-1", "service", kEmptyHash),
            std::string("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/") + kScope +
                ", SignedHeaders=host;x-amz-date, "
                "Signature=2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04");
  r = suite_request("GET", {}, {}, "/\xE1\x88\xB4");
  EXPECT_EQ(canonical_request(r, kEmptyHash, signed_headers).substr(0, 15), "GET\n/%E1%88%B4\n");
  EXPECT_EQ(authorization(r, suite_credentials(), kDate, "us-east-1", "service", kEmptyHash),
            std::string("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/") + kScope +
                ", SignedHeaders=host;x-amz-date, "
                "Signature=8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85");
}

TEST(SigV4, HeaderValuesAreTrimmedAndRepeatedHeadersJoined) {
  expect_case(suite_request("GET", {{"My-Header1", " value1"}, {"My-Header2", " \"a   b   c\""}}), kEmptyHash,
              std::string("GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value1\nmy-header2:\"a b c\"\n"
                          "x-amz-date:20150830T123600Z\n\nhost;my-header1;my-header2;x-amz-date\n") +
                  kEmptyHash,
              std::string("AWS4-HMAC-SHA256\n20150830T123600Z\n") + kScope +
                  "\na726db9b0df21c14f559d0a978e563112acb1b9e05476f0a6a1c7d68f28605c7",
              std::string("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/") + kScope +
                  ", SignedHeaders=host;my-header1;my-header2;x-amz-date, "
                  "Signature=acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736");
  const SignableRequest dup =
      suite_request("GET", {{"My-Header1", "value2"}, {"My-Header1", "value2"}, {"My-Header1", "value1"}});
  std::string signed_headers;
  EXPECT_NE(canonical_request(dup, kEmptyHash, signed_headers).find("\nmy-header1:value2,value2,value1\n"),
            std::string::npos);
  EXPECT_EQ(signed_headers, "host;my-header1;x-amz-date");
  EXPECT_EQ(authorization(dup, suite_credentials(), kDate, "us-east-1", "service", kEmptyHash),
            std::string("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/") + kScope +
                ", SignedHeaders=host;my-header1;x-amz-date, "
                "Signature=c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea");
}

TEST(SigV4, PostsWithBodiesAndSessionTokens) {
  expect_case(suite_request("POST"), kEmptyHash,
              std::string("POST\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n") +
                  kEmptyHash,
              std::string("AWS4-HMAC-SHA256\n20150830T123600Z\n") + kScope +
                  "\n553f88c9e4d10fc9e109e2aeb65f030801b70c2f6468faca261d401ae622fc87",
              std::string("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/") + kScope +
                  ", SignedHeaders=host;x-amz-date, "
                  "Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
  const std::string body_hash = sha256_hex("Param1=value1");
  EXPECT_EQ(body_hash, "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e");
  SignableRequest form = suite_request("POST");
  form.headers.insert(form.headers.begin(), {"Content-Type", "application/x-www-form-urlencoded"});
  expect_case(form, body_hash,
              "POST\n/\n\ncontent-type:application/x-www-form-urlencoded\nhost:example.amazonaws.com\n"
              "x-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n" + body_hash,
              std::string("AWS4-HMAC-SHA256\n20150830T123600Z\n") + kScope +
                  "\n42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281",
              std::string("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/") + kScope +
                  ", SignedHeaders=content-type;host;x-amz-date, "
                  "Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a");
  const std::string token =
      "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwth"
      "Ax7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVX"
      "AkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";
  SignableRequest sts = suite_request("POST", {}, {});
  sts.headers.push_back({"X-Amz-Security-Token", token});
  AwsCredentials temporary = suite_credentials();
  temporary.session_token = token;
  EXPECT_EQ(authorization(sts, temporary, kDate, "us-east-1", "service", kEmptyHash),
            std::string("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/") + kScope +
                ", SignedHeaders=host;x-amz-date;x-amz-security-token, "
                "Signature=85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead");
}

// The S3 developer guide's example: GET /test.txt from examplebucket with Range: bytes=0-9.
TEST(SigV4, S3GetObjectExample) {
  SignableRequest r;
  r.method = "GET";
  r.path = "/test.txt";
  r.headers = {{"Host", "examplebucket.s3.amazonaws.com"},
               {"Range", "bytes=0-9"},
               {"x-amz-content-sha256", kEmptyHash},
               {"x-amz-date", "20130524T000000Z"}};
  const AwsCredentials c{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""};
  std::string signed_headers;
  const std::string canonical = canonical_request(r, kEmptyHash, signed_headers);
  EXPECT_EQ(sha256_hex(canonical), "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
  EXPECT_EQ(authorization(r, c, "20130524T000000Z", "us-east-1", "s3", kEmptyHash),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

TEST(SigV4, KeysAndQueriesAreEncodedOnce) {
  EXPECT_EQ(canonical_path("/bucket/dir=1/a b+c%.parquet"), "/bucket/dir%3D1/a%20b%2Bc%25.parquet");
  EXPECT_EQ(canonical_path(""), "/");
  EXPECT_EQ(canonical_path("/b/a//./x"), "/b/a//./x");  // S3 keys are not normalised
  EXPECT_EQ(canonical_query({{"uploads", ""}, {"prefix", "a/b c"}, {"list-type", "2"}}),
            "list-type=2&prefix=a%2Fb%20c&uploads=");
}

}  // namespace
}  // namespace parkett::io
