// FileSystem on S3: one client (connections, TLS sessions, retry budget) for every file.
// S3 has no directories: a "directory" is a prefix ending in '/', which exists while objects
// live under it; zero-byte "folder/" markers some tools create are not files.
#include <map>
#include <mutex>

#include "io/s3_client.h"
#include "io/remote_file.h"
#include "io/s3_upload.h"
#include "parkett/error.h"
#include "parkett/filesystem.h"

namespace parkett {

namespace {

std::string as_prefix(const std::string& key) { return key.empty() || key.back() == '/' ? key : key + "/"; }

class S3FileSystem final : public FileSystem {
 public:
  explicit S3FileSystem(std::shared_ptr<const io::S3Client> client) : client_(std::move(client)) {}

  std::shared_ptr<const InputFile> open_input(const std::string& path, int64_t tail_bytes) const override {
    const io::S3Location where = io::parse_s3_url(path);
    if (where.key.empty() || where.key.back() == '/') {
      throw Error(ErrorKind::InvalidArgument, "names a prefix, not an object", ErrorContext{where.url(), {}, {}, {}});
    }
    return io::open_remote_input(std::shared_ptr<const io::HttpClient>(client_, &client_->http()),
                                 client_->object(where), tail_bytes, client_->config().cache_bytes);
  }
  std::unique_ptr<OutputFile> open_output(const std::string& path) const override {
    return io::open_s3_output(client_, io::parse_s3_url(path));
  }
  void create_directories(const std::string&) const override {}
  std::vector<FileInfo> list(const std::string& dir) const override {
    const io::S3Location where = io::parse_s3_url(dir);
    std::vector<FileInfo> out;
    for (const io::S3Object& o : client_->list(where.bucket, as_prefix(where.key))) {
      if (o.key.empty() || o.key.back() == '/') continue;
      out.push_back({"s3://" + where.bucket + "/" + o.key, o.size});
    }
    return out;
  }
  Kind kind(const std::string& path) const override {
    const io::S3Location where = io::parse_s3_url(path);
    if (where.key.empty()) return Kind::Directory;  // a bucket
    if (where.key.back() != '/') {
      try {
        client_->head(where);
        return Kind::File;
      } catch (const Error& e) {
        if (e.kind() != ErrorKind::NotFound) throw;
      }
    }
    return client_->list(where.bucket, as_prefix(where.key), 1).empty() ? Kind::None : Kind::Directory;
  }
  void remove(const std::vector<std::string>& paths) const override {
    std::map<std::string, std::vector<std::string>> by_bucket;
    for (const std::string& p : paths) {
      io::S3Location where = io::parse_s3_url(p);
      by_bucket[where.bucket].push_back(std::move(where.key));
    }
    for (const auto& [bucket, keys] : by_bucket) client_->remove(bucket, keys);
  }
  void remove_below(const std::string& dir) const override {
    const io::S3Location where = io::parse_s3_url(dir);
    std::vector<std::string> keys;
    for (const io::S3Object& o : client_->list(where.bucket, as_prefix(where.key))) keys.push_back(o.key);
    client_->remove(where.bucket, keys);
  }

 private:
  std::shared_ptr<const io::S3Client> client_;
};

}  // namespace

std::shared_ptr<FileSystem> s3_filesystem(const S3Options& options) {
  // One client per settings in use, so that every open of an s3:// path with the same
  // settings shares connections and the retry budget (the settings as resolved: a changed
  // environment gives another client).
  io::S3Config config = io::resolve_s3_config(options, io::process_environment());
  const std::string key = config.region + '\n' + config.scheme + '\n' + config.host + '\n' +
                          std::to_string(static_cast<int>(config.addressing)) + '\n' + std::to_string(config.anonymous) +
                          '\n' + config.credentials.access_key_id + '\n' + config.credentials.secret_access_key + '\n' +
                          config.credentials.session_token + '\n' + std::to_string(config.sign_payload) + '\n' +
                          config.http.key() + '\n' + std::to_string(config.part_size) + '\n' +
                          std::to_string(config.max_parts_in_flight) + '\n' + std::to_string(config.cache_bytes);
  static std::mutex mutex;
  static std::map<std::string, std::weak_ptr<FileSystem>> clients;
  std::lock_guard lock(mutex);
  if (auto existing = clients[key].lock()) return existing;
  for (auto it = clients.begin(); it != clients.end();) it = it->second.expired() ? clients.erase(it) : std::next(it);
  auto made = std::make_shared<S3FileSystem>(std::make_shared<const io::S3Client>(std::move(config)));
  clients[key] = made;
  return made;
}

}  // namespace parkett
