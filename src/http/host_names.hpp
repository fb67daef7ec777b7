// The names and addresses by which people reach this server: what Host and Origin may say by
// default (DNS-rebinding protection accepts these and refuses every other name), and what
// `stork serve` prints. Reads the system (gethostname, getifaddrs); no DNS lookups.
#pragma once

#include <string>
#include <vector>

namespace stork::http {

// gethostname(), lowercased; empty if unavailable.
std::string machine_host_name();

// The addresses of the machine's interfaces that are up (IPv4 and IPv6, without the IPv6
// link-local ones, which need a zone in a URL), as text without brackets.
std::vector<std::string> interface_addresses();

// True for loopback addresses (127.0.0.0/8, ::1) and "localhost".
bool is_loopback_host(const std::string& host);
// True for 0.0.0.0 and ::.
bool is_unspecified_host(const std::string& host);

// Besides localhost, 127.0.0.1 and [::1] (always allowed): the bound host itself; when it is not
// a loopback address, also the machine's host name (and its first label) and, when bound to
// every interface, the address of each.
std::vector<std::string> default_allowed_hosts(const std::string& bound_host);

}  // namespace stork::http
