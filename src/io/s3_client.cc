#include "io/s3_client.h"

#include <openssl/evp.h>

#include <ctime>
#include <optional>

#include "io/xml_scan.h"
#include "parkett/error.h"

namespace parkett::io {

namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

std::string amz_now() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &utc);
  return text;
}

// '+' is a space and %XX a byte, as S3 encodes keys in listings asked for with encoding-type=url.
std::string url_decode(std::string_view s) {
  auto hex = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string md5_base64(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &size, EVP_md5(), nullptr) != 1) {
    throw Error(ErrorKind::Internal, "MD5 failed");
  }
  unsigned char text[64];
  const int n = EVP_EncodeBlock(text, digest, static_cast<int>(size));
  return std::string(reinterpret_cast<char*>(text), static_cast<size_t>(n));
}

// The ETag S3 gives an object assembled from parts whose ETags are their MD5s:
// "MD5(concatenated part digests)-PARTS"; "" when a part's ETag is no plain MD5 (SSE-KMS).
std::string multipart_etag(const std::vector<std::pair<int, std::string>>& parts) {
  std::string digests;
  for (const auto& [number, quoted] : parts) {
    std::string_view hex(quoted);
    if (hex.size() == 34 && hex.front() == '"' && hex.back() == '"') hex = hex.substr(1, 32);
    if (hex.size() != 32) return {};
    for (size_t i = 0; i < 32; i += 2) {
      unsigned value = 0;
      for (size_t k = i; k < i + 2; ++k) {
        const char c = hex[k];
        const int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0) return {};
        value = value * 16 + static_cast<unsigned>(d);
      }
      digests += static_cast<char>(value);
    }
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(digests.data(), digests.size(), digest, &size, EVP_md5(), nullptr) != 1) return {};
  static const char* hex_digits = "0123456789abcdef";
  std::string out = "\"";
  for (unsigned i = 0; i < size; ++i) {
    out += hex_digits[digest[i] >> 4];
    out += hex_digits[digest[i] & 15];
  }
  return out + "-" + std::to_string(parts.size()) + "\"";
}

std::span<const uint8_t> as_bytes(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

// S3 answers a request it gave up waiting for with 400 RequestTimeout: another try may pass.
bool s3_retryable(const HttpResponse& r) {
  return r.status == 400 && xml_text(r.body, "Code").value_or("") == "RequestTimeout";
}

}  // namespace

bool is_s3_url(std::string_view path) { return path.starts_with("s3://"); }

S3Location parse_s3_url(std::string_view url) {
  const size_t sep = url.find("://");
  if (sep == std::string_view::npos || !is_s3_url(url)) {
    throw Error(ErrorKind::InvalidArgument, "'" + std::string(url) + "' is not an s3://bucket/key URL");
  }
  const std::string_view rest = url.substr(sep + 3);
  const size_t slash = rest.find('/');
  S3Location where;
  where.bucket = std::string(rest.substr(0, slash));
  if (slash != std::string_view::npos) where.key = std::string(rest.substr(slash + 1));
  if (where.bucket.empty()) throw Error(ErrorKind::InvalidArgument, "'" + std::string(url) + "' names no bucket");
  return where;
}

S3Client::S3Client(S3Config config) : config_(std::move(config)), http_(std::make_unique<HttpClient>(config_.http)) {}

HttpRequest S3Client::request(const std::string& method, const std::string& bucket, const std::string& key,
                              const Pairs& query, Pairs headers, std::span<const uint8_t> body) const {
  const bool path_style = config_.path_style(bucket);
  const std::string host = path_style ? config_.host : bucket + "." + config_.host;
  const std::string path = path_style ? "/" + bucket + "/" + key : "/" + key;
  const std::string encoded_path = canonical_path(path);
  const std::string encoded_query = canonical_query(query);
  HttpRequest r;
  r.method = method;
  r.url = config_.scheme + "://" + host + encoded_path + (encoded_query.empty() ? "" : "?" + encoded_query);
  r.body = body;
  if (!config_.anonymous) {
    const std::string date = amz_now();
    const std::string payload_hash =
        config_.sign_payload ? sha256_hex({reinterpret_cast<const char*>(body.data()), body.size()}) : std::string(kUnsignedPayload);
    headers.emplace_back("Host", host);
    headers.emplace_back("X-Amz-Date", date);
    headers.emplace_back("X-Amz-Content-SHA256", payload_hash);
    if (!config_.credentials.session_token.empty()) {
      headers.emplace_back("X-Amz-Security-Token", config_.credentials.session_token);
    }
    const SignableRequest signable{method, path, query, headers};
    headers.emplace_back("Authorization",
                         authorization(signable, config_.credentials, date, config_.region, "s3", payload_hash));
  }
  for (const auto& [name, value] : headers) {
    if (name != "Host") r.headers.push_back(name + ": " + value);
  }
  return r;
}

