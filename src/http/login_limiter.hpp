// LoginLimiter: failed logins per client address, so a token cannot be guessed at network
// speed. Each address has a bucket of `burst` failures that refills one every `refill`; with
// the bucket empty every login attempt from that address (right or wrong) gets 429 until it
// refills. Thread-safe (connections on any strand); a mutex of its own, never across an await.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>

namespace stork::http {

class LoginLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  LoginLimiter(int burst, std::chrono::milliseconds refill,
               std::function<Clock::time_point()> now = &Clock::now);

  // Zero when `address` may try now; else how long until it may.
  std::chrono::milliseconds wait_for(const std::string& address);
  void failed(const std::string& address);

 private:
  struct Bucket {
    double tokens = 0;
    Clock::time_point updated;
  };
  Bucket& refilled(const std::string& address, Clock::time_point now);

  const int burst_;
  const std::chrono::milliseconds refill_;
  const std::function<Clock::time_point()> now_;
  std::mutex mutex_;
  std::map<std::string, Bucket> buckets_;
};

}  // namespace stork::http
