#include "agents/api/sse_parser.hpp"

namespace stork::agents::api {

void SseParser::feed(std::string_view bytes, std::vector<SseEvent>& out) {
  std::vector<std::string> lines;
  lines_.feed(bytes, lines);
  for (const auto& line : lines)
    take_line(line, out);
}

void SseParser::finish(std::vector<SseEvent>& out) {
  if (auto rest = lines_.finish()) take_line(*rest, out);
  dispatch(out);
}

void SseParser::take_line(const std::string& line, std::vector<SseEvent>& out) {
  if (line.empty()) {
    dispatch(out);
    return;
  }
  if (line.front() == ':') return;
  const auto colon = line.find(':');
  std::string_view field(line.data(), colon == std::string::npos ? line.size() : colon);
  std::string_view value;
  if (colon != std::string::npos) {
    value = std::string_view(line).substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  }
  if (field == "data") {
    if (has_data_) pending_.data += '\n';
    pending_.data += value;
    has_data_ = true;
  } else if (field == "event") {
    pending_.event = value;
  }
}

void SseParser::dispatch(std::vector<SseEvent>& out) {
  if (has_data_) out.push_back(std::move(pending_));
  pending_ = SseEvent{};
  has_data_ = false;
}

}  // namespace stork::agents::api
