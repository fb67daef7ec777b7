#include "agents/api/http_stream.hpp"

#include <cctype>
#include <mutex>

#include <curl/curl.h>

namespace stork::agents::api {
namespace {

constexpr std::size_t kMaxErrorBody = std::size_t{64} * 1024;

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

using Clock = std::chrono::steady_clock;

struct Transfer {
  CURL* curl = nullptr;
  const std::function<void(std::string_view)>* on_body = nullptr;
  const std::atomic<bool>* cancel = nullptr;
  HttpResponse* response = nullptr;
  std::chrono::milliseconds idle_timeout{0};
  Clock::time_point last_byte = Clock::now();
  bool idle_expired = false;
};

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return text;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  std::string_view line(data, size * count);
  transfer->last_byte = Clock::now();
  // A new status line (after a 100 Continue or a redirect) starts a new set of headers.
  if (line.rfind("HTTP/", 0) == 0) transfer->response->headers.clear();
  auto colon = line.find(':');
  if (colon != std::string_view::npos) {
    transfer->response->headers.emplace_back(lower(trim(line.substr(0, colon))),
                                             std::string(trim(line.substr(colon + 1))));
  }
  return size * count;
}

std::size_t on_write(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const std::size_t bytes = size * count;
  transfer->last_byte = Clock::now();
  long status = 0;
  curl_easy_getinfo(transfer->curl, CURLINFO_RESPONSE_CODE, &status);
  if (status >= 200 && status < 300) {
    (*transfer->on_body)(std::string_view(data, bytes));
  } else {
    auto& body = transfer->response->error_body;
    if (body.size() < kMaxErrorBody)
      body.append(data, std::min(bytes, kMaxErrorBody - body.size()));
  }
  return bytes;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* transfer = static_cast<Transfer*>(user);
  if (transfer->cancel->load()) return 1;  // non-zero aborts with CURLE_ABORTED_BY_CALLBACK
  // Measured here rather than with CURLOPT_LOW_SPEED_*, whose average over several seconds
  // lets a stream that went silent after a burst live seconds longer than the limit.
  if (Clock::now() - transfer->last_byte > transfer->idle_timeout) {
    transfer->idle_expired = true;
    return 1;
  }
  return 0;
}

}  // namespace

std::string HttpResponse::header(std::string_view lower_case_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_case_name) return value;
  }
  return {};
}

HttpResponse post_streaming(const HttpRequest& request,
                            const std::function<void(std::string_view)>& on_body,
                            const std::atomic<bool>& cancel) {
  global_init();
  HttpResponse response;
  CURL* curl = curl_easy_init();
  if (curl == nullptr) {
    response.transport_error = "cannot initialise libcurl";
    return response;
  }
  Transfer transfer{curl, &on_body, &cancel, &response};
  transfer.idle_timeout = request.idle_timeout;
  curl_slist* headers = nullptr;
  for (const auto& header : request.headers)
    headers = curl_slist_append(headers, header.c_str());
  char error_buffer[CURL_ERROR_SIZE] = {0};

  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_POST, 1L);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_write);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // threads: no SIGALRM for DNS timeouts
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(request.connect_timeout.count() * 1000));
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");  // whatever curl can decode
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);

  const CURLcode code = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  if (code == CURLE_ABORTED_BY_CALLBACK && cancel.load()) {
    response.cancelled = true;
  } else if (code == CURLE_ABORTED_BY_CALLBACK && transfer.idle_expired) {
    response.transport_error =
        "no data from the server for " +
        std::to_string(
            std::chrono::duration_cast<std::chrono::seconds>(request.idle_timeout).count()) +
        " s";
  } else if (code != CURLE_OK) {
    response.transport_error =
        error_buffer[0] != '\0' ? std::string(error_buffer) : std::string(curl_easy_strerror(code));
  }
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return response;
}

long long parse_http_date(const std::string& text) {
  const time_t parsed = curl_getdate(text.c_str(), nullptr);
  return static_cast<long long>(parsed);
}

}  // namespace stork::agents::api
