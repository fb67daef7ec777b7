#include "notify/delivery.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include <curl/curl.h>

#include "notify/matrix_delivery.hpp"
#include "notify/message.hpp"

namespace stork::notify {
namespace {

constexpr std::size_t kMaxAnswer = 2048;

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::size_t keep_answer(char* data, std::size_t size, std::size_t count, void* user) {
  auto* answer = static_cast<std::string*>(user);
  const std::size_t bytes = size * count;
  if (answer->size() < kMaxAnswer)
    answer->append(data, std::min(bytes, kMaxAnswer - answer->size()));
  return bytes;
}

struct Upload {
  const std::string* text = nullptr;
  std::size_t offset = 0;
};

std::size_t read_upload(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const std::size_t room = size * count;
  const std::size_t left = upload->text->size() - upload->offset;
  const std::size_t n = std::min(room, left);
  std::memcpy(buffer, upload->text->data() + upload->offset, n);
  upload->offset += n;
  return n;
}

std::string env_value(const std::optional<std::string>& name) {
  if (!name) return {};
  const char* value = std::getenv(name->c_str());
  return value == nullptr ? std::string() : std::string(value);
}

// Options every transfer shares: no signals (worker threads), bounded time, errors in words.
void common_options(CURL* curl, char* error_buffer, std::chrono::milliseconds timeout) {
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeout.count()));
}

std::string curl_error(CURLcode code, const char* error_buffer) {
  return error_buffer[0] != '\0' ? std::string(error_buffer)
                                 : std::string(curl_easy_strerror(code));
}

DeliveryResult post_webhook(const NotifyChannelConfig& channel,
                            const state::NotificationRecord& record,
                            std::chrono::milliseconds timeout) {
  DeliveryResult result;
  auto target = webhook_url(channel);
  if (!target.error.empty()) {
    result.error = target.error;
    return result;
  }
  const std::string body = webhook_body(channel.format, record);
  CURL* curl = curl_easy_init();
  if (curl == nullptr) {
    result.error = "cannot initialise libcurl";
    return result;
  }
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  const std::string key_header = "Idempotency-Key: " + record.key;
  headers = curl_slist_append(headers, key_header.c_str());
  std::string answer;
  char error_buffer[CURL_ERROR_SIZE] = {0};
  common_options(curl, error_buffer, timeout);
  curl_easy_setopt(curl, CURLOPT_URL, target.url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_POST, 1L);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, keep_answer);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer);
  const CURLcode code = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &result.status);
  if (code != CURLE_OK) {
    result.error = curl_error(code, error_buffer);
  } else if (result.status < 200 || result.status > 299) {
    result.error = "HTTP " + std::to_string(result.status) + (answer.empty() ? "" : ": " + answer);
  } else {
    result.ok = true;
  }
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return result;
}

DeliveryResult send_email(const NotifyChannelConfig& channel,
                          const state::NotificationRecord& record, std::int64_t now_ms,
                          std::chrono::milliseconds timeout) {
  DeliveryResult result;
  CURL* curl = curl_easy_init();
  if (curl == nullptr) {
    result.error = "cannot initialise libcurl";
    return result;
  }
  const auto message = email_message(channel.from, channel.to, record, now_ms);
  Upload upload{&message.text, 0};
  curl_slist* recipients = nullptr;
  for (const auto& address : channel.to)
    recipients = curl_slist_append(recipients, ("<" + address + ">").c_str());
  const std::string from = "<" + channel.from + ">";
  const std::string user = env_value(channel.user_env);
  const std::string password = env_value(channel.password_env);
  char error_buffer[CURL_ERROR_SIZE] = {0};
  common_options(curl, error_buffer, timeout);
  curl_easy_setopt(curl, CURLOPT_URL, channel.smtp_url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_upload);
  curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  if (channel.starttls) curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  if (!user.empty()) curl_easy_setopt(curl, CURLOPT_USERNAME, user.c_str());
  if (!password.empty()) curl_easy_setopt(curl, CURLOPT_PASSWORD, password.c_str());
  const CURLcode code = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &result.status);
  if (code != CURLE_OK) {
    result.error = curl_error(code, error_buffer);
  } else {
    result.ok = true;
  }
  curl_slist_free_all(recipients);
  curl_easy_cleanup(curl);
  return result;
}

}  // namespace

ResolvedUrl webhook_url(const NotifyChannelConfig& channel) {
  ResolvedUrl resolved;
  if (channel.url) {
    resolved.url = *channel.url;
  } else if (channel.url_env) {
    resolved.url = env_value(channel.url_env);
    if (resolved.url.empty()) {
      resolved.error = "environment variable " + *channel.url_env + " (url_env) is not set";
      return resolved;
    }
  } else {
    resolved.error = "no url";
    return resolved;
  }
  const bool http = resolved.url.rfind("http://", 0) == 0 || resolved.url.rfind("https://", 0) == 0;
  if (!http) {
    resolved.error = "webhook URL must start with http:// or https://";
    if (channel.url_env) resolved.error += " (from " + *channel.url_env + ")";
    resolved.url.clear();
  }
  return resolved;
}

DeliveryResult deliver(const NotifyChannelConfig& channel, const state::NotificationRecord& record,
                       std::int64_t now_ms, std::chrono::milliseconds timeout) {
  global_init();
  if (channel.kind == "webhook") return post_webhook(channel, record, timeout);
  if (channel.kind == "email") return send_email(channel, record, now_ms, timeout);
  if (channel.kind == "matrix") return deliver_matrix(channel, record, timeout);
  return DeliveryResult{false, 0, "unknown channel kind '" + channel.kind + "'"};
}

}  // namespace stork::notify
