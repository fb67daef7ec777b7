#include "http/security.hpp"

#include <algorithm>
#include <cctype>

namespace stork::http {

namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool all_digits(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

// "name[:port]" or "[v6][:port]" → the host part as written ("[::1]" keeps its brackets), or
// nothing when the text is not of that shape.
std::optional<std::string_view> host_without_port(std::string_view authority) {
  std::string_view host = authority;
  std::string_view rest;
  if (authority.starts_with('[')) {
    std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = authority.substr(0, close + 1);
    rest = authority.substr(close + 1);
  } else if (std::size_t colon = authority.find(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    rest = authority.substr(colon);
  }
  if (!rest.empty() && (rest.front() != ':' || !all_digits(rest.substr(1)))) return std::nullopt;
  if (host.empty()) return std::nullopt;
  return host;
}

bool known_host(std::string_view host, const std::vector<std::string>& allowed_hosts) {
  for (std::string_view loopback : {"localhost", "127.0.0.1", "[::1]"}) {
    if (iequals(host, loopback)) return true;
  }
  for (const std::string& allowed : allowed_hosts) {
    // A configured IPv6 address ("::1") appears bracketed in Host and Origin.
    bool bare_v6 = allowed.find(':') != std::string::npos && !allowed.starts_with('[');
    if (iequals(host, bare_v6 ? "[" + allowed + "]" : allowed)) return true;
  }
  return false;
}

}  // namespace

bool constant_time_equal(std::string_view a, std::string_view b) {
  unsigned char difference = a.size() == b.size() ? 0 : 1;
  std::size_t length = std::max(a.size(), b.size());
  for (std::size_t i = 0; i < length; ++i) {
    unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
    unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
    difference |= static_cast<unsigned char>(x ^ y);
  }
  return difference == 0;
}

bool bearer_token_matches(std::string_view authorization, std::string_view token) {
  constexpr std::string_view scheme = "bearer ";
  if (authorization.size() < scheme.size() ||
      !iequals(authorization.substr(0, scheme.size()), scheme)) {
    return false;
  }
  std::string_view presented = authorization.substr(scheme.size());
  while (!presented.empty() && presented.front() == ' ')
    presented.remove_prefix(1);
  while (!presented.empty() && presented.back() == ' ')
    presented.remove_suffix(1);
  return constant_time_equal(presented, token);
}

bool host_allowed(std::string_view host, const std::vector<std::string>& allowed_hosts) {
  auto name = host_without_port(host);
  return name && known_host(*name, allowed_hosts);
}

bool origin_allowed(std::string_view origin, const std::vector<std::string>& allowed_hosts) {
  std::string_view authority;
  if (origin.size() > 7 && iequals(origin.substr(0, 7), "http://")) {
    authority = origin.substr(7);
  } else if (origin.size() > 8 && iequals(origin.substr(0, 8), "https://")) {
    authority = origin.substr(8);
  } else {
    return false;  // "null", other schemes, garbage
  }
  // An origin is scheme://host[:port] and nothing more: no userinfo, path, query.
  if (authority.find_first_of("/?#@") != std::string_view::npos) return false;
  return host_allowed(authority, allowed_hosts);
}

}  // namespace stork::http