void S3Client::fail(const std::string& object, const std::string& operation, const HttpResponse& r) const {
  std::string detail;
  ErrorKind kind = ErrorKind::Io;
  if (r.status == 0 || (r.status >= 200 && r.status < 300)) {
    detail = r.transport_error;
  } else {
    const std::string code = xml_text(r.body, "Code").value_or("");
    const std::string message = xml_text(r.body, "Message").value_or("");
    detail = "HTTP " + std::to_string(r.status) + (code.empty() ? "" : " " + code) + (message.empty() ? "" : ": " + message);
    if (r.status == 404) kind = ErrorKind::NotFound;
    if (r.status == 403) detail += " (access denied with credentials from " + config_.credentials_source + ")";
    if (r.status == 412) detail += " (the object changed while it was read)";
    if (const std::string id = r.header("x-amz-request-id"); !id.empty()) detail += ", request id " + id;
  }
  if (r.attempts > 1) detail += ", after " + std::to_string(r.attempts) + " attempts";
  throw Error(kind, operation + " failed: " + detail, ErrorContext{object, {}, {}, {}});
}

S3Object S3Client::head(const S3Location& where) const {
  const RangedObject o = head_object(*http_, object(where));
  return {where.key, o.size, o.etag};
}

RangedTarget S3Client::object(const S3Location& where) const {
  RangedTarget t;
  t.name = where.url();
  t.request = [this, where](const std::string& method, Pairs headers) {
    return request(method, where.bucket, where.key, {}, std::move(headers), {});
  };
  t.retry_also = s3_retryable;
  t.fail = [this, name = t.name](const std::string& operation, const HttpResponse& r) { fail(name, operation, r); };
  return t;
}

std::vector<S3Object> S3Client::list(const std::string& bucket, const std::string& prefix, int limit) const {
  std::vector<S3Object> out;
  std::string token;
  const std::string where = "s3://" + bucket + "/" + prefix;
  for (int page = 0;; ++page) {
    Pairs query{{"list-type", "2"}, {"prefix", prefix}, {"encoding-type", "url"}};
    if (!token.empty()) query.emplace_back("continuation-token", token);
    if (limit > 0) query.emplace_back("max-keys", std::to_string(limit));
    HttpExchange e;
    e.request = [&] { return request("GET", bucket, "", query, {}, {}); };
    e.retry_also = s3_retryable;
    http_->perform(e);
    if (!e.response.ok()) fail(where, "listing (page " + std::to_string(page + 1) + ")", e.response);
    const std::string& xml = e.response.body;
    const bool url_encoded = xml_text(xml, "EncodingType").value_or("") == "url";
    for (std::string_view contents : xml_elements(xml, "Contents")) {
      S3Object o;
      o.key = xml_text(contents, "Key").value_or("");
      if (url_encoded) o.key = url_decode(o.key);
      try {
        o.size = std::stoll(xml_text(contents, "Size").value_or(""));
      } catch (const std::exception&) {
        throw Error(ErrorKind::Io, "listing gave an object without a size: '" + o.key + "'", ErrorContext{where, {}, {}, {}});
      }
      o.etag = xml_text(contents, "ETag").value_or("");
      out.push_back(std::move(o));
    }
    if (limit > 0 && static_cast<int64_t>(out.size()) >= limit) break;
    if (xml_text(xml, "IsTruncated").value_or("false") != "true") break;
    std::string next = xml_text(xml, "NextContinuationToken").value_or("");
    if (next.empty() || next == token) {
      throw Error(ErrorKind::Io, "listing page " + std::to_string(page + 1) + " is truncated but gives no new continuation token",
                  ErrorContext{where, {}, {}, {}});
    }
    token = std::move(next);
  }
  return out;
}

void S3Client::put(const S3Location& where, std::span<const uint8_t> bytes) const {
  HttpExchange e;
  e.request = [&] { return request("PUT", where.bucket, where.key, {}, {}, bytes); };
  e.retry_also = s3_retryable;
  http_->perform(e);
  if (!e.response.ok()) fail(where.url(), "PUT of " + std::to_string(bytes.size()) + " bytes", e.response);
}

std::string S3Client::start_upload(const S3Location& where) const {
  HttpExchange e;
  e.request = [&] { return request("POST", where.bucket, where.key, {{"uploads", ""}}, {}, {}); };
  e.retry_also = s3_retryable;
  http_->perform(e);
  if (!e.response.ok()) fail(where.url(), "starting a multipart upload", e.response);
  std::string id = xml_text(e.response.body, "UploadId").value_or("");
  if (id.empty()) throw Error(ErrorKind::Io, "starting a multipart upload gave no upload id", ErrorContext{where.url(), {}, {}, {}});
  return id;
}

