// The writer's dictionary against a std::map model: every value maps to the entry holding
// its bytes, entries are distinct and in order of first appearance, across table growth,
// values of every width, and strings that differ only in one byte.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <map>
#include <random>
#include <string>

#include "column/dictionary_builder.h"

namespace parkett::column {
namespace {

using encoding::ValueBuffer;

std::string entry_bytes(const ValueBuffer& v, int64_t i) {
  if (v.width == 0) return std::string(v.binary(static_cast<size_t>(i)));
  return std::string(reinterpret_cast<const char*>(v.value(static_cast<size_t>(i))), v.width);
}

// Maps `values` in pages of `page` values and checks the result against a model.
void check_against_model(const ValueBuffer& values, int64_t page) {
  DictionaryBuilder dict(values.width);
  std::vector<uint32_t> indices;
  const auto count = static_cast<int64_t>(values.count);
  for (int64_t b = 0; b < count; b += page) dict.map(values, b, std::min(count, b + page), indices);
  ASSERT_EQ(static_cast<int64_t>(indices.size()), count);
  std::map<std::string, uint32_t> model;  // bytes -> index of first appearance
  int64_t plain = 0;
  for (int64_t i = 0; i < count; ++i) {
    const std::string bytes = entry_bytes(values, i);
    const auto [it, fresh] = model.emplace(bytes, static_cast<uint32_t>(model.size()));
    if (fresh) plain += static_cast<int64_t>(bytes.size()) + (values.width == 0 ? 4 : 0);
    ASSERT_EQ(indices[static_cast<size_t>(i)], it->second) << "value " << i;
    ASSERT_EQ(entry_bytes(dict.entries(), it->second), bytes) << "entry " << it->second;
  }
  EXPECT_EQ(dict.size(), static_cast<int64_t>(model.size()));
  EXPECT_EQ(static_cast<int64_t>(dict.entries().count), dict.size());
  EXPECT_EQ(dict.plain_size(), plain);
}

template <class T>
ValueBuffer fixed_values(const std::vector<T>& v) {
  ValueBuffer p;
  p.width = sizeof(T);
  for (const T& x : v) p.append_fixed(reinterpret_cast<const uint8_t*>(&x));
  return p;
}

TEST(DictionaryBuilder, Int64AcrossGrowthAndPages) {
  std::mt19937_64 rng(7);
  std::vector<int64_t> v;
  // Keys that share their low bits, sequential keys, and a few extremes, with repeats.
  for (int i = 0; i < 60000; ++i) v.push_back(static_cast<int64_t>(rng() % 20000) << 32);
  for (int i = 0; i < 60000; ++i) v.push_back(i % 30000);
  for (int64_t x : {INT64_MIN, INT64_MAX, int64_t{0}, int64_t{-1}}) v.push_back(x);
  check_against_model(fixed_values(v), 1000);
}

TEST(DictionaryBuilder, Int32AndFloatBitPatterns) {
  std::vector<int32_t> ints;
  for (int i = 0; i < 5000; ++i) ints.push_back((i * 7919) % 3001 - 1500);
  check_against_model(fixed_values(ints), 333);
  // -0.0 and 0.0 are two entries; NaNs of one payload share one.
  const double payload = std::nan("7");
  std::vector<double> d = {0.0, -0.0, NAN, payload, NAN, payload, 1.5, -0.0, 0.0};
  ValueBuffer dv = fixed_values(d);
  check_against_model(dv, 4);
  DictionaryBuilder dict(8);
  std::vector<uint32_t> idx;
  dict.map(dv, 0, static_cast<int64_t>(dv.count), idx);
  EXPECT_EQ(dict.size(), 5);
}

TEST(DictionaryBuilder, FixedLengthWidths) {
  std::mt19937 rng(3);
  for (int width : {1, 2, 12, 16, 31}) {
    ValueBuffer p;
    p.width = static_cast<size_t>(width);
    for (int i = 0; i < 4000; ++i) {
      std::string s(static_cast<size_t>(width), 'x');
      s[rng() % static_cast<unsigned>(width)] = static_cast<char>('a' + rng() % 20);  // differ in one byte
      p.append_fixed(reinterpret_cast<const uint8_t*>(s.data()));
    }
    SCOPED_TRACE(width);
    check_against_model(p, 500);
  }
}

TEST(DictionaryBuilder, StringsOfEveryShortLength) {
  std::vector<std::string> storage;
  // Every length up to 40, each varied at its first, middle and last byte, so that the
  // short-string hashing and comparison see values that differ in any one position.
  for (size_t n = 0; n <= 40; ++n) {
    storage.push_back(std::string(n, 'q'));
    for (size_t at : {size_t{0}, n / 2, n > 0 ? n - 1 : 0}) {
      if (n == 0) continue;
      for (char c : {'a', 'b'}) {
        std::string s(n, 'q');
        s[at] = c;
        storage.push_back(s);
      }
    }
  }
  std::mt19937 rng(11);
  for (int i = 0; i < 20000; ++i) storage.push_back("key-" + std::to_string(rng() % 5000));
  for (int i = 0; i < 300; ++i) storage.push_back(std::string(200 + rng() % 3, static_cast<char>('a' + rng() % 3)));
  ValueBuffer p;
  p.width = 0;
  // Twice over, so every value is also looked up after it was added.
  for (int round = 0; round < 2; ++round) {
    for (const std::string& s : storage) p.append_binary(reinterpret_cast<const uint8_t*>(s.data()), s.size());
  }
  check_against_model(p, 777);
}

}  // namespace
}  // namespace parkett::column
