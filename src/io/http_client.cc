#include "io/http_client.h"

#include <curl/curl.h>
#include <openssl/crypto.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <deque>
#include <mutex>
#include <random>
#include <thread>

#include "parkett/error.h"
#include "parkett/filesystem.h"

namespace parkett::io {

namespace {

using Clock = std::chrono::steady_clock;

// A body we keep in memory (errors, listings, upload ids) is small; a store sending more is
// refused rather than buffered without bound.
constexpr size_t kMaxBufferedBody = size_t{64} << 20;

void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    // OpenSSL must not clean up at exit: worker threads that signed requests still hold
    // per-thread state then, which they free themselves when they end (after exit handlers).
    OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, nullptr);
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) throw Error(ErrorKind::Io, "libcurl failed to initialise");
  });
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
  return std::string(s);
}

// Failures of the connection or of the transfer that another attempt may not meet.
bool transient(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return true;
    default:
      return false;
  }
}

bool transient(long status) { return status == 429 || status == 500 || status == 502 || status == 503 || status == 504; }

}  // namespace

std::string HttpOptions::key() const {
  return std::to_string(verify_tls) + '\n' + ca_file + '\n' + std::to_string(connect_timeout_ms) + '\n' +
         std::to_string(idle_timeout_ms) + '\n' + std::to_string(max_concurrent) + '\n' + std::to_string(max_retries) +
         '\n' + std::to_string(retry_base_delay_ms) + '\n' + std::to_string(retry_max_delay_ms) + '\n' +
         std::to_string(retry_budget) + '\n' + user_agent + '\n' + std::to_string(follow_redirects);
}

std::string HttpResponse::header(const std::string& name) const {
  for (const auto& [n, v] : headers) {
    if (n == name) return v;
  }
  return {};
}

struct HttpClient::Shared {
  CURLSH* share = nullptr;
  std::mutex locks[CURL_LOCK_DATA_LAST];
  std::mutex pool_mutex;
  std::vector<CURL*> pool;  // idle easy handles, reused so that their settings need no rebuild
  // Idle multi handles with their connection caches: libcurl does not let threads share a
  // connection cache, so each perform() takes a whole multi handle (its connections kept
  // alive) and gives it back.
  std::vector<CURLM*> multis;
  std::mutex tokens_mutex;
  int tokens = 0;
  int max_connections = 16;  // kept alive per multi handle

  CURL* acquire() {
    {
      std::lock_guard lock(pool_mutex);
      if (!pool.empty()) {
        CURL* easy = pool.back();
        pool.pop_back();
        curl_easy_reset(easy);
        return easy;
      }
    }
    CURL* easy = curl_easy_init();
    if (!easy) throw Error(ErrorKind::Io, "libcurl could not make a request handle");
    return easy;
  }
  void release(CURL* easy) {
    std::lock_guard lock(pool_mutex);
    pool.push_back(easy);
  }
  CURLM* acquire_multi() {
    {
      std::lock_guard lock(pool_mutex);
      if (!multis.empty()) {
        CURLM* multi = multis.back();
        multis.pop_back();
        return multi;
      }
    }
    CURLM* multi = curl_multi_init();
    if (!multi) throw Error(ErrorKind::Io, "libcurl could not make a transfer set");
    curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, static_cast<long>(max_connections));
    return multi;
  }
  // Keeps a few idle multi handles (and their connections); more go.
  void release_multi(CURLM* multi) {
    {
      std::lock_guard lock(pool_mutex);
      if (multis.size() < 8) {
        multis.push_back(multi);
        return;
      }
    }
    curl_multi_cleanup(multi);
  }
  // Takes `cost` tokens for a retry; false when the budget is spent.
  bool spend(int cost) {
    std::lock_guard lock(tokens_mutex);
    if (tokens < cost) return false;
    tokens -= cost;
    return true;
  }
  void earn(int limit) {
    std::lock_guard lock(tokens_mutex);
    tokens = std::min(limit, tokens + 1);
  }
};

