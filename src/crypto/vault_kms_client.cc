// A KmsClient for HashiCorp Vault's transit secrets engine, the HTTP KMS protocol
// parquet-java ships a client for (its sample VaultClient): keys are wrapped and unwrapped by
// Vault with the named transit key, which never leaves it.
//   wrap:   POST {url}/v1/{mount}/encrypt/{master key}  {"plaintext": base64(key)}
//           -> {"data": {"ciphertext": "vault:v1:..."}}  (stored as it is)
//   unwrap: POST {url}/v1/{mount}/decrypt/{master key}  {"ciphertext": "vault:v1:..."}
//           -> {"data": {"plaintext": base64(key)}}
// with the token in X-Vault-Token. KmsConnectionConfig: kms_instance_url is Vault's address,
// kms_instance_id the engine's mount path ("DEFAULT": transit), key_access_token the token.
#include <nlohmann/json.hpp>

#include "crypto/secret.h"
#include "io/http_client.h"
#include "parkett/encryption.h"
#include "parkett/error.h"
#include "util/base64.h"

namespace parkett {
namespace {

class VaultKmsClient final : public KmsClient {
 public:
  explicit VaultKmsClient(const KmsConnectionConfig& c) : token_(c.key_access_token), http_(io::HttpOptions{}) {
    if (c.kms_instance_url.empty() || c.kms_instance_url == "DEFAULT") {
      throw Error(ErrorKind::InvalidArgument, "Vault KMS: kms_instance_url must be Vault's address (http(s)://host:port)");
    }
    if (token_.empty() || token_ == "DEFAULT") {
      throw Error(ErrorKind::InvalidArgument, "Vault KMS: key_access_token must be a Vault token");
    }
    base_ = c.kms_instance_url;
    while (!base_.empty() && base_.back() == '/') base_.pop_back();
    const std::string mount = c.kms_instance_id.empty() || c.kms_instance_id == "DEFAULT" ? "transit" : c.kms_instance_id;
    base_ += "/v1/" + mount + "/";
  }

  std::string wrap_key(const std::string& key, const std::string& master_key_id) override {
    nlohmann::json body;
    body["plaintext"] = util::base64_encode(key);
    return call("encrypt", master_key_id, body.dump(), "ciphertext");
  }

  std::string unwrap_key(const std::string& wrapped_key, const std::string& master_key_id) override {
    nlohmann::json body;
    body["ciphertext"] = wrapped_key;
    std::string encoded = call("decrypt", master_key_id, body.dump(), "plaintext");
    const std::optional<std::string> key = util::base64_decode(encoded);
    crypto::wipe({reinterpret_cast<uint8_t*>(encoded.data()), encoded.size()});
    if (!key) throw Error(ErrorKind::Crypto, "Vault KMS: the plaintext of master key '" + master_key_id + "' is not base64");
    return *key;
  }

 private:
  // POSTs `body` to {base}{operation}/{key} and returns data.{field} of the answer.
  std::string call(const std::string& operation, const std::string& key, std::string body, const char* field) {
    for (char c : key) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') {
        throw Error(ErrorKind::InvalidArgument, "Vault KMS: master key id '" + key + "' is not a transit key name");
      }
    }
    io::HttpExchange exchange;
    const std::string url = base_ + operation + "/" + key;
    exchange.request = [&] {
      io::HttpRequest r;
      r.method = "POST";
      r.url = url;
      r.headers = {"X-Vault-Token: " + token_, "Content-Type: application/json; charset=utf-8"};
      r.body = {reinterpret_cast<const uint8_t*>(body.data()), body.size()};
      return r;
    };
    http_.perform(exchange);
    crypto::wipe({reinterpret_cast<uint8_t*>(body.data()), body.size()});
    const io::HttpResponse& response = exchange.response;
    const std::string what = "Vault KMS " + operation + " with master key '" + key + "'";
    if (response.status == 401 || response.status == 403) {
      throw Error(ErrorKind::Crypto, what + ": access denied (HTTP " + std::to_string(response.status) + ")");
    }
    if (!response.ok()) {
      std::string reason = response.status == 0 ? response.transport_error : "HTTP " + std::to_string(response.status);
      try {
        const auto errors = nlohmann::json::parse(response.body).at("errors");
        if (errors.is_array() && !errors.empty() && errors[0].is_string()) reason += ": " + errors[0].get<std::string>();
      } catch (const std::exception&) {
      }
      throw Error(ErrorKind::Crypto, what + " failed: " + reason);
    }
    try {
      return nlohmann::json::parse(response.body).at("data").at(field).get<std::string>();
    } catch (const std::exception&) {
      throw Error(ErrorKind::Crypto, what + ": the answer has no data." + field);
    }
  }

  std::string token_;
  std::string base_;
  io::HttpClient http_;
};

}  // namespace

KmsClientFactory vault_kms_client_factory() {
  return [](const KmsConnectionConfig& c) -> std::shared_ptr<KmsClient> { return std::make_shared<VaultKmsClient>(c); };
}

}  // namespace parkett
