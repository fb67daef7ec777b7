#include "http/session_store.hpp"

#include <array>
#include <stdexcept>

#include <openssl/rand.h>
#include <openssl/sha.h>

namespace stork::http {
namespace {

std::string hex(const unsigned char* bytes, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out.push_back(kDigits[bytes[i] >> 4]);
    out.push_back(kDigits[bytes[i] & 0xf]);
  }
  return out;
}

std::string digest(std::string_view id) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> out{};
  SHA256(reinterpret_cast<const unsigned char*>(id.data()), id.size(), out.data());
  return hex(out.data(), out.size());
}

}  // namespace

std::string random_secret() {
  std::array<unsigned char, 32> random{};
  if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1)
    throw std::runtime_error("OpenSSL has no random bytes");
  return hex(random.data(), random.size());
}

SessionStore::SessionStore(std::chrono::seconds lifetime, std::function<Clock::time_point()> now)
    : lifetime_(lifetime), now_(std::move(now)) {}

std::string SessionStore::create(Access access) {
  std::string id = random_secret();
  const auto now = now_();
  std::lock_guard lock(mutex_);
  drop_expired(now);
  sessions_[digest(id)] = Session{access, now + lifetime_};
  return id;
}

Access SessionStore::find(std::string_view id) const {
  if (id.empty()) return Access::None;
  const auto key = digest(id);
  const auto now = now_();
  std::lock_guard lock(mutex_);
  auto found = sessions_.find(key);
  if (found == sessions_.end() || found->second.expires <= now) return Access::None;
  return found->second.access;
}

void SessionStore::revoke(std::string_view id) {
  const auto key = digest(id);
  std::lock_guard lock(mutex_);
  sessions_.erase(key);
}

std::size_t SessionStore::revoke_all() {
  const auto now = now_();
  std::lock_guard lock(mutex_);
  drop_expired(now);
  std::size_t live = sessions_.size();
  sessions_.clear();
  return live;
}

void SessionStore::drop_expired(Clock::time_point now) {
  std::erase_if(sessions_, [now](const auto& entry) { return entry.second.expires <= now; });
}

}  // namespace stork::http