HttpClient::HttpClient(HttpOptions options) : options_(std::move(options)), shared_(std::make_unique<Shared>()) {
  init_curl_once();
  shared_->tokens = options_.retry_budget;
  shared_->max_connections = std::max(1, options_.max_concurrent);
  shared_->share = curl_share_init();
  if (!shared_->share) throw Error(ErrorKind::Io, "libcurl could not make a connection pool");
  curl_share_setopt(shared_->share, CURLSHOPT_LOCKFUNC, +[](CURL*, curl_lock_data data, curl_lock_access, void* user) {
    static_cast<Shared*>(user)->locks[data].lock();
  });
  curl_share_setopt(shared_->share, CURLSHOPT_UNLOCKFUNC, +[](CURL*, curl_lock_data data, void* user) {
    static_cast<Shared*>(user)->locks[data].unlock();
  });
  curl_share_setopt(shared_->share, CURLSHOPT_USERDATA, shared_.get());
  curl_share_setopt(shared_->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  curl_share_setopt(shared_->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
}

HttpClient::~HttpClient() {
  for (CURL* easy : shared_->pool) curl_easy_cleanup(easy);
  for (CURLM* multi : shared_->multis) curl_multi_cleanup(multi);
  curl_share_cleanup(shared_->share);
}

namespace {

// One attempt of one exchange, in flight in a multi handle.
struct Transfer {
  HttpExchange* exchange = nullptr;
  HttpRequest request;
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  size_t body_sent = 0;
  bool overflow = false;  // more body than asked for, or than we buffer
  bool timed_out = false;
  Clock::time_point ready;  // a retry waits until then
  char error[CURL_ERROR_SIZE] = {};
};

// Every attempt of every client in the process (remote_transfer_counts()).
std::atomic<int64_t> requests_sent{0}, bytes_received{0}, bytes_sent{0};

void count_transfer(CURL* easy) {
  curl_off_t down = 0, up = 0;
  curl_easy_getinfo(easy, CURLINFO_SIZE_DOWNLOAD_T, &down);
  curl_easy_getinfo(easy, CURLINFO_SIZE_UPLOAD_T, &up);
  ++requests_sent;
  bytes_received += static_cast<int64_t>(down);
  bytes_sent += static_cast<int64_t>(up);
}

size_t on_body(char* data, size_t, size_t n, void* user) {
  Transfer& t = *static_cast<Transfer*>(user);
  HttpResponse& r = t.exchange->response;
  long status = 0;
  curl_easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &status);
  if (t.exchange->sink && status >= 200 && status < 300) {
    if (r.sink_bytes + static_cast<int64_t>(n) > t.exchange->sink_size) {
      t.overflow = true;
      return 0;  // aborts the transfer
    }
    std::memcpy(t.exchange->sink + r.sink_bytes, data, n);
    r.sink_bytes += static_cast<int64_t>(n);
    return n;
  }
  if (r.body.size() + n > kMaxBufferedBody) {
    t.overflow = true;
    return 0;
  }
  r.body.append(data, n);
  return n;
}

size_t on_header(char* data, size_t, size_t n, void* user) {
  Transfer& t = *static_cast<Transfer*>(user);
  const std::string_view line(data, n);
  if (line.starts_with("HTTP/")) {
    t.exchange->response.headers.clear();  // a new response (after 100 Continue)
  } else if (const size_t colon = line.find(':'); colon != std::string_view::npos) {
    t.exchange->response.headers.emplace_back(lower(trim(line.substr(0, colon))), trim(line.substr(colon + 1)));
  }
  return n;
}

size_t on_read(char* out, size_t size, size_t n, void* user) {
  Transfer& t = *static_cast<Transfer*>(user);
  const size_t left = t.request.body.size() - t.body_sent;
  const size_t take = std::min(left, size * n);
  std::memcpy(out, t.request.body.data() + t.body_sent, take);
  t.body_sent += take;
  return take;
}

int on_seek(void* user, curl_off_t offset, int origin) {
  Transfer& t = *static_cast<Transfer*>(user);
  if (origin != SEEK_SET || offset < 0 || static_cast<size_t>(offset) > t.request.body.size()) return CURL_SEEKFUNC_FAIL;
  t.body_sent = static_cast<size_t>(offset);
  return CURL_SEEKFUNC_OK;
}

}  // namespace

void HttpClient::perform(HttpExchange& exchange) const {
  HttpExchange* one = &exchange;
  perform(std::span<HttpExchange* const>(&one, 1), nullptr);
}

void HttpClient::perform(std::span<HttpExchange* const> exchanges, const std::atomic<bool>* cancel) const {
  if (exchanges.empty()) return;
  CURLM* multi = shared_->acquire_multi();
  std::deque<Transfer> transfers;  // stable addresses: libcurl holds pointers to them
  std::vector<Transfer*> waiting;  // not started, or waiting to be retried
  for (HttpExchange* e : exchanges) {
    e->response = HttpResponse{};
    transfers.emplace_back().exchange = e;
    waiting.push_back(&transfers.back());
  }
  std::reverse(waiting.begin(), waiting.end());  // started from the back: first given, first sent
  size_t active = 0;
  thread_local std::mt19937_64 random{std::random_device{}()};

  auto start = [&](Transfer& t) {
    HttpResponse& r = t.exchange->response;
    const int attempts = r.attempts + 1;
    r = HttpResponse{};
    r.attempts = attempts;
    t.request = t.exchange->request();
    t.body_sent = 0;
    t.overflow = false;
    t.timed_out = false;
    t.error[0] = 0;
    t.easy = shared_->acquire();
    CURL* h = t.easy;
    curl_easy_setopt(h, CURLOPT_SHARE, shared_->share);
    curl_easy_setopt(h, CURLOPT_PRIVATE, &t);
    curl_easy_setopt(h, CURLOPT_URL, t.request.url.c_str());
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1);
    curl_easy_setopt(h, CURLOPT_PATH_AS_IS, 1L);  // keys may hold "/./" and "/../": sent as signed
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, t.error);
    if (!options_.user_agent.empty()) curl_easy_setopt(h, CURLOPT_USERAGENT, options_.user_agent.c_str());
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, options_.follow_redirects ? 1L : 0L);
    if (options_.follow_redirects) {
      curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
      curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    }
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout_ms));
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, std::max(1L, static_cast<long>(options_.idle_timeout_ms / 1000)));
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, options_.verify_tls ? 1L : 0L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, options_.verify_tls ? 2L : 0L);
    if (!options_.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, options_.ca_file.c_str());
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &t);
    t.headers = curl_slist_append(nullptr, "Expect:");  // no 100-continue round trip before bodies
    for (const std::string& header : t.request.headers) t.headers = curl_slist_append(t.headers, header.c_str());
    const std::string& m = t.request.method;
    if (m == "HEAD") {
      curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    } else if (m == "PUT") {
      curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
      curl_easy_setopt(h, CURLOPT_READFUNCTION, on_read);
      curl_easy_setopt(h, CURLOPT_READDATA, &t);
      curl_easy_setopt(h, CURLOPT_SEEKFUNCTION, on_seek);
      curl_easy_setopt(h, CURLOPT_SEEKDATA, &t);
      curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(t.request.body.size()));
    } else if (m == "POST") {
      // No form encoding is implied (curl's default type): the caller names its type or none.
      bool typed = false;
      for (const std::string& header : t.request.headers) typed = typed || lower(header).starts_with("content-type:");
      if (!typed) t.headers = curl_slist_append(t.headers, "Content-Type:");
      curl_easy_setopt(h, CURLOPT_POST, 1L);
      curl_easy_setopt(h, CURLOPT_POSTFIELDS, t.request.body.empty() ? "" : reinterpret_cast<const char*>(t.request.body.data()));
      curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(t.request.body.size()));
    } else if (m != "GET") {
      curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, m.c_str());
    }
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, t.headers);
    ++active;
    if (curl_multi_add_handle(multi, h) != CURLM_OK) {
      curl_easy_setopt(h, CURLOPT_PRIVATE, nullptr);
      throw Error(ErrorKind::Io, "libcurl could not start a request");
    }
  };

  // Ends an attempt; true when the exchange is to be tried again.
  auto finish = [&](Transfer& t, CURLcode code) {
    HttpResponse& r = t.exchange->response;
    curl_easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &r.status);
    count_transfer(t.easy);
    curl_multi_remove_handle(multi, t.easy);
    shared_->release(t.easy);
    t.easy = nullptr;
    curl_slist_free_all(t.headers);
    t.headers = nullptr;
    --active;
    bool retry = false;
    if (code != CURLE_OK) {
      if (t.overflow) {
        r.transport_error = t.exchange->sink && r.status >= 200 && r.status < 300
                                ? "the body was longer than the " + std::to_string(t.exchange->sink_size) + " bytes asked for"
                                : "the response body was larger than " + std::to_string(kMaxBufferedBody) + " bytes";
      } else {
        r.transport_error = t.error[0] ? t.error : curl_easy_strerror(code);
        retry = transient(code);
        t.timed_out = code == CURLE_OPERATION_TIMEDOUT;
      }
    } else if (t.exchange->sink && r.status >= 200 && r.status < 300 && r.sink_bytes != t.exchange->sink_size) {
      r.transport_error = "the body ended after " + std::to_string(r.sink_bytes) + " of " +
                          std::to_string(t.exchange->sink_size) + " bytes";
      retry = true;
    } else {
      retry = transient(r.status) || (t.exchange->retry_also && t.exchange->retry_also(r));
    }
    if (!retry) {
      if (r.ok()) shared_->earn(options_.retry_budget);
      return false;
    }
    if (r.attempts > options_.max_retries || !shared_->spend(t.timed_out ? 10 : 5)) return false;
    // Full jitter: a random wait up to the exponential bound spreads out clients that failed together.
    const int64_t bound = std::min(options_.retry_max_delay_ms,
                                   options_.retry_base_delay_ms << std::min(r.attempts - 1, 16));
    std::uniform_int_distribution<int64_t> wait(0, std::max<int64_t>(0, bound));
    t.ready = Clock::now() + std::chrono::milliseconds(wait(random));
    return true;
  };

  try {
    while (active > 0 || !waiting.empty()) {
      if (cancel && cancel->load()) throw Error(ErrorKind::Io, "cancelled");
      const auto now = Clock::now();
      auto next_ready = Clock::time_point::max();
      for (size_t i = waiting.size(); i-- > 0 && active < static_cast<size_t>(std::max(1, options_.max_concurrent));) {
        if (waiting[i]->ready <= now) {
          Transfer* t = waiting[i];
          waiting.erase(waiting.begin() + static_cast<std::ptrdiff_t>(i));
          start(*t);
        }
      }
      if (active < static_cast<size_t>(std::max(1, options_.max_concurrent))) {
        for (Transfer* t : waiting) next_ready = std::min(next_ready, t->ready);
      }
      int64_t wait_ms = 1000;
      if (next_ready != Clock::time_point::max()) {
        wait_ms = std::clamp<int64_t>(
            std::chrono::duration_cast<std::chrono::milliseconds>(next_ready - Clock::now()).count(), 0, 1000);
      }
      if (active == 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(wait_ms));
        continue;
      }
      int running = 0;
      curl_multi_perform(multi, &running);
      int queued = 0;
      bool finished = false;
      while (CURLMsg* msg = curl_multi_info_read(multi, &queued)) {
        if (msg->msg != CURLMSG_DONE) continue;
        char* user = nullptr;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &user);
        Transfer* t = reinterpret_cast<Transfer*>(user);
        if (finish(*t, msg->data.result)) waiting.insert(waiting.begin(), t);
        finished = true;
      }
      if (finished && !waiting.empty()) continue;  // freed slots take waiting transfers at once
      if (cancel) wait_ms = std::min<int64_t>(wait_ms, 50);  // a cancel is noticed soon
      if (active > 0) curl_multi_poll(multi, nullptr, 0, static_cast<int>(std::max<int64_t>(wait_ms, 1)), nullptr);
    }
  } catch (...) {
    // Transfers cut off mid-way leave their connections unusable: the multi handle goes too.
    for (Transfer& t : transfers) {
      if (t.easy) {
        curl_multi_remove_handle(multi, t.easy);
        shared_->release(t.easy);
        curl_slist_free_all(t.headers);
      }
    }
    curl_multi_cleanup(multi);
    throw;
  }
  shared_->release_multi(multi);
}

}  // namespace parkett::io

namespace parkett {

TransferCounts remote_transfer_counts() {
  return {io::requests_sent.load(), io::bytes_received.load(), io::bytes_sent.load()};
}

}  // namespace parkett
