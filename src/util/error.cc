#include "parkett/error.h"

namespace parkett {

const char* to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::Io: return "Io";
    case ErrorKind::Corrupt: return "Corrupt";
    case ErrorKind::Unsupported: return "Unsupported";
    case ErrorKind::InvalidArgument: return "InvalidArgument";
    case ErrorKind::Crypto: return "Crypto";
    case ErrorKind::NotFound: return "NotFound";
    case ErrorKind::ResourceLimit: return "ResourceLimit";
    case ErrorKind::Internal: return "Internal";
  }
  return "Unknown";
}

Error::Error(ErrorKind kind, std::string message, ErrorContext context)
    : std::runtime_error(message), kind_(kind), message_(std::move(message)),
      context_(std::move(context)) {
  render();
}

Error& Error::set_file(const std::string& file) {
  if (context_.file.empty()) context_.file = file;
  render();
  return *this;
}

Error& Error::set_row_group(int64_t row_group) {
  if (!context_.row_group) context_.row_group = row_group;
  render();
  return *this;
}

Error& Error::set_column(const std::string& column) {
  if (context_.column.empty()) context_.column = column;
  render();
  return *this;
}

Error& Error::set_page_offset(int64_t offset) {
  if (!context_.page_offset) context_.page_offset = offset;
  render();
  return *this;
}

void Error::render() {
  std::string where;
  auto add = [&where](const std::string& part) {
    if (!where.empty()) where += ", ";
    where += part;
  };
  if (context_.row_group) add("row group " + std::to_string(*context_.row_group));
  if (!context_.column.empty()) add("column " + context_.column);
  if (context_.page_offset) add("page at offset " + std::to_string(*context_.page_offset));
  what_.clear();
  if (!context_.file.empty()) what_ = context_.file + ": ";
  if (!where.empty()) what_ += where + ": ";
  what_ += message_;
}

}  // namespace parkett
