// GET /api/items/{id}/gate: the output of the item's newest gate run, as the pipeline logged it
// (.storkit/logs/<id>/completion-<ms>.log for a coder's completion, merge-<ms>.log for the gate
// on the merged tree). The board shows it next to the item's runs.
#include <algorithm>
#include <charconv>
#include <fstream>
#include <optional>

#include <boost/json/object.hpp>

#include "api/api_context.hpp"
#include "api/routes.hpp"
#include "api/story_lookup.hpp"

namespace stork::api {
namespace json = boost::json;
namespace asio = boost::asio;
namespace fs = std::filesystem;

namespace {

constexpr std::uintmax_t kTailBytes =
    std::uintmax_t{64} * 1024;  // the end of a log is where a failure shows

struct GateLog {
  fs::path path;
  std::string kind;  // completion | merge
  std::int64_t time_ms = 0;
};

// "completion-1795219200000.log" → {completion, 1795219200000}; anything else is not a gate log.
std::optional<GateLog> parse_log_name(const fs::path& path) {
  const std::string name = path.filename().string();
  for (std::string_view kind : {"completion", "merge"}) {
    const std::string prefix = std::string(kind) + "-";
    if (!name.starts_with(prefix) || !name.ends_with(".log")) continue;
    const char* first = name.data() + prefix.size();
    const char* last = name.data() + name.size() - 4;
    std::int64_t time_ms = 0;
    auto [end, error] = std::from_chars(first, last, time_ms);
    if (error != std::errc() || end != last) continue;
    return GateLog{path, std::string(kind), time_ms};
  }
  return std::nullopt;
}

std::optional<GateLog> newest_gate_log(const fs::path& dir) {
  std::optional<GateLog> newest;
  std::error_code error;
  for (fs::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
    auto log = parse_log_name(it->path());
    if (log && (!newest || log->time_ms > newest->time_ms)) newest = std::move(log);
  }
  return newest;
}

// The gate runner ends its log with "--- gate passed: ..." or "--- gate failed: ..."; without
// that line the gate is still running (or was cut short by a crash).
json::value outcome_of(std::string_view text) {
  const auto marker = text.rfind("--- gate ");
  if (marker == std::string_view::npos) return nullptr;
  const auto verdict = text.substr(marker + 9);
  if (verdict.starts_with("passed")) return "passed";
  if (verdict.starts_with("failed")) return "failed";
  return nullptr;
}

ApiResult<json::object> last_gate(const fs::path& root, const std::string& text) {
  auto entry = locate_story(root, text);
  if (!entry.ok()) return fail(entry.error());
  const auto story = entry.value().id.str();
  const auto log = newest_gate_log(root / ".storkit" / "logs" / story);
  if (!log) return json::object{{"id", story}, {"gate", nullptr}};
  std::ifstream in(log->path, std::ios::binary);
  std::error_code error;
  const auto size = fs::file_size(log->path, error);
  if (!in || error) {
    return fail(ApiError{
        500, "io_error",
        "cannot read " + log->path.string() + ": " + (error ? error.message() : "open failed")});
  }
  const auto skip = size > kTailBytes ? size - kTailBytes : 0;
  in.seekg(static_cast<std::streamoff>(skip));
  std::string output(static_cast<std::size_t>(size - skip), '\0');
  in.read(output.data(), static_cast<std::streamsize>(output.size()));
  output.resize(static_cast<std::size_t>(in.gcount()));
  json::object gate{{"kind", log->kind}, {"time_ms", log->time_ms}, {"outcome", outcome_of(output)},
                    {"bytes", size},     {"truncated", skip > 0},   {"output", std::move(output)}};
  return json::object{{"id", story}, {"gate", std::move(gate)}};
}

asio::awaitable<http::Response> get_gate(ContextPtr context, http::Request& request) {
  auto read = [root = context->services().project_root, id = request.path_params["id"]] {
    return last_gate(root, id);
  };
  auto gate = co_await context->offload(read);
  if (!gate.ok()) co_return to_response(gate.error());
  co_return json_response(200, gate.value());
}

}  // namespace

void add_gate_routes(http::Router& router, const ContextPtr& context) {
  router.add(
      "GET", "/api/items/{id}/gate",
      [context](http::Request& request) { return get_gate(context, request); }, "item_gate");
}

}  // namespace stork::api
