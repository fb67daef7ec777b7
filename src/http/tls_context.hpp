// The server's TLS settings: a PEM certificate (chain) and its private key, checked before the
// server binds so that a mistake is a clear start-up error rather than failed handshakes:
// a missing or unreadable file, a file that is not PEM, a key that does not belong to the
// certificate, a certificate that has expired or is not valid yet.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include <boost/asio/ssl/context.hpp>

#include "base/result.hpp"

namespace stork::http {

Result<std::shared_ptr<boost::asio::ssl::context>, std::string> load_tls_context(
    const std::filesystem::path& cert_file, const std::filesystem::path& key_file);

}  // namespace stork::http
