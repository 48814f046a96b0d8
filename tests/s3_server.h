// S3 for tests: a moto_server on 127.0.0.1 (the one scripts/run-tests starts and names in
// PARKETT_TEST_S3_ENDPOINT, else one this process starts on a free port and stops at exit),
// a fresh bucket per test, and boto3 (an independent S3 client) to put and inspect objects.
// FaultProxy stands between parkett and the server to fail requests on purpose.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "parkett/s3.h"
#include "temp_dir.h"

namespace parkett::test {

/// "http://127.0.0.1:PORT" of the test server, started on first use.
const std::string& s3_endpoint();

/// Runs a Python script with boto3 bound to the test server as `s3` (a client) and sys.argv
/// as given; returns its standard output. Fails the test when the script fails.
std::string boto3(const std::string& script, const std::vector<std::string>& args = {});

/// A fixture with its own bucket (named after the test) and a local temporary directory.
class S3Test : public TempDirTest {
 protected:
  void SetUp() override;
  /// Options reaching the test server with the test credentials.
  S3Options options() const;
  /// "s3://BUCKET/key"
  std::string url(const std::string& key) const { return "s3://" + bucket_ + "/" + key; }

  std::string bucket_;
};

/// A TCP proxy in front of the test server that serves one request per connection and
/// decides for each what happens: forwarded, answered with an error, cut off, or dropped.
class FaultProxy {
 public:
  enum class Action {
    Forward,
    SlowDown503,
    InternalError500,
    TruncateBody,
    DropConnection,
    IgnoreRange,  // forwarded without its Range header: the whole object comes back, as from a server without ranges
    Redirect,     // answered with 307 to the same path on the server (as a CDN sends a client on)
  };
  /// `decide(n, request)` picks the action for the n-th request (from 0), given its request
  /// line and its Range header ("GET /b/k HTTP/1.1 Range: bytes=0-9").
  explicit FaultProxy(std::function<Action(int, const std::string&)> decide);
  ~FaultProxy();
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int requests() const { return count_.load(); }
  /// The head (request line and headers) of every request so far, in arrival order.
  std::vector<std::string> heads() const;

 private:
  void serve();
  void handle(int client, int n);

  std::function<Action(int, const std::string&)> decide_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<int> count_{0};
  std::atomic<bool> stopping_{false};
  mutable std::mutex heads_mutex_;
  std::vector<std::string> heads_;
  std::thread thread_;
};

}  // namespace parkett::test
