// The public header must stand alone: no private parkett headers and no third-party
// library headers leak into users' translation units (this file includes nothing else).
#include <parkett/parkett.h>

#include <gtest/gtest.h>

#if defined(PARKETT_THRIFT_STRUCT) || defined(PARKETT_FIELDS)
#error "parkett.h pulls in src/format headers"
#endif
#if defined(ZSTD_VERSION_MAJOR) || defined(SNAPPY_VERSION) || defined(LZ4_VERSION_MAJOR) || \
    defined(BROTLI_VERSION) || defined(LIBDEFLATE_VERSION_STRING) || defined(ZLIB_VERSION)
#error "parkett.h pulls in a compression library header"
#endif
#if defined(OPENSSL_VERSION_NUMBER) || defined(LIBCURL_VERSION) || defined(XXH_VERSION_MAJOR)
#error "parkett.h pulls in OpenSSL, curl or xxhash"
#endif
#if defined(NLOHMANN_JSON_VERSION_MAJOR) || defined(CLI11_VERSION)
#error "parkett.h pulls in a CLI-only dependency"
#endif

namespace {

TEST(PublicApi, UmbrellaHeaderIsSelfContained) {
  // Compiling this file is the test; touch a few names so the header is really used.
  parkett::ReadOptions options;
  EXPECT_TRUE(options.footer.lazy);
  EXPECT_EQ(parkett::to_string(parkett::Compression::Zstd), "ZSTD");
  EXPECT_STRNE(parkett::version(), "");
}

}  // namespace
