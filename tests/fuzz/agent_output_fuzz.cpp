// libFuzzer target: arbitrary bytes as what an agent CLI writes on its stdout, line by line,
// through each translator that reads it: the ACP client's JSON-RPC parsing and what follows for
// each message kind (session/update → SessionUpdateTranslator, a prompt's answer → its result
// event, an error answer → classify_prompt_error / describe_prompt_error), the Gemini CLI's
// stream-json translator and the Codex CLI's JSON event translator. An agent, or the model
// behind it, writes whatever it likes there, so nothing in it may crash the server.
//
// Invariants checked (a violation traps): nothing throws; every event has a type and its
// payload is one JSON object; a parsed message's kind has the fields it needs (a request and a
// notification a method, a request and a response an id).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "agents/acp/json_rpc.hpp"
#include "agents/acp/prompt_errors.hpp"
#include "agents/acp/session_update.hpp"
#include "agents/gemini_cli/stream_translator.hpp"
#include "agents/runtime/codex_event_translation.hpp"
#include "fuzz_check.hpp"

namespace {

namespace json = boost::json;
using stork::agents::RuntimeEvent;

void check_events(std::vector<RuntimeEvent>& events) {
  for (const auto& event : events) {
    FUZZ_CHECK(!event.type.empty());
    json::error_code error;
    const json::value payload = json::parse(event.payload, error);
    FUZZ_CHECK(!error);
    FUZZ_CHECK(payload.is_object());
  }
  events.clear();
}

void through_acp(std::string_view line, stork::acp::SessionUpdateTranslator& translator,
                 std::vector<RuntimeEvent>& events) {
  using stork::acp::MessageKind;
  auto message = stork::acp::parse_message(line);
  if (!message.ok()) {
    FUZZ_CHECK(!message.error().empty());
    return;
  }
  const auto& parsed = message.value();
  // A request or notification may name an empty method (a request still gets its
  // method-not-found answer); only a response has no method at all.
  if (parsed.kind == MessageKind::Response) FUZZ_CHECK(parsed.method.empty());
  if (parsed.kind != MessageKind::Notification)
    FUZZ_CHECK(parsed.id.is_number() || parsed.id.is_string());
  if (parsed.kind == MessageKind::Notification && parsed.method == "session/update") {
    translator.translate(parsed.params, events);
  } else if (parsed.kind == MessageKind::Response && parsed.error) {
    (void)stork::acp::classify_prompt_error(*parsed.error, translator.last_text());
    FUZZ_CHECK(!stork::acp::describe_prompt_error(*parsed.error).empty());
  } else if (parsed.kind == MessageKind::Response && parsed.result.is_object()) {
    events.push_back(translator.result(parsed.result.as_object(), events));
  }
  check_events(events);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  stork::acp::SessionUpdateTranslator acp;
  stork::agents::GeminiTranslatorSetup gemini_setup;
  gemini_setup.key_env = "GEMINI_API_KEY";
  gemini_setup.now_unix_s = [] { return std::int64_t{1'700'000'000}; };
  stork::agents::GeminiStreamTranslator gemini(gemini_setup);
  stork::agents::CodexEventTranslator codex(stork::agents::CodexRunFacts{});
  std::vector<RuntimeEvent> events;
  std::size_t start = 0;
  while (start <= input.size()) {
    auto end = input.find('\n', start);
    if (end == std::string_view::npos) end = input.size();
    const auto line = input.substr(start, end - start);
    through_acp(line, acp, events);
    gemini.translate(line, events);
    check_events(events);
    codex.translate(line, events);
    check_events(events);
    start = end + 1;
  }
  acp.flush(events);
  check_events(events);
  return 0;
}
