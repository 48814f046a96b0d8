// parkett's single error type. Every failure the library reports (bad input, I/O, caller
// mistakes, unsupported features) is a parkett::Error with a kind and a location.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

#include "parkett/export.h"

namespace parkett {

enum class ErrorKind {
  Io,               // the storage failed (open, read, write, rename)
  Corrupt,          // the file breaks the format: what was expected and what was found
  Unsupported,      // valid input that this build cannot handle (e.g. a codec compiled out)
  InvalidArgument,  // the caller asked for something impossible (unknown column, bad option)
  Crypto,           // keys missing or wrong, authentication failed
  NotFound,         // a file, column or key that does not exist
  ResourceLimit,    // input would need more memory or nesting than the configured limits
  Internal,         // a bug in parkett
};

/// Name of an ErrorKind, e.g. "Corrupt".
PARKETT_EXPORT const char* to_string(ErrorKind kind);

/// Where an error happened. Layers add what they know as the error travels up.
struct PARKETT_EXPORT ErrorContext {
  std::string file;
  std::optional<int64_t> row_group;
  std::string column;  // dotted column path
  std::optional<int64_t> page_offset;
};

class PARKETT_EXPORT Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, std::string message, ErrorContext context = {});

  ErrorKind kind() const noexcept { return kind_; }
  /// The message without location.
  const std::string& message() const noexcept { return message_; }
  const ErrorContext& context() const noexcept { return context_; }
  /// "file: row group 2, column a.b, page at offset 4: message"
  const char* what() const noexcept override { return what_.c_str(); }

  // Fill in location parts not already known (inner layers know more precisely).
  Error& set_file(const std::string& file);
  Error& set_row_group(int64_t row_group);
  Error& set_column(const std::string& column);
  Error& set_page_offset(int64_t offset);

 private:
  void render();

  ErrorKind kind_;
  std::string message_;
  ErrorContext context_;
  std::string what_;
};

}  // namespace parkett
