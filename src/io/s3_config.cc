#include "io/s3_config.h"

#include <cstdlib>
#include <fstream>
#include <map>

#include "parkett/error.h"
#include "parkett/version.h"

namespace parkett::io {

namespace {

std::string trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

// The sections of an INI-style AWS file: section name -> key -> value. A missing file is
// empty (the files are optional).
using Sections = std::map<std::string, std::map<std::string, std::string>>;

Sections read_sections(const std::string& path) {
  Sections out;
  std::ifstream in(path);
  std::string line, section;
  while (std::getline(in, line)) {
    line = trim(line);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line.front() == '[' && line.back() == ']') {
      section = trim(line.substr(1, line.size() - 2));
      out[section];
      continue;
    }
    const size_t eq = line.find('=');
    if (eq == std::string::npos || section.empty()) continue;
    out[section][trim(line.substr(0, eq))] = trim(line.substr(eq + 1));
  }
  return out;
}

const std::map<std::string, std::string>* find_section(const Sections& s, const std::string& name) {
  auto it = s.find(name);
  return it == s.end() ? nullptr : &it->second;
}

std::string value_in(const std::map<std::string, std::string>* section, const std::string& key) {
  if (!section) return {};
  auto it = section->find(key);
  return it == section->end() ? std::string() : it->second;
}

}  // namespace

Environment process_environment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (!v) return std::nullopt;
    return std::string(v);
  };
}

bool S3Config::path_style(const std::string& bucket) const {
  if (addressing == S3Addressing::PathStyle) return true;
  if (addressing == S3Addressing::VirtualHosted) return false;
  if (!aws_endpoint) return true;
  // A host label: 3..63 of lower-case letters, digits and '-', no dots (TLS wildcards
  // cover one label only).
  if (bucket.size() < 3 || bucket.size() > 63 || bucket.front() == '-' || bucket.back() == '-') return true;
  for (char c : bucket) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return true;
  }
  return false;
}

HttpOptions transport_options(const S3Options& options) {
  HttpOptions h;
  h.verify_tls = options.verify_tls;
  h.ca_file = options.ca_file;
  h.connect_timeout_ms = options.connect_timeout_ms;
  h.idle_timeout_ms = options.request_timeout_ms;
  h.max_concurrent = options.max_concurrent_requests;
  h.max_retries = options.max_retries;
  h.retry_base_delay_ms = options.retry_base_delay_ms;
  h.retry_max_delay_ms = options.retry_max_delay_ms;
  h.retry_budget = options.retry_budget;
  h.user_agent = std::string("parkett/") + version();
  return h;
}

