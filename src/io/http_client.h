// HTTP/1.1 requests on libcurl, many at once: the transport under the S3 client. One client
// keeps one pool of connections (kept alive, TLS sessions and DNS answers reused) shared by
// every thread; perform() runs a set of exchanges concurrently on the calling thread (curl's
// multi interface), at most `max_concurrent` in flight, and retries what failed for a
// transient reason with exponential backoff and full jitter, within a client-wide retry
// budget (AWS's "standard" retry mode: retries spend tokens, successes earn some back, so a
// store that is down is not hammered by every request's retries at once).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace parkett::io {

struct HttpOptions {
  bool verify_tls = true;
  std::string ca_file;              // empty: the system's CA store
  int64_t connect_timeout_ms = 10000;
  int64_t idle_timeout_ms = 30000;  // a transfer with no byte for this long fails (retryable)
  int max_concurrent = 16;          // exchanges in flight per perform()
  int max_retries = 5;              // per exchange, after its first attempt
  int64_t retry_base_delay_ms = 100;
  int64_t retry_max_delay_ms = 5000;
  int retry_budget = 500;           // tokens: a retry costs 5 (10 after a timeout), a success returns 1
  std::string user_agent;
  bool follow_redirects = false;    // up to 5, http and https only (plain HTTP(S) files; S3 never redirects)

  /// Every setting as text: clients made with equal keys behave alike (and can be shared).
  std::string key() const;
};

struct HttpRequest {
  std::string method;  // GET, HEAD, PUT, POST, DELETE
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  std::span<const uint8_t> body;     // PUT and POST; must outlive the exchange
};

struct HttpResponse {
  long status = 0;                                            // 0: no response (transport failure)
  std::vector<std::pair<std::string, std::string>> headers;   // names lower-cased
  std::string body;        // the body, unless a 2xx went to the exchange's sink
  int64_t sink_bytes = 0;  // bytes written to the sink
  std::string transport_error;  // curl's reason when status is 0 or the body broke off
  int attempts = 0;

  /// The value of header `name` (lower case), or "" when absent.
  std::string header(const std::string& name) const;
  bool ok() const { return transport_error.empty() && status >= 200 && status < 300; }
};

struct HttpExchange {
  /// Builds the request for an attempt (called before each one, so it is signed afresh).
  std::function<HttpRequest()> request;
  /// Where a successful response's body goes: exactly `sink_size` bytes are expected; fewer
  /// or more is a broken transfer (retried). Null: the body goes to response.body.
  uint8_t* sink = nullptr;
  int64_t sink_size = 0;
  /// Also retry a response with this status and body (e.g. S3's 400 RequestTimeout).
  std::function<bool(const HttpResponse&)> retry_also;
  HttpResponse response;
};

class HttpClient {
 public:
  explicit HttpClient(HttpOptions options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  /// Runs every exchange to its final response (after retries); failures are left in each
  /// response for the caller to report. Thread-safe. When `cancel` turns true, transfers
  /// stop and Error(Io, "cancelled") is thrown.
  void perform(std::span<HttpExchange* const> exchanges, const std::atomic<bool>* cancel = nullptr) const;
  void perform(HttpExchange& exchange) const;

  const HttpOptions& options() const { return options_; }

 private:
  struct Shared;
  HttpOptions options_;
  std::unique_ptr<Shared> shared_;
};

}  // namespace parkett::io
