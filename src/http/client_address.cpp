#include "http/client_address.hpp"

#include <algorithm>

namespace stork::http {
namespace {

std::string peer_address(const std::string& remote) {
  if (remote.starts_with('[')) {
    auto close = remote.find(']');
    return close == std::string::npos ? remote : remote.substr(1, close - 1);
  }
  auto colon = remote.rfind(':');
  return colon == std::string::npos ? remote : remote.substr(0, colon);
}

std::string trimmed(std::string_view text) {
  while (!text.empty() && text.front() == ' ')
    text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ')
    text.remove_suffix(1);
  return std::string(text);
}

}  // namespace

ClientView client_of(const Request& request, const std::vector<std::string>& trusted) {
  ClientView view;
  view.address = peer_address(request.remote);
  if (std::find(trusted.begin(), trusted.end(), view.address) == trusted.end()) return view;
  // The proxy appends the address it saw last: that entry is the one it vouches for.
  const std::string forwarded = request.header("x-forwarded-for");
  if (!forwarded.empty()) {
    auto comma = forwarded.rfind(',');
    auto last = trimmed(comma == std::string::npos ? std::string_view(forwarded)
                                                   : std::string_view(forwarded).substr(comma + 1));
    if (!last.empty()) {
      view.address = last;
      view.via_proxy = true;
    }
  }
  view.via_https = request.header("x-forwarded-proto") == "https";
  return view;
}

}  // namespace stork::http
