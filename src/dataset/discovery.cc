#include "dataset/discovery.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "parkett/error.h"
#include "util/task_queue.h"

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

// "s3://bucket/dir" -> {"s3://", "bucket/dir"}; a local path has no scheme.
std::pair<std::string, std::string> split_scheme(const std::string& path) {
  const size_t at = path.find("://");
  if (at == std::string::npos || path.find('/') < at) return {"", path};
  return {path.substr(0, at + 3), path.substr(at + 3)};
}

std::string without_trailing_slash(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

[[noreturn]] void io_error(const std::string& what, const std::error_code& ec) {
  throw Error(ErrorKind::Io, what + ": " + ec.message());
}

struct Entry {
  std::string name;
  bool directory = false, file = false;
};

[[noreturn]] void list_error(const std::string& dir, int err) {
  io_error("cannot list '" + dir + "'", std::error_code(err, std::generic_category()));
}

// The entries of the directory open as `fd` (named `dir` in errors), read with getdents64:
// their types come with the names (a stat only for symbolic links and file systems that
// give none). A symbolic link to a directory counts as neither: it is not followed.
std::vector<Entry> list_directory(int fd, const std::string& dir) {
  std::vector<Entry> out;
  alignas(8) char buffer[32768];
  for (;;) {
    const ssize_t n = ::getdents64(fd, buffer, sizeof buffer);
    if (n < 0) list_error(dir, errno);
    if (n == 0) break;
    for (ssize_t at = 0; at < n;) {
      const auto* d = reinterpret_cast<const struct dirent64*>(buffer + at);
      at += d->d_reclen;
      if (std::strcmp(d->d_name, ".") == 0 || std::strcmp(d->d_name, "..") == 0) continue;
      Entry e{d->d_name};
      const unsigned char type = d->d_type;
      if (type == DT_UNKNOWN || type == DT_LNK) {
        // The entry itself first (a link is not followed into a directory), then what a
        // link points to (a link to a regular file is read).
        struct stat st {};
        if (::fstatat(fd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
          e.file = S_ISREG(st.st_mode);
          e.directory = S_ISDIR(st.st_mode);
          if (S_ISLNK(st.st_mode) && ::fstatat(fd, d->d_name, &st, 0) == 0) e.file = S_ISREG(st.st_mode);
        }
      } else {
        e.file = type == DT_REG;
        e.directory = type == DT_DIR;
      }
      out.push_back(std::move(e));
    }
  }
  return out;
}

// A directory opened relative to its parent (`parent` < 0: by path): no path lookup
// from the root for each of thousands of partition directories.
class DirectoryFd {
 public:
  DirectoryFd(int parent, const std::string& name, const std::string& path)
      : fd_(::openat(parent < 0 ? AT_FDCWD : parent, (parent < 0 ? path : name).c_str(),
                     O_RDONLY | O_DIRECTORY | O_CLOEXEC)) {
    if (fd_ < 0) list_error(path, errno);
  }
  ~DirectoryFd() { ::close(fd_); }
  DirectoryFd(const DirectoryFd&) = delete;
  DirectoryFd& operator=(const DirectoryFd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// The data files below the directory `fd` (path `dir`), depth first, into `files`.
template <class Keep>
void walk_below(int fd, const std::string& dir, const Keep& keep, std::vector<std::string>& files) {
  for (const Entry& e : list_directory(fd, dir)) {
    if (hidden(e.name)) continue;
    const std::string path = dir + "/" + e.name;
    if (e.directory) {
      const DirectoryFd sub(fd, e.name, path);
      walk_below(sub.get(), path, keep, files);
    } else if (e.file && keep(path)) {
      files.push_back(path);
    }
  }
}

// Files below `root`, skipping hidden names; `keep(path)` says which to take. The
// directories directly below the root are walked in parallel.
template <class Keep>
void walk(const std::string& root, int threads, Discovered& out, Keep keep) {
  const std::string top = without_trailing_slash(root);
  const std::string prefix = top == "/" ? "" : top;
  const DirectoryFd root_fd(-1, top, top);
  std::vector<std::string> subdirectories;
  for (const Entry& e : list_directory(root_fd.get(), top)) {
    const std::string path = prefix + "/" + e.name;
    if (hidden(e.name)) {
      if (e.file && (e.name == "_metadata" || e.name == "_common_metadata")) {
        (e.name == "_metadata" ? out.metadata_file : out.common_metadata_file) = path;
      }
      continue;
    }
    if (e.directory) subdirectories.push_back(e.name);
    if (e.file && keep(path)) out.files.push_back(path);
  }
  std::vector<std::vector<std::string>> found(subdirectories.size());
  util::run_tasks(subdirectories.size(), threads, [&](size_t i) {
    const std::string path = prefix + "/" + subdirectories[i];
    const DirectoryFd sub(root_fd.get(), subdirectories[i], path);
    walk_below(sub.get(), path, keep, found[i]);
  });
  for (const auto& f : found) out.files.insert(out.files.end(), f.begin(), f.end());
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

Discovered discover(const std::string& source, const std::vector<std::string>& extensions, int threads) {
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
    walk(root, threads, out, [&](const std::string& path) { return glob_match(pattern, path); });
    return out;
  }
  std::error_code ec;
  const fs::file_status status = fs::status(source, ec);
  if (ec || !fs::exists(status)) throw Error(ErrorKind::NotFound, "no file or directory '" + source + "'");
  if (fs::is_directory(status)) {
    out.base = without_trailing_slash(source);
    walk(source, threads, out, [&](const std::string& path) { return has_extension(path, extensions); });
    return out;
  }
  out.files.push_back(source);
  out.base = fs::path(source).parent_path().string();
  return out;
}

Discovered discover(const FileSystem& store, const std::string& source, const std::vector<std::string>& extensions) {
  Discovered out;
  const bool glob = source.find_first_of("*?") != std::string::npos;
  std::string root;
  if (glob) {
    const auto [scheme, rest] = split_scheme(source);
    root = !scheme.empty() ? scheme : rest.starts_with("/") ? "/" : "";
    for (const std::string& p : split(rest)) {
      if (p.find_first_of("*?") != std::string::npos) break;
      root += (root.empty() || root.back() == '/' ? "" : "/") + p;
    }
    if (root.empty()) root = ".";
    if (store.kind(root) != FileSystem::Kind::Directory) {
      throw Error(ErrorKind::NotFound, "no directory '" + root + "' to match '" + source + "' in");
    }
  } else {
    switch (store.kind(source)) {
      case FileSystem::Kind::None: throw Error(ErrorKind::NotFound, "no file or directory '" + source + "'");
      case FileSystem::Kind::File:
        out.files.push_back(source);
        out.base = source.rfind('/') == std::string::npos ? "" : source.substr(0, source.rfind('/'));
        return out;
      case FileSystem::Kind::Directory: root = source; break;
    }
  }
  out.base = without_trailing_slash(root);
  const std::string prefix = out.base.back() == '/' ? out.base : out.base + "/";
  // A relative root "." lists paths as "./x": the pattern is matched in the same form.
  const std::string pattern = root == "." && !source.starts_with("./") ? "./" + source : source;
  for (const FileInfo& f : store.list(out.base)) {
    if (f.path.size() <= prefix.size() || f.path.compare(0, prefix.size(), prefix) != 0) continue;
    const std::vector<std::string> below = split(f.path.substr(prefix.size()));
    if (std::any_of(below.begin(), below.end(), hidden)) {
      if (below.size() == 1 && (below[0] == "_metadata" || below[0] == "_common_metadata")) {
        (below[0] == "_metadata" ? out.metadata_file : out.common_metadata_file) = f.path;
      }
      continue;
    }
    if (glob ? glob_match(pattern, f.path) : has_extension(f.path, extensions)) out.files.push_back(f.path);
  }
  std::sort(out.files.begin(), out.files.end());
  return out;
}

Discovered listed(const std::vector<std::string>& files) {
  Discovered out;
  out.files = files;
  if (files.empty()) return out;
  // The longest directory prefix of every file (URLs keep their scheme: "s3://bucket/dir").
  const std::string scheme = split_scheme(files[0]).first;
  auto directories = [&](const std::string& f) {
    std::vector<std::string> d = split(split_scheme(f).second);
    if (!d.empty()) d.pop_back();
    return d;
  };
  std::vector<std::string> common = directories(files[0]);
  for (const std::string& f : files) {
    const std::vector<std::string> dirs = directories(f);
    size_t n = 0;
    while (n < common.size() && n < dirs.size() && common[n] == dirs[n] && split_scheme(f).first == scheme) ++n;
    common.resize(n);
  }
  std::string base = !scheme.empty() ? scheme : files[0].front() == '/' ? "/" : "";
  for (const std::string& d : common) base += (base.empty() || base.back() == '/' ? "" : "/") + d;
  out.base = base;
  return out;
}

}  // namespace parkett::dataset
