#include "io/directories.h"

#include <filesystem>
#include <system_error>

#include "parkett/error.h"

namespace parkett::io {
namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail(const std::string& what, const std::string& path, const std::error_code& ec) {
  throw Error(ErrorKind::Io, what + " '" + path + "': " + ec.message(), {path, std::nullopt, {}, std::nullopt});
}

}  // namespace

void create_directories(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) fail("cannot create the directory", dir, ec);
  if (!fs::is_directory(dir, ec)) fail("not a directory:", dir, ec ? ec : std::make_error_code(std::errc::not_a_directory));
}

std::optional<std::string> any_file_below(const std::string& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) return std::nullopt;
  if (!fs::is_directory(dir, ec)) return dir;
  fs::recursive_directory_iterator it(dir, ec), end;
  if (ec) fail("cannot list", dir, ec);
  for (; it != end; it.increment(ec)) {
    if (ec) fail("cannot list", dir, ec);
    if (!it->is_directory(ec)) return it->path().string();
  }
  if (ec) fail("cannot list", dir, ec);
  return std::nullopt;
}

void remove_contents(const std::string& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) return;
  fs::directory_iterator it(dir, ec), end;
  if (ec) fail("cannot list", dir, ec);
  for (; it != end; it.increment(ec)) {
    if (ec) fail("cannot list", dir, ec);
    const std::string path = it->path().string();
    fs::remove_all(it->path(), ec);
    if (ec) fail("cannot remove", path, ec);
  }
  if (ec) fail("cannot list", dir, ec);
}

void remove_file(const std::string& path) {
  std::error_code ec;
  fs::remove(path, ec);
  if (ec) fail("cannot remove", path, ec);
}

}  // namespace parkett::io
