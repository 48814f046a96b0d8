#include "s3_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>

namespace parkett::test {

namespace {

constexpr const char* kAccessKey = "parkett-test-key";
constexpr const char* kSecretKey = "parkett-test-secret-do-not-print";

// A TCP socket bound to a free port of 127.0.0.1; `port` receives the port.
int bound_socket(int& port) {
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  const int one = 1;
  ::setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
  port = ntohs(a.sin_port);
  return s;
}

int free_port() {
  int port = 0;
  ::close(bound_socket(port));
  return port;
}

int connect_to(int port) {
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<uint16_t>(port));
  if (::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(s);
    return -1;
  }
  return s;
}

std::string quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += "'\\''";
    else out += c;
  }
  return out + "'";
}

pid_t server_pid = 0;

void stop_server() {
  if (server_pid > 0) {
    ::kill(server_pid, SIGTERM);
    ::waitpid(server_pid, nullptr, 0);
  }
}

// Reads until `out` holds a header block ("\r\n\r\n"); false when the peer closed first.
bool read_head(int fd, std::string& out, size_t& head_end) {
  char buf[65536];
  while ((head_end = out.find("\r\n\r\n")) == std::string::npos) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return false;
    out.append(buf, static_cast<size_t>(n));
  }
  head_end += 4;
  return true;
}

// The Content-Length of a header block, or -1.
long long content_length(const std::string& head) {
  std::string lower = head;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const size_t at = lower.find("\r\ncontent-length:");
  if (at == std::string::npos) return -1;
  return std::atoll(lower.c_str() + at + 17);
}

void read_exactly(int fd, std::string& out, size_t size) {
  char buf[65536];
  while (out.size() < size) {
    const ssize_t n = ::recv(fd, buf, std::min(sizeof buf, size - out.size()), 0);
    if (n <= 0) return;
    out.append(buf, static_cast<size_t>(n));
  }
}

void send_all(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
    if (n <= 0) return;
    done += static_cast<size_t>(n);
  }
}

}  // namespace

const std::string& s3_endpoint() {
  static std::once_flag once;
  static std::string endpoint;
  std::call_once(once, [] {
    if (const char* given = std::getenv("PARKETT_TEST_S3_ENDPOINT"); given && *given) {
      endpoint = given;
      return;
    }
    const int port = free_port();
    const char* moto = std::getenv("PARKETT_TEST_MOTO");
    const std::string command = std::string(moto && *moto ? moto : "moto_server") + " -H 127.0.0.1 -p " +
                                std::to_string(port) + " > /dev/null 2>&1";
    server_pid = ::fork();
    if (server_pid == 0) {
      ::setenv("MOTO_S3_DEFAULT_MAX_KEYS", "7", 1);  // listings of more keys come in pages
      ::execl("/bin/sh", "sh", "-c", ("exec " + command).c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    std::atexit(stop_server);
    endpoint = "http://127.0.0.1:" + std::to_string(port);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
      const int s = connect_to(port);
      if (s >= 0) {
        ::close(s);
        return;
      }
      if (::waitpid(server_pid, nullptr, WNOHANG) == server_pid) break;
      ::usleep(100000);
    }
    ADD_FAILURE() << "the S3 test server (" << command << ") did not start";
  });
  return endpoint;
}

std::string boto3(const std::string& script, const std::vector<std::string>& args) {
  char name[] = "/tmp/parkett-boto3-XXXXXX";
  const int fd = ::mkstemp(name);
  ::close(fd);
  {
    std::ofstream out(name);
    out << "import sys, boto3\n"
           "from botocore.config import Config\n"
           "s3 = boto3.client('s3', endpoint_url='" << s3_endpoint() << "', aws_access_key_id='" << kAccessKey
        << "', aws_secret_access_key='" << kSecretKey
        << "', region_name='us-east-1', config=Config(s3={'addressing_style': 'path'}))\n"
        << script << "\n";
  }
  const char* python = std::getenv("PARKETT_TEST_PYTHON");
  std::string command = std::string(python && *python ? python : "python3") + " " + name;
  for (const std::string& a : args) command += " " + quoted(a);
  std::string output;
  FILE* p = ::popen(command.c_str(), "r");
  char buf[4096];
  size_t n;
  while (p && (n = std::fread(buf, 1, sizeof buf, p)) > 0) output.append(buf, n);
  const int status = p ? ::pclose(p) : -1;
  ::unlink(name);
  if (status != 0) ADD_FAILURE() << "boto3 script failed (" << status << "):\n" << script << "\noutput: " << output;
  return output;
}

void S3Test::SetUp() {
  TempDirTest::SetUp();
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = "t" + std::to_string(::getpid()) + "-" + info->name();
  for (char& c : name) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '-';
  }
  bucket_ = name.substr(0, 63);
  while (bucket_.back() == '-') bucket_.pop_back();
  boto3("s3.create_bucket(Bucket=sys.argv[1])", {bucket_});
}

