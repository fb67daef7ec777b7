#include "http/host_names.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include <arpa/inet.h>
#include <boost/asio/ip/address.hpp>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <unistd.h>

namespace stork::http {
namespace asio = boost::asio;

std::string machine_host_name() {
  std::array<char, 256> name{};
  if (gethostname(name.data(), name.size() - 1) != 0) return {};
  std::string out(name.data());
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::vector<std::string> interface_addresses() {
  std::vector<std::string> out;
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return out;
  for (const ifaddrs* entry = list; entry != nullptr; entry = entry->ifa_next) {
    if (entry->ifa_addr == nullptr || (entry->ifa_flags & IFF_UP) == 0) continue;
    std::array<char, INET6_ADDRSTRLEN> text{};
    const int family = entry->ifa_addr->sa_family;
    if (family == AF_INET) {
      const auto* v4 = reinterpret_cast<const sockaddr_in*>(entry->ifa_addr);
      inet_ntop(AF_INET, &v4->sin_addr, text.data(), text.size());
    } else if (family == AF_INET6) {
      const auto* v6 = reinterpret_cast<const sockaddr_in6*>(entry->ifa_addr);
      if (IN6_IS_ADDR_LINKLOCAL(&v6->sin6_addr)) continue;
      inet_ntop(AF_INET6, &v6->sin6_addr, text.data(), text.size());
    } else {
      continue;
    }
    std::string address(text.data());
    if (std::find(out.begin(), out.end(), address) == out.end()) out.push_back(address);
  }
  freeifaddrs(list);
  return out;
}

bool is_loopback_host(const std::string& host) {
  if (host == "localhost") return true;
  boost::system::error_code error;
  auto address = asio::ip::make_address(host, error);
  return !error && address.is_loopback();
}

bool is_unspecified_host(const std::string& host) {
  boost::system::error_code error;
  auto address = asio::ip::make_address(host, error);
  return !error && address.is_unspecified();
}

std::vector<std::string> default_allowed_hosts(const std::string& bound_host) {
  std::vector<std::string> out;
  const bool unspecified = is_unspecified_host(bound_host);
  if (!unspecified) out.push_back(bound_host);
  if (is_loopback_host(bound_host)) return out;
  if (auto name = machine_host_name(); !name.empty()) {
    out.push_back(name);
    if (auto dot = name.find('.'); dot != std::string::npos && dot > 0)
      out.push_back(name.substr(0, dot));
  }
  if (unspecified) {
    for (auto& address : interface_addresses())
      out.push_back(std::move(address));
  }
  return out;
}

}  // namespace stork::http
