// EXPECT_ERROR(statement, kind[, needle]): the statement throws parkett::Error of that kind
// (and, when given, a message containing `needle`). Checking the kind keeps a test from
// passing on an unrelated failure.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "parkett/error.h"

#define PARKETT_EXPECT_ERROR_IMPL(statement, expected_kind, needle)                        \
  do {                                                                                     \
    try {                                                                                  \
      statement;                                                                           \
      ADD_FAILURE() << "expected parkett::Error(" << ::parkett::to_string(expected_kind)   \
                    << ") from: " #statement;                                              \
    } catch (const ::parkett::Error& parkett_expect_error_e) {                             \
      EXPECT_EQ(parkett_expect_error_e.kind(), expected_kind) << parkett_expect_error_e.what(); \
      EXPECT_NE(std::string(parkett_expect_error_e.what()).find(needle), std::string::npos) \
          << "message: " << parkett_expect_error_e.what();                                 \
    }                                                                                      \
  } while (false)

#define PARKETT_EXPECT_ERROR_2(statement, kind) PARKETT_EXPECT_ERROR_IMPL(statement, kind, "")
#define PARKETT_EXPECT_ERROR_3(statement, kind, needle) \
  PARKETT_EXPECT_ERROR_IMPL(statement, kind, needle)
#define PARKETT_EXPECT_ERROR_PICK(_1, _2, _3, name, ...) name
#define EXPECT_ERROR(...) \
  PARKETT_EXPECT_ERROR_PICK(__VA_ARGS__, PARKETT_EXPECT_ERROR_3, PARKETT_EXPECT_ERROR_2, )(__VA_ARGS__)
