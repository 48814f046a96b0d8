// Parquet modular encryption from Python, with pyarrow.parquet.encryption's names:
// explicit keys (FileEncryptionProperties / FileDecryptionProperties), and key management
// (CryptoFactory, KmsConnectionConfig, EncryptionConfiguration, DecryptionConfiguration)
// with KMS clients written in Python (subclasses of parkett.encryption.KmsClient) or the
// in-memory KMS for tests. parkett calls a Python KMS client from its own threads; each
// call takes the GIL.
#include <pybind11/chrono.h>
#include <pybind11/functional.h>
#include <pybind11/stl.h>

#include "bindings.h"
#include "options.h"
#include "parkett/encryption.h"
#include "parkett/error.h"

namespace parkett::python {
namespace {

// Owns a Python object from C++ code that may drop it on any thread.
std::shared_ptr<py::object> hold(py::object o) {
  return std::shared_ptr<py::object>(new py::object(std::move(o)), [](py::object* p) {
    if (Py_IsInitialized()) {
      py::gil_scoped_acquire locked;
      delete p;
    } else {
      p->release();  // the interpreter is gone: leak rather than touch it
      delete p;
    }
  });
}

std::string as_bytes(const py::object& v, const char* what) {
  if (py::isinstance<py::bytes>(v)) return v.cast<std::string>();
  if (py::isinstance<py::str>(v)) return v.cast<std::string>();
  throw Error(ErrorKind::Crypto, std::string("the KMS client's ") + what + " returned " +
                                     py::str(py::type::of(v).attr("__name__")).cast<std::string>() + ", not bytes or str");
}

class PythonKmsClient final : public KmsClient {
 public:
  explicit PythonKmsClient(std::shared_ptr<py::object> client) : client_(std::move(client)) {}
  std::string wrap_key(const std::string& key, const std::string& master_key_id) override {
    py::gil_scoped_acquire locked;
    return call("wrap_key", py::bytes(key), master_key_id);
  }
  std::string unwrap_key(const std::string& wrapped_key, const std::string& master_key_id) override {
    py::gil_scoped_acquire locked;
    return call("unwrap_key", py::str(wrapped_key), master_key_id);
  }

