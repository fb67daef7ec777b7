#include "http/request.hpp"

#include <algorithm>
#include <cctype>

namespace stork::http {

bool CaseInsensitiveLess::operator()(std::string_view a, std::string_view b) const {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) <
           std::tolower(static_cast<unsigned char>(y));
  });
}

std::string Request::header(std::string_view name) const {
  auto found = headers.find(name);
  return found == headers.end() ? std::string() : found->second;
}

}  // namespace stork::http
