#include "notify/matrix_http.hpp"

#include <cctype>
#include <mutex>

#include <boost/json/parse.hpp>
#include <curl/curl.h>

namespace stork::notify {
namespace {

constexpr std::size_t kMaxAnswer = 8 << 20;  // a sync batch can be large; more is refused

std::size_t keep_answer(char* data, std::size_t size, std::size_t count, void* user) {
  auto* answer = static_cast<std::string*>(user);
  const std::size_t bytes = size * count;
  if (answer->size() + bytes > kMaxAnswer) return 0;  // aborts with CURLE_WRITE_ERROR
  answer->append(data, bytes);
  return bytes;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<const std::atomic<bool>*>(user)->load() ? 1 : 0;
}

MatrixError failure(MatrixError::Kind kind, std::string text, long status = 0) {
  MatrixError error;
  error.kind = kind;
  error.status = status;
  error.error = std::move(text);
  return error;
}

MatrixError http_error(long status, const std::string& answer) {
  MatrixError error;
  error.kind = MatrixError::Kind::Http;
  error.status = status;
  std::error_code parse_error;
  auto value = boost::json::parse(answer, parse_error);
  if (!parse_error && value.is_object()) {
    const auto& object = value.as_object();
    if (const auto* code = object.if_contains("errcode"); code && code->is_string())
      error.errcode = std::string(code->as_string());
    if (const auto* text = object.if_contains("error"); text && text->is_string())
      error.error = std::string(text->as_string());
    if (const auto* retry = object.if_contains("retry_after_ms"); retry && retry->is_int64())
      error.retry_after_ms = retry->as_int64();
  }
  if (error.error.empty()) error.error = answer.substr(0, 200);
  return error;
}

}  // namespace

std::string MatrixError::message() const {
  switch (kind) {
    case Kind::Cancelled:
      return "cancelled";
    case Kind::Network:
      return "no answer: " + error;
    case Kind::Http:
      break;
  }
  std::string text = "HTTP " + std::to_string(status);
  if (!errcode.empty()) text += " " + errcode;
  if (!error.empty()) text += ": " + error;
  return text;
}

std::string url_segment(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

Result<boost::json::value, MatrixError> matrix_call(const std::string& homeserver,
                                                    const std::string& access_token,
                                                    const MatrixRequest& request,
                                                    const std::atomic<bool>& cancel) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  std::string base = homeserver;
  while (!base.empty() && base.back() == '/')
    base.pop_back();
  const std::string url = base + request.path;
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return fail(failure(MatrixError::Kind::Network, "no libcurl"));
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  const std::string authorization = "Authorization: Bearer " + access_token;
  if (!access_token.empty()) headers = curl_slist_append(headers, authorization.c_str());
  std::string answer;
  char error_buffer[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  if (request.method != "GET") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, keep_answer);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer);
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &cancel);
  const CURLcode code = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  if (code == CURLE_ABORTED_BY_CALLBACK && cancel.load())
    return fail(failure(MatrixError::Kind::Cancelled, "cancelled"));
  if (code != CURLE_OK) {
    return fail(failure(MatrixError::Kind::Network, error_buffer[0] != '\0'
                                                        ? std::string(error_buffer)
                                                        : std::string(curl_easy_strerror(code))));
  }
  if (status < 200 || status > 299) return fail(http_error(status, answer));
  std::error_code parse_error;
  auto value = boost::json::parse(answer, parse_error);
  if (parse_error) {
    return fail(failure(MatrixError::Kind::Http, "the answer is not JSON: " + parse_error.message(),
                        status));
  }
  return value;
}

}  // namespace stork::notify
