// SessionStore: the board's logins. A person who proves the token (POST /login) gets a random
// session id in an HttpOnly cookie; the store maps it to what it may do (watch or act) until it
// expires or is revoked. Ids are kept only as SHA-256 digests, so a lookup compares digests,
// never the secret, and a memory dump holds no usable cookie. Sessions live in memory: a
// restart revokes every one (docs/remote.md says why). Thread-safe: connections on any strand
// use it (the mutex is this infrastructure type's alone and is never held across an await).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace stork::http {

enum class Access { None, Viewer, Admin };

// 64 hex characters from OpenSSL's RAND_bytes: a session id, or a bearer token nobody chose.
std::string random_secret();

class SessionStore {
 public:
  using Clock = std::chrono::steady_clock;
  explicit SessionStore(std::chrono::seconds lifetime,
                        std::function<Clock::time_point()> now = &Clock::now);

  // A new session: the id to put in the cookie (64 hex characters from OpenSSL's RAND_bytes).
  std::string create(Access access);
  // Access::None for an unknown, revoked or expired id.
  Access find(std::string_view id) const;
  void revoke(std::string_view id);
  // Ends every session; returns how many were live.
  std::size_t revoke_all();
  std::chrono::seconds lifetime() const { return lifetime_; }

 private:
  struct Session {
    Access access = Access::None;
    Clock::time_point expires;
  };
  void drop_expired(Clock::time_point now);

  const std::chrono::seconds lifetime_;
  const std::function<Clock::time_point()> now_;
  mutable std::mutex mutex_;
  std::map<std::string, Session> sessions_;  // by digest of the id
};

}  // namespace stork::http
