// FileSystem on plain HTTP(S) URLs: files are read with unsigned range GETs (a Parquet file
// on a web server, a CDN, a presigned URL). Servers list nothing and take no writes, so
// those operations fail with Unsupported. Error messages name the URL without its query,
// which for a presigned URL holds the signature.
#include <map>
#include <mutex>

#include "io/http_client.h"
#include "io/remote_file.h"
#include "io/s3_config.h"
#include "parkett/error.h"
#include "parkett/filesystem.h"

namespace parkett {

namespace {

[[noreturn]] void unsupported(const std::string& what, const std::string& url) {
  throw Error(ErrorKind::Unsupported, what + ": HTTP(S) URLs are read one file at a time",
              ErrorContext{io::url_for_messages(url), {}, {}, {}});
}

class HttpFileSystem final : public FileSystem {
 public:
  HttpFileSystem(io::HttpOptions options, int64_t cache_bytes)
      : http_(std::make_shared<const io::HttpClient>(std::move(options))), cache_bytes_(cache_bytes) {}


  std::shared_ptr<const InputFile> open_input(const std::string& path, int64_t tail_bytes) const override {
    return io::open_remote_input(http_, target(path), tail_bytes, cache_bytes_);
  }
  std::unique_ptr<OutputFile> open_output(const std::string& path) const override { unsupported("cannot write", path); }
  void create_directories(const std::string& dir) const override { unsupported("cannot create directories", dir); }
  std::vector<FileInfo> list(const std::string& dir) const override { unsupported("cannot list", dir); }
  Kind kind(const std::string& path) const override {
    try {
      io::head_object(*http_, target(path));
      return Kind::File;
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::NotFound) throw;
      return Kind::None;
    }
  }
  void remove(const std::vector<std::string>& paths) const override {
    if (!paths.empty()) unsupported("cannot delete", paths.front());
  }
  void remove_below(const std::string& dir) const override { unsupported("cannot delete", dir); }

 private:
  io::RangedTarget target(const std::string& url) const {
    if (!io::is_http_url(url)) {
      throw Error(ErrorKind::InvalidArgument, "'" + url + "' is not an http:// or https:// URL");
    }
    const size_t host = url.find("://") + 3;
    const size_t host_end = url.find_first_of("/?#", host);
    if (url.find('@', host) < host_end) {
      throw Error(ErrorKind::InvalidArgument, "user names and passwords in URLs are not supported",
                  ErrorContext{url.substr(0, host) + "...", {}, {}, {}});
    }
    if (host_end == host) throw Error(ErrorKind::InvalidArgument, "names no host", ErrorContext{io::url_for_messages(url), {}, {}, {}});
    io::RangedTarget t;
    t.name = io::url_for_messages(url);
    const std::string request_url = url.substr(0, url.find('#'));
    t.request = [request_url](const std::string& method, std::vector<std::pair<std::string, std::string>> headers) {
      io::HttpRequest r;
      r.method = method;
      r.url = request_url;
      for (const auto& [name, value] : headers) r.headers.push_back(name + ": " + value);
      return r;
    };
    t.fail = [name = t.name](const std::string& operation, const io::HttpResponse& r) {
      std::string detail = r.status == 0 || (r.status >= 200 && r.status < 300)
                               ? r.transport_error
                               : "HTTP " + std::to_string(r.status);
      if (r.status == 412) detail += " (the file changed while it was read)";
      if (r.attempts > 1) detail += ", after " + std::to_string(r.attempts) + " attempts";
      const ErrorKind kind = r.status == 404 || r.status == 410 ? ErrorKind::NotFound : ErrorKind::Io;
      throw Error(kind, operation + " failed: " + detail, ErrorContext{name, {}, {}, {}});
    };
    return t;
  }

  std::shared_ptr<const io::HttpClient> http_;
  int64_t cache_bytes_;
};

}  // namespace

std::shared_ptr<FileSystem> http_filesystem(const S3Options& transport) {
  io::HttpOptions h = io::transport_options(transport);
  h.follow_redirects = true;  // CDNs and file hosts answer with redirects to the bytes
  // One client per settings in use, as for S3: connections and the retry budget are shared.
  const std::string key = h.key() + '\n' + std::to_string(transport.cache_bytes);
  static std::mutex mutex;
  static std::map<std::string, std::weak_ptr<FileSystem>> clients;
  std::lock_guard lock(mutex);
  if (auto existing = clients[key].lock()) return existing;
  for (auto it = clients.begin(); it != clients.end();) it = it->second.expired() ? clients.erase(it) : std::next(it);
  auto made = std::make_shared<HttpFileSystem>(std::move(h), transport.cache_bytes);
  clients[key] = made;
  return made;
}

}  // namespace parkett
