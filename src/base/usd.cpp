#include "base/usd.hpp"

#include <cmath>
#include <cstdio>

namespace stork {

std::string format_usd(double amount) {
  if (!std::isfinite(amount)) return "$?";
  const double magnitude = std::fabs(amount);
  char text[64];
  std::snprintf(text, sizeof text, magnitude >= 1 ? "%.2f" : "%.4f", magnitude);
  std::string digits(text);
  // "0.2500" → "0.25"; "0.0033" stays; "0.0000" → "0.00".
  while (digits.size() > 4 && digits.back() == '0' && digits[digits.size() - 3] != '.')
    digits.pop_back();
  const bool negative = amount < 0 && digits != "0.00";
  return std::string(negative ? "-$" : "$") + digits;
}

}  // namespace stork