std::vector<std::string> S3Client::upload_parts(const S3Location& where, const std::string& upload_id,
                                                std::span<const Part> parts, const std::atomic<bool>* cancel) const {
  std::vector<HttpExchange> exchanges(parts.size());
  std::vector<HttpExchange*> pending;
  for (size_t i = 0; i < parts.size(); ++i) {
    const Part part = parts[i];
    exchanges[i].request = [this, &where, &upload_id, part] {
      return request("PUT", where.bucket, where.key, {{"partNumber", std::to_string(part.number)}, {"uploadId", upload_id}},
                     {}, part.bytes);
    };
    exchanges[i].retry_also = s3_retryable;
    pending.push_back(&exchanges[i]);
  }
  http_->perform(pending, cancel);
  std::vector<std::string> etags;
  for (size_t i = 0; i < parts.size(); ++i) {
    const HttpResponse& r = exchanges[i].response;
    if (!r.ok()) fail(where.url(), "uploading part " + std::to_string(parts[i].number), r);
    etags.push_back(r.header("etag"));
    if (etags.back().empty()) {
      throw Error(ErrorKind::Io, "uploading part " + std::to_string(parts[i].number) + " gave no ETag",
                  ErrorContext{where.url(), {}, {}, {}});
    }
  }
  return etags;
}

void S3Client::complete_upload(const S3Location& where, const std::string& upload_id,
                               const std::vector<std::pair<int, std::string>>& part_etags) const {
  std::string xml = "<CompleteMultipartUpload>";
  for (const auto& [number, etag] : part_etags) {
    xml += "<Part><PartNumber>" + std::to_string(number) + "</PartNumber><ETag>" + xml_escape(etag) + "</ETag></Part>";
  }
  xml += "</CompleteMultipartUpload>";
  HttpExchange e;
  e.request = [&] {
    return request("POST", where.bucket, where.key, {{"uploadId", upload_id}}, {{"Content-Type", "application/xml"}}, as_bytes(xml));
  };
  // S3 may answer 200 and report a failure in the body, one worth retrying or not.
  auto reported = [](const HttpResponse& r) -> std::optional<std::string> {
    if (r.status != 200) return std::nullopt;
    const auto errors = xml_elements(r.body, "Error");
    if (errors.empty()) return std::nullopt;
    return xml_text(errors.front(), "Code").value_or("");
  };
  e.retry_also = [&](const HttpResponse& r) {
    const auto code = reported(r);
    return s3_retryable(r) || (code && (*code == "InternalError" || *code == "SlowDown" ||
                                        *code == "ServiceUnavailable" || *code == "RequestTimeout"));
  };
  http_->perform(e);
  HttpResponse& r = e.response;
  if (const auto code = reported(r)) {
    r.transport_error = "S3 reported " + *code + ": " + xml_text(r.body, "Message").value_or("");
  }
  // A retry after an attempt whose answer was lost may find the upload already completed:
  // then the object is there, with the ETag of a multipart object of these parts.
  if (r.status == 404 && r.attempts > 1 && xml_text(r.body, "Code").value_or("") == "NoSuchUpload") {
    const std::string expected = multipart_etag(part_etags);
    try {
      if (!expected.empty() && head(where).etag == expected) return;
    } catch (const Error&) {
    }
  }
  if (!r.ok()) fail(where.url(), "completing the multipart upload", r);
}

void S3Client::abort_upload(const S3Location& where, const std::string& upload_id) const noexcept {
  try {
    HttpExchange e;
    e.request = [&] { return request("DELETE", where.bucket, where.key, {{"uploadId", upload_id}}, {}, {}); };
    e.retry_also = s3_retryable;
    http_->perform(e);
  } catch (...) {
    // Best effort: an upload left behind is invisible and expires by the bucket's lifecycle rules.
  }
}

void S3Client::remove(const std::string& bucket, const std::vector<std::string>& keys) const {
  for (size_t begin = 0; begin < keys.size(); begin += 1000) {
    const size_t end = std::min(keys.size(), begin + 1000);
    std::string xml = "<Delete><Quiet>true</Quiet>";
    for (size_t i = begin; i < end; ++i) xml += "<Object><Key>" + xml_escape(keys[i]) + "</Key></Object>";
    xml += "</Delete>";
    const std::string md5 = md5_base64(xml);
    HttpExchange e;
    e.request = [&] {
      return request("POST", bucket, "", {{"delete", ""}}, {{"Content-MD5", md5}, {"Content-Type", "application/xml"}}, as_bytes(xml));
    };
    e.retry_also = s3_retryable;
    http_->perform(e);
    if (!e.response.ok()) fail("s3://" + bucket + "/", "deleting " + std::to_string(end - begin) + " objects", e.response);
    const auto errors = xml_elements(e.response.body, "Error");
    if (!errors.empty()) {
      const std::string key = xml_text(errors.front(), "Key").value_or("");
      throw Error(ErrorKind::Io, "deleting failed: " + xml_text(errors.front(), "Code").value_or("") + ": " +
                                     xml_text(errors.front(), "Message").value_or("") + " (and " +
                                     std::to_string(errors.size() - 1) + " more)",
                  ErrorContext{"s3://" + bucket + "/" + key, {}, {}, {}});
    }
  }
}

}  // namespace parkett::io
