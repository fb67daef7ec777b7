#include "http/response.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "base/json_text.hpp"

namespace stork::http {

Response Response::json(unsigned status, std::string body) {
  Response response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

Response Response::json(unsigned status, std::shared_ptr<const std::string> body) {
  Response response;
  response.status = status;
  response.shared_body = std::move(body);
  return response;
}

Response Response::text(unsigned status, std::string body, std::string content_type) {
  Response response;
  response.status = status;
  response.content_type = std::move(content_type);
  response.body = std::move(body);
  return response;
}

Response Response::error(unsigned status, std::string_view code, std::string_view message) {
  return json(status, error_json(code, message));
}

Response Response::sse(std::shared_ptr<EventStream> stream) {
  Response response;
  response.content_type = "text/event-stream";
  response.stream = std::move(stream);
  return response;
}

std::string error_json(std::string_view code, std::string_view message) {
  boost::json::value value = {{"error", {{"code", code}, {"message", message}}}};
  return json_text(value);
}

}  // namespace stork::http
