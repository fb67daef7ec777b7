#include "http/tls_context.hpp"

#include <array>
#include <cstdio>
#include <fstream>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

namespace stork::http {
namespace ssl = boost::asio::ssl;

namespace {

std::string openssl_reason() {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "not PEM";
  std::array<char, 256> text{};
  ERR_error_string_n(code, text.data(), text.size());
  return text.data();
}

std::string readable(const std::filesystem::path& file, const char* what) {
  std::error_code error;
  if (!std::filesystem::exists(file, error)) return what + file.string() + ": no such file";
  if (!std::ifstream(file).good()) return what + file.string() + ": cannot be read";
  return {};
}

std::string asn1_text(const ASN1_TIME* time) {
  BIO* bio = BIO_new(BIO_s_mem());
  ASN1_TIME_print(bio, time);
  char* data = nullptr;
  long size = BIO_get_mem_data(bio, &data);
  std::string text(data, static_cast<std::size_t>(size));
  BIO_free(bio);
  return text;
}

// Expired or not yet valid: the message; else "".
std::string validity_problem(SSL_CTX* context, const std::filesystem::path& cert_file) {
  X509* cert = SSL_CTX_get0_certificate(context);
  if (cert == nullptr) return "--tls-cert " + cert_file.string() + ": no certificate in it";
  if (X509_cmp_current_time(X509_get0_notAfter(cert)) <= 0) {
    return "--tls-cert " + cert_file.string() + ": the certificate expired on " +
           asn1_text(X509_get0_notAfter(cert)) + "; make or obtain a new one";
  }
  if (X509_cmp_current_time(X509_get0_notBefore(cert)) > 0) {
    return "--tls-cert " + cert_file.string() + ": the certificate is not valid before " +
           asn1_text(X509_get0_notBefore(cert));
  }
  return {};
}

}  // namespace

Result<std::shared_ptr<ssl::context>, std::string> load_tls_context(
    const std::filesystem::path& cert_file, const std::filesystem::path& key_file) {
  if (auto problem = readable(cert_file, "--tls-cert "); !problem.empty()) return fail(problem);
  if (auto problem = readable(key_file, "--tls-key "); !problem.empty()) return fail(problem);
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                       ssl::context::single_dh_use);
  SSL_CTX* native = context->native_handle();
  ERR_clear_error();
  if (SSL_CTX_use_certificate_chain_file(native, cert_file.c_str()) != 1) {
    return fail("--tls-cert " + cert_file.string() + ": not a PEM certificate (" +
                openssl_reason() + ")");
  }
  if (SSL_CTX_use_PrivateKey_file(native, key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    const std::string reason = openssl_reason();
    if (reason.find("values mismatch") != std::string::npos ||
        reason.find("key values mismatch") != std::string::npos) {
      return fail("--tls-key " + key_file.string() + " does not belong to the certificate in " +
                  cert_file.string());
    }
    return fail("--tls-key " + key_file.string() + ": not a PEM private key (" + reason + ")");
  }
  if (SSL_CTX_check_private_key(native) != 1) {
    ERR_clear_error();
    return fail("--tls-key " + key_file.string() + " does not belong to the certificate in " +
                cert_file.string());
  }
  if (auto problem = validity_problem(native, cert_file); !problem.empty()) return fail(problem);
  return context;
}

}  // namespace stork::http
