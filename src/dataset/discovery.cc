#include "dataset/discovery.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "parkett/error.h"

namespace parkett::dataset {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> split(const std::string& path) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= path.size()) {
    const size_t end = std::min(path.find('/', start), path.size());
    if (end > start) out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// `*` and `?` within one name.
bool name_match(const char* p, const char* s) {
  // Iterative with one backtrack point: linear in practice, never exponential.
  const char* star = nullptr;
  const char* resume = nullptr;
  while (*s) {
    if (*p == '?' || (*p && *p != '*' && *p == *s)) {
      ++p;
      ++s;
    } else if (*p == '*') {
      star = p++;
      resume = s;
    } else if (star) {
      p = star + 1;
      s = ++resume;
    } else {
      return false;
    }
  }
  while (*p == '*') ++p;
  return *p == 0;
}

bool segments_match(const std::vector<std::string>& pattern, size_t pi, const std::vector<std::string>& path,
                    size_t si) {
  if (pi == pattern.size()) return si == path.size();
  if (pattern[pi] == "**") {
    // Zero or more directories: try each suffix (a pattern has few `**`).
    for (size_t k = si; k <= path.size(); ++k) {
      if (segments_match(pattern, pi + 1, path, k)) return true;
    }
    return false;
  }
  return si < path.size() && name_match(pattern[pi].c_str(), path[si].c_str()) &&
         segments_match(pattern, pi + 1, path, si + 1);
}

// A directory partitioning's null is a directory named `__HIVE_DEFAULT_PARTITION__`: not hidden.
bool hidden(const std::string& name) {
  return !name.empty() && (name[0] == '_' || name[0] == '.') && name != "__HIVE_DEFAULT_PARTITION__";
}

bool has_extension(const std::string& name, const std::vector<std::string>& extensions) {
  for (const std::string& e : extensions) {
    if (name.size() >= e.size() && name.compare(name.size() - e.size(), e.size(), e) == 0) return true;
  }
  return false;
}

std::string without_trailing_slash(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

[[noreturn]] void io_error(const std::string& what, const std::error_code& ec) {
  throw Error(ErrorKind::Io, what + ": " + ec.message());
}

// Files below `root`, skipping hidden names; `keep(path)` says which to take.
template <class Keep>
void walk(const std::string& root, Discovered& out, Keep keep) {
  std::error_code ec;
  fs::recursive_directory_iterator it(root, fs::directory_options::none, ec);
  if (ec) io_error("cannot list '" + root + "'", ec);
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) io_error("cannot list '" + root + "'", ec);
    const std::string name = it->path().filename().string();
    const bool is_dir = it->is_directory(ec);
    if (hidden(name)) {
      if (is_dir) {
        it.disable_recursion_pending();
      } else if (it.depth() == 0 && (name == "_metadata" || name == "_common_metadata")) {
        (name == "_metadata" ? out.metadata_file : out.common_metadata_file) = it->path().string();
      }
      continue;
    }
    if (is_dir || !it->is_regular_file(ec)) continue;
    const std::string path = it->path().string();
    if (keep(path)) out.files.push_back(path);
  }
  ec.clear();
  std::sort(out.files.begin(), out.files.end());
}

}  // namespace

bool glob_match(const std::string& pattern, const std::string& path) {
  return segments_match(split(pattern), 0, split(path), 0);
}

std::vector<std::string> segments_below(const std::string& base, const std::string& file) {
  // An empty base: relative paths are below it, absolute ones not.
  if (base.empty() && !file.empty() && file[0] == '/') return {};
  const std::string prefix = base.empty() ? "" : base.back() == '/' ? base : base + "/";
  if (file.compare(0, prefix.size(), prefix) != 0) return {};
  std::vector<std::string> parts = split(file.substr(prefix.size()));
  if (!parts.empty()) parts.pop_back();  // the file's own name
  return parts;
}

Discovered discover(const std::string& source, const std::vector<std::string>& extensions) {
  Discovered out;
  if (source.find_first_of("*?") != std::string::npos) {
    // The directories before the first segment with a wildcard are walked.
    const std::vector<std::string> parts = split(source);
    std::string root = source.front() == '/' ? "/" : "";
    for (const std::string& p : parts) {
      if (p.find_first_of("*?") != std::string::npos) break;
      root += (root.empty() || root.back() == '/' ? "" : "/") + p;
    }
    if (root.empty()) root = ".";
    out.base = without_trailing_slash(root);
    std::error_code ec;
    if (!fs::is_directory(root, ec)) {
      throw Error(ErrorKind::NotFound, "no directory '" + root + "' to match '" + source + "' in");
    }
    // A relative root "." lists paths as "./x": match the pattern against the same form.
    const std::string pattern = root == "." && source.rfind("./", 0) != 0 ? "./" + source : source;
    walk(root, out, [&](const std::string& path) { return glob_match(pattern, path); });
    return out;
  }
  std::error_code ec;
  const fs::file_status status = fs::status(source, ec);
  if (ec || !fs::exists(status)) throw Error(ErrorKind::NotFound, "no file or directory '" + source + "'");
  if (fs::is_directory(status)) {
    out.base = without_trailing_slash(source);
    walk(source, out, [&](const std::string& path) { return has_extension(path, extensions); });
    return out;
  }
  out.files.push_back(source);
  out.base = fs::path(source).parent_path().string();
  return out;
}

Discovered listed(const std::vector<std::string>& files) {
  Discovered out;
  out.files = files;
  if (files.empty()) return out;
  // The longest directory prefix of every file.
  std::vector<std::string> common = split(fs::path(files[0]).parent_path().string());
  for (const std::string& f : files) {
    const std::vector<std::string> dirs = split(fs::path(f).parent_path().string());
    size_t n = 0;
    while (n < common.size() && n < dirs.size() && common[n] == dirs[n]) ++n;
    common.resize(n);
  }
  std::string base = files[0].front() == '/' ? "/" : "";
  for (const std::string& d : common) base += (base.empty() || base.back() == '/' ? "" : "/") + d;
  out.base = base;
  return out;
}

}  // namespace parkett::dataset