S3Config resolve_s3_config(const S3Options& options, const Environment& env) {
  auto get = [&](const char* name) { return env(name).value_or(std::string()); };
  S3Config c;
  c.addressing = options.addressing;
  c.anonymous = options.anonymous;
  c.sign_payload = options.sign_payload;
  c.part_size = options.part_size;
  c.max_parts_in_flight = options.max_parts_in_flight;
  c.cache_bytes = options.cache_bytes;
  if (options.part_size < (int64_t{5} << 20) || options.part_size > (int64_t{5} << 30)) {
    throw Error(ErrorKind::InvalidArgument, "S3 part_size must lie between 5 MiB and 5 GiB (S3's limits), not " +
                                                std::to_string(options.part_size));
  }
  if (options.max_parts_in_flight < 1 || options.max_concurrent_requests < 1) {
    throw Error(ErrorKind::InvalidArgument, "S3 max_parts_in_flight and max_concurrent_requests must be at least 1");
  }
  if (options.max_retries < 0 || options.retry_base_delay_ms < 0 || options.retry_max_delay_ms < 0 ||
      options.retry_budget < 0 || options.connect_timeout_ms <= 0 || options.request_timeout_ms <= 0 ||
      options.cache_bytes < 0) {
    throw Error(ErrorKind::InvalidArgument,
                "S3 retries, delays, the retry budget and the cache size must not be negative, timeouts must be positive");
  }

  // The profile: named in the options or AWS_PROFILE, else "default" (which may be absent).
  const std::string home = get("HOME");
  std::string config_file = get("AWS_CONFIG_FILE");
  if (config_file.empty() && !home.empty()) config_file = home + "/.aws/config";
  std::string credentials_file = get("AWS_SHARED_CREDENTIALS_FILE");
  if (credentials_file.empty() && !home.empty()) credentials_file = home + "/.aws/credentials";
  std::string profile = options.profile.empty() ? get("AWS_PROFILE") : options.profile;
  const bool profile_named = !profile.empty();
  if (profile.empty()) profile = "default";
  const Sections config = config_file.empty() ? Sections{} : read_sections(config_file);
  const Sections credentials = credentials_file.empty() ? Sections{} : read_sections(credentials_file);
  const auto* config_section = find_section(config, profile == "default" ? "default" : "profile " + profile);
  if (!config_section && profile == "default") config_section = find_section(config, "profile default");
  const auto* credentials_section = find_section(credentials, profile);
  if (profile_named && !config_section && !credentials_section) {
    throw Error(ErrorKind::InvalidArgument, "AWS profile '" + profile + "' is in neither '" + config_file +
                                                "' nor '" + credentials_file + "'");
  }

  c.region = options.region;
  if (c.region.empty()) c.region = get("AWS_REGION");
  if (c.region.empty()) c.region = get("AWS_DEFAULT_REGION");
  if (c.region.empty()) c.region = value_in(config_section, "region");
  if (c.region.empty()) c.region = "us-east-1";

  std::string endpoint = options.endpoint_url;
  if (endpoint.empty()) endpoint = get("AWS_ENDPOINT_URL_S3");
  if (endpoint.empty()) endpoint = get("AWS_ENDPOINT_URL");
  if (endpoint.empty()) endpoint = value_in(config_section, "endpoint_url");
  if (endpoint.empty()) {
    c.scheme = "https";
    c.host = "s3." + c.region + ".amazonaws.com";
  } else {
    const size_t sep = endpoint.find("://");
    c.scheme = sep == std::string::npos ? "" : endpoint.substr(0, sep);
    c.host = sep == std::string::npos ? "" : endpoint.substr(sep + 3);
    while (!c.host.empty() && c.host.back() == '/') c.host.pop_back();
    if (c.host.find('@') != std::string::npos) {
      // Not echoed: what precedes '@' would be a user name and password.
      throw Error(ErrorKind::InvalidArgument, "the S3 endpoint must not hold user information (user@host)");
    }
    if ((c.scheme != "http" && c.scheme != "https") || c.host.empty() || c.host.find_first_of("/?#") != std::string::npos) {
      throw Error(ErrorKind::InvalidArgument, "S3 endpoint '" + endpoint + "' is not http(s)://host[:port]");
    }
    // The Host header carries no default port (curl leaves it out, and it is signed).
    const std::string default_port = c.scheme == "https" ? ":443" : ":80";
    if (c.host.ends_with(default_port)) c.host.resize(c.host.size() - default_port.size());
    c.aws_endpoint = c.host.ends_with(".amazonaws.com");
  }

  // Credentials: the first source that has a key pair.
  auto take = [&](std::string id, std::string secret, std::string token, std::string source) {
    if (!c.credentials.access_key_id.empty()) return;
    if (id.empty() != secret.empty()) {
      throw Error(ErrorKind::InvalidArgument, source + " gives an access key id or a secret access key without the other");
    }
    if (id.empty()) return;
    c.credentials = {std::move(id), std::move(secret), std::move(token)};
    c.credentials_source = std::move(source);
  };
  if (!c.anonymous) {
    take(options.access_key_id, options.secret_access_key, options.session_token, "S3Options");
    take(get("AWS_ACCESS_KEY_ID"), get("AWS_SECRET_ACCESS_KEY"), get("AWS_SESSION_TOKEN"), "the environment");
    take(value_in(credentials_section, "aws_access_key_id"), value_in(credentials_section, "aws_secret_access_key"),
         value_in(credentials_section, "aws_session_token"), "profile '" + profile + "' of '" + credentials_file + "'");
    take(value_in(config_section, "aws_access_key_id"), value_in(config_section, "aws_secret_access_key"),
         value_in(config_section, "aws_session_token"), "profile '" + profile + "' of '" + config_file + "'");
    // No credentials anywhere: requests go unsigned, which public buckets accept.
    if (c.credentials.access_key_id.empty()) c.anonymous = true;
  }
  if (c.anonymous) c.credentials_source = "none (anonymous)";

  c.http = transport_options(options);
  if (c.http.ca_file.empty()) c.http.ca_file = get("AWS_CA_BUNDLE");
  return c;
}

}  // namespace parkett::io
