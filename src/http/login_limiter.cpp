#include "http/login_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace stork::http {

LoginLimiter::LoginLimiter(int burst, std::chrono::milliseconds refill,
                           std::function<Clock::time_point()> now)
    : burst_(burst), refill_(refill), now_(std::move(now)) {}

LoginLimiter::Bucket& LoginLimiter::refilled(const std::string& address, Clock::time_point now) {
  // Full buckets carry no information: forget them, so the map stays as small as the set of
  // addresses that failed recently.
  std::erase_if(buckets_, [&](auto& entry) {
    auto gained = std::chrono::duration<double>(now - entry.second.updated) / refill_;
    return entry.first != address && entry.second.tokens + gained >= burst_;
  });
  auto [slot, inserted] = buckets_.try_emplace(address, Bucket{double(burst_), now});
  Bucket& bucket = slot->second;
  if (!inserted) {
    auto gained = std::chrono::duration<double>(now - bucket.updated) / refill_;
    bucket.tokens = std::min<double>(burst_, bucket.tokens + gained);
    bucket.updated = now;
  }
  return bucket;
}

std::chrono::milliseconds LoginLimiter::wait_for(const std::string& address) {
  std::lock_guard lock(mutex_);
  Bucket& bucket = refilled(address, now_());
  if (bucket.tokens >= 1) return std::chrono::milliseconds(0);
  auto missing = (1 - bucket.tokens) * static_cast<double>(refill_.count());
  return std::chrono::milliseconds(static_cast<long long>(std::ceil(missing)));
}

void LoginLimiter::failed(const std::string& address) {
  std::lock_guard lock(mutex_);
  Bucket& bucket = refilled(address, now_());
  bucket.tokens = std::max(0.0, bucket.tokens - 1);
}

}  // namespace stork::http