S3Options S3Test::options() const {
  S3Options o;
  o.endpoint_url = s3_endpoint();
  o.access_key_id = kAccessKey;
  o.secret_access_key = kSecretKey;
  o.region = "us-east-1";
  o.retry_base_delay_ms = 1;  // retries in tests need not wait
  o.retry_max_delay_ms = 20;
  return o;
}

FaultProxy::FaultProxy(std::function<Action(int, const std::string&)> decide) : decide_(std::move(decide)) {
  s3_endpoint();  // the server runs before requests come
  listener_ = bound_socket(port_);
  ::listen(listener_, 64);
  thread_ = std::thread([this] { serve(); });
}

FaultProxy::~FaultProxy() {
  stopping_ = true;
  thread_.join();
  ::close(listener_);
}

std::vector<std::string> FaultProxy::heads() const {
  std::lock_guard lock(heads_mutex_);
  return heads_;
}

void FaultProxy::serve() {
  while (!stopping_) {
    pollfd p{listener_, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    const int client = ::accept(listener_, nullptr, nullptr);
    if (client < 0) continue;
    handle(client, count_++);
    ::close(client);
  }
}

void FaultProxy::handle(int client, int n) {
  std::string request;
  size_t head_end = 0;
  if (!read_head(client, request, head_end)) return;
  const long long body = content_length(request.substr(0, head_end));
  if (body > 0) read_exactly(client, request, head_end + static_cast<size_t>(body));
  const std::string line = request.substr(0, request.find("\r\n"));
  {
    std::lock_guard lock(heads_mutex_);
    heads_.push_back(request.substr(0, head_end));
  }
  std::string range;  // the request's Range header, if any
  for (size_t at = 0; (at = request.find("\r\n", at)) != std::string::npos && at < head_end; at += 2) {
    if (request.compare(at + 2, 6, "Range:") == 0 || request.compare(at + 2, 6, "range:") == 0) {
      range = request.substr(at + 8, request.find("\r\n", at + 2) - at - 8);
    }
  }
  const Action action = decide_(n, line + (range.empty() ? "" : " Range:" + range));
  auto error = [&](int status, const char* reason, const char* code) {
    const std::string xml = std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>") + code +
                            "</Code><Message>injected by the test proxy</Message></Error>";
    send_all(client, "HTTP/1.1 " + std::to_string(status) + " " + reason +
                         "\r\nContent-Type: application/xml\r\nConnection: close\r\nContent-Length: " +
                         std::to_string(xml.size()) + "\r\n\r\n" + xml);
  };
  switch (action) {
    case Action::DropConnection: return;
    case Action::SlowDown503: return error(503, "Slow Down", "SlowDown");
    case Action::InternalError500: return error(500, "Internal Server Error", "InternalError");
    case Action::Redirect: {
      const size_t path = line.find(' ') + 1;
      send_all(client, "HTTP/1.1 307 Temporary Redirect\r\nLocation: " + s3_endpoint() +
                           line.substr(path, line.find(' ', path) - path) +
                           "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
      return;
    }
    case Action::Forward:
    case Action::TruncateBody:
    case Action::IgnoreRange: break;
  }
  if (action == Action::IgnoreRange) {
    for (size_t at = 0; (at = request.find("\r\n", at)) != std::string::npos && at < head_end; at += 2) {
      if (request.compare(at + 2, 6, "Range:") == 0 || request.compare(at + 2, 6, "range:") == 0) {
        const size_t end = request.find("\r\n", at + 2);
        request.erase(at, end - at);
        head_end -= end - at;
        break;
      }
    }
  }
  const int upstream = connect_to(std::stoi(s3_endpoint().substr(s3_endpoint().rfind(':') + 1)));
  if (upstream < 0) return;
  // One request per connection: the server is told to close, the client sees a close.
  request.insert(head_end - 2, "Connection: close\r\n");
  send_all(upstream, request);
  std::string response;
  size_t response_head = 0;
  if (read_head(upstream, response, response_head)) {
    const long long length = content_length(response.substr(0, response_head));
    response.insert(response_head - 2, "Connection: close\r\n");
    response_head += 19;
    const bool no_body = line.starts_with("HEAD ");
    if (!no_body && length >= 0) read_exactly(upstream, response, response_head + static_cast<size_t>(length));
    if (action == Action::TruncateBody && !no_body && length > 1) {
      response.resize(response_head + static_cast<size_t>(length / 2));
    }
    send_all(client, response);
  }
  ::close(upstream);
}

}  // namespace parkett::test