 private:
  std::string call(const char* method, const py::object& key, const std::string& master_key_id) {
    try {
      return as_bytes(client_->attr(method)(key, master_key_id), method);
    } catch (py::error_already_set& e) {
      // The Python exception's type and text, never the key.
      throw Error(ErrorKind::Crypto, std::string("the KMS client's ") + method + " failed for master key '" +
                                         master_key_id + "': " + e.what());
    }
  }
  std::shared_ptr<py::object> client_;
};

KmsClientFactory kms_factory(const py::object& source) {
  if (py::isinstance<InMemoryKms>(source)) return InMemoryKms::factory(source.cast<std::shared_ptr<InMemoryKms>>());
  if (!PyCallable_Check(source.ptr())) {
    throw Error(ErrorKind::InvalidArgument, "CryptoFactory takes a callable (KmsConnectionConfig -> KmsClient) or an InMemoryKms");
  }
  auto factory = hold(source);
  return [factory](const KmsConnectionConfig& config) -> std::shared_ptr<KmsClient> {
    py::gil_scoped_acquire locked;
    py::object client = (*factory)(config);
    if (py::isinstance<InMemoryKms>(client)) return client.cast<std::shared_ptr<InMemoryKms>>();
    return std::make_shared<PythonKmsClient>(hold(std::move(client)));
  };
}

EncryptionAlgorithm algorithm(const std::string& name) {
  if (name == "AES_GCM_V1") return EncryptionAlgorithm::AesGcmV1;
  if (name == "AES_GCM_CTR_V1") return EncryptionAlgorithm::AesGcmCtrV1;
  throw Error(ErrorKind::InvalidArgument, "encryption algorithm '" + name + "' is not AES_GCM_V1 or AES_GCM_CTR_V1");
}

std::string algorithm_name(EncryptionAlgorithm a) { return a == EncryptionAlgorithm::AesGcmV1 ? "AES_GCM_V1" : "AES_GCM_CTR_V1"; }

// Where the key material of a file is (its sidecar files with external key material):
// the filesystem its path names, with these S3 settings for s3:// paths.
std::shared_ptr<FileSystem> filesystem_of(const std::string& path, const py::dict& s3) {
  if (path.empty()) return nullptr;
  return filesystem_for(path, s3.empty() ? S3Options{} : s3_options(s3));
}

}  // namespace

void init_encryption(py::module_& m) {
  py::class_<DecryptionProperties, std::shared_ptr<DecryptionProperties>>(
      m, "FileDecryptionProperties", "Keys to read an encrypted file (explicit keys; see CryptoFactory for a KMS).")
      .def(py::init([](const py::bytes& footer_key, const std::map<std::string, py::bytes>& column_keys,
                       const py::object& aad_prefix, bool check_footer_integrity, bool plaintext_files_allowed,
                       const py::object& key_retriever) {
             auto p = std::make_shared<DecryptionProperties>();
             p->footer_key = footer_key;
             for (const auto& [k, v] : column_keys) p->column_keys[k] = v;
             if (!aad_prefix.is_none()) p->aad_prefix = aad_prefix.cast<std::string>();
             p->check_footer_integrity = check_footer_integrity;
             p->plaintext_files_allowed = plaintext_files_allowed;
             if (!key_retriever.is_none()) {
               auto retriever = hold(key_retriever);
               p->key_retriever = [retriever](const std::string& key_metadata) {
                 py::gil_scoped_acquire locked;
                 return as_bytes((*retriever)(py::bytes(key_metadata)), "key_retriever");
               };
             }
             return p;
           }),
           py::arg("footer_key") = py::bytes(), py::arg("column_keys") = std::map<std::string, py::bytes>{},
           py::arg("aad_prefix") = py::none(), py::arg("check_footer_integrity") = true,
           py::arg("plaintext_files_allowed") = false, py::arg("key_retriever") = py::none());

  py::class_<EncryptionProperties, std::shared_ptr<EncryptionProperties>>(
      m, "FileEncryptionProperties", "Keys and settings to write an encrypted file (explicit keys).")
      .def(py::init([](const py::bytes& footer_key, const py::bytes& footer_key_metadata,
                       const std::map<std::string, py::bytes>& column_keys, const std::string& algorithm_name,
                       bool plaintext_footer, const py::object& aad_prefix, bool store_aad_prefix) {
             auto p = std::make_shared<EncryptionProperties>();
             p->footer_key = footer_key;
             p->footer_key_metadata = footer_key_metadata;
             for (const auto& [k, v] : column_keys) p->column_keys[k] = ColumnKey{v, ""};
             p->algorithm = algorithm(algorithm_name);
             p->plaintext_footer = plaintext_footer;
             if (!aad_prefix.is_none()) p->aad_prefix = aad_prefix.cast<std::string>();
             p->store_aad_prefix = store_aad_prefix;
             return p;
           }),
           py::arg("footer_key"), py::arg("footer_key_metadata") = py::bytes(),
           py::arg("column_keys") = std::map<std::string, py::bytes>{}, py::arg("algorithm") = "AES_GCM_V1",
           py::arg("plaintext_footer") = false, py::arg("aad_prefix") = py::none(), py::arg("store_aad_prefix") = true);

  py::class_<KmsConnectionConfig>(m, "KmsConnectionConfig", "How to reach the KMS (passed to the KMS client factory).")
      .def(py::init([](std::string id, std::string url, std::string token, std::map<std::string, std::string> conf) {
             return KmsConnectionConfig{std::move(id), std::move(url), std::move(token), std::move(conf)};
           }),
           py::arg("kms_instance_id") = "DEFAULT", py::arg("kms_instance_url") = "DEFAULT",
           py::arg("key_access_token") = "DEFAULT", py::arg("custom_kms_conf") = std::map<std::string, std::string>{})
      .def_readwrite("kms_instance_id", &KmsConnectionConfig::kms_instance_id)
      .def_readwrite("kms_instance_url", &KmsConnectionConfig::kms_instance_url)
      .def_readwrite("key_access_token", &KmsConnectionConfig::key_access_token)
      .def_readwrite("custom_kms_conf", &KmsConnectionConfig::custom_kms_conf)
      .def("refresh_key_access_token", [](KmsConnectionConfig& c, std::string token) { c.key_access_token = std::move(token); })
      .def("__repr__", [](const KmsConnectionConfig& c) {
        // The access token is a secret: never shown.
        return "KmsConnectionConfig(kms_instance_id='" + c.kms_instance_id + "', kms_instance_url='" + c.kms_instance_url + "')";
      });

  py::class_<EncryptionConfiguration>(m, "EncryptionConfiguration", "What to encrypt, with which master keys.")
      .def(py::init([](std::string footer_key, std::map<std::string, std::vector<std::string>> column_keys,
                       bool uniform_encryption, const std::string& encryption_algorithm, bool plaintext_footer,
                       bool double_wrapping, std::chrono::seconds cache_lifetime, bool internal_key_material,
                       int data_key_length_bits) {
             EncryptionConfiguration c;
             c.footer_key = std::move(footer_key);
             c.column_keys = std::move(column_keys);
             c.uniform_encryption = uniform_encryption;
             c.encryption_algorithm = algorithm(encryption_algorithm);
             c.plaintext_footer = plaintext_footer;
             c.double_wrapping = double_wrapping;
             c.cache_lifetime = cache_lifetime;
             c.internal_key_material = internal_key_material;
             c.data_key_length_bits = data_key_length_bits;
             return c;
           }),
           py::arg("footer_key"), py::arg("column_keys") = std::map<std::string, std::vector<std::string>>{},
           py::arg("uniform_encryption") = false, py::arg("encryption_algorithm") = "AES_GCM_V1",
           py::arg("plaintext_footer") = false, py::arg("double_wrapping") = true,
           py::arg("cache_lifetime") = std::chrono::seconds{600}, py::arg("internal_key_material") = true,
           py::arg("data_key_length_bits") = 128)
      .def_readwrite("footer_key", &EncryptionConfiguration::footer_key)
      .def_readwrite("column_keys", &EncryptionConfiguration::column_keys)
      .def_readwrite("uniform_encryption", &EncryptionConfiguration::uniform_encryption)
      .def_property("encryption_algorithm",
                    [](const EncryptionConfiguration& c) { return algorithm_name(c.encryption_algorithm); },
                    [](EncryptionConfiguration& c, const std::string& a) { c.encryption_algorithm = algorithm(a); })
      .def_readwrite("plaintext_footer", &EncryptionConfiguration::plaintext_footer)
      .def_readwrite("double_wrapping", &EncryptionConfiguration::double_wrapping)
      .def_readwrite("cache_lifetime", &EncryptionConfiguration::cache_lifetime)
      .def_readwrite("internal_key_material", &EncryptionConfiguration::internal_key_material)
      .def_readwrite("data_key_length_bits", &EncryptionConfiguration::data_key_length_bits);

  py::class_<DecryptionConfiguration>(m, "DecryptionConfiguration", "How long unwrapped keys are cached.")
      .def(py::init([](std::chrono::seconds cache_lifetime) { return DecryptionConfiguration{cache_lifetime}; }),
           py::arg("cache_lifetime") = std::chrono::seconds{600})
      .def_readwrite("cache_lifetime", &DecryptionConfiguration::cache_lifetime);

  py::class_<InMemoryKms, std::shared_ptr<InMemoryKms>>(
      m, "InMemoryKms", "A KMS holding master keys in memory (base64), for tests and examples; supports key rotation.")
      .def(py::init<const std::map<std::string, std::string>&>(), py::arg("master_keys"))
      .def("wrap_key", [](InMemoryKms& k, const py::bytes& key, const std::string& id) { return k.wrap_key(key, id); })
      .def("unwrap_key", [](InMemoryKms& k, const std::string& wrapped, const std::string& id) {
        return py::bytes(k.unwrap_key(wrapped, id));
      })
      .def("start_rotation", &InMemoryKms::start_rotation)
      .def("finish_rotation", &InMemoryKms::finish_rotation);

  py::class_<CryptoFactory, std::shared_ptr<CryptoFactory>>(
      m, "CryptoFactory", "Makes file encryption and decryption properties from a KMS (pyarrow's CryptoFactory).")
      .def(py::init([](const py::object& kms_client_factory) {
             return std::make_shared<CryptoFactory>(kms_factory(kms_client_factory));
           }),
           py::arg("kms_client_factory"))
      .def("file_encryption_properties",
           [](const CryptoFactory& f, const KmsConnectionConfig& kms, const EncryptionConfiguration& config,
              const std::string& path, const py::dict& s3) {
             auto fs = filesystem_of(path, s3);
             py::gil_scoped_release unlocked;
             return std::const_pointer_cast<EncryptionProperties>(f.file_encryption_properties(kms, config, path, fs));
           },
           py::arg("kms_connection_config"), py::arg("encryption_config"), py::arg("path") = "",
           py::arg("s3_options") = py::dict())
      .def("file_decryption_properties",
           [](const CryptoFactory& f, const KmsConnectionConfig& kms, const py::object& config, const std::string& path,
              const py::dict& s3) {
             DecryptionConfiguration c = config.is_none() ? DecryptionConfiguration{} : config.cast<DecryptionConfiguration>();
             auto fs = filesystem_of(path, s3);
             py::gil_scoped_release unlocked;
             return std::const_pointer_cast<DecryptionProperties>(f.file_decryption_properties(kms, c, path, fs));
           },
           py::arg("kms_connection_config"), py::arg("decryption_config") = py::none(), py::arg("path") = "",
           py::arg("s3_options") = py::dict())
      .def("rotate_master_keys",
           [](const CryptoFactory& f, const KmsConnectionConfig& kms, const std::string& path, bool double_wrapping,
              std::chrono::seconds cache_lifetime, const py::dict& s3) {
             auto fs = filesystem_of(path, s3);
             py::gil_scoped_release unlocked;
             f.rotate_master_keys(kms, path, double_wrapping, cache_lifetime, fs);
           },
           py::arg("kms_connection_config"), py::arg("path"), py::arg("double_wrapping") = true,
           py::arg("cache_lifetime") = std::chrono::seconds{600}, py::arg("s3_options") = py::dict())
      .def("remove_cache_entries_for_token", &CryptoFactory::remove_cache_entries_for_token);

  py::class_<DatasetEncryptionConfig>(m, "DatasetEncryptionConfig")
      .def(py::init([](std::shared_ptr<CryptoFactory> f, KmsConnectionConfig kms, EncryptionConfiguration c) {
             return DatasetEncryptionConfig{std::move(f), std::move(kms), std::move(c)};
           }),
           py::arg("crypto_factory"), py::arg("kms_connection_config"), py::arg("encryption_config"));
  py::class_<DatasetDecryptionConfig>(m, "DatasetDecryptionConfig")
      .def(py::init([](std::shared_ptr<CryptoFactory> f, KmsConnectionConfig kms, const py::object& c) {
             return DatasetDecryptionConfig{std::move(f), std::move(kms),
                                            c.is_none() ? DecryptionConfiguration{} : c.cast<DecryptionConfiguration>()};
           }),
           py::arg("crypto_factory"), py::arg("kms_connection_config"), py::arg("decryption_config") = py::none());
}

}  // namespace parkett::python
