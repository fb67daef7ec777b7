// SessionUpdateTranslator: ACP `session/update` notifications (and the end of a prompt turn)
// as stork's RuntimeEvents (agent_event.hpp). Message and thought chunks arrive a few tokens at
// a time; they are joined into one assistant_text/thinking event, emitted when something else
// happens or the turn ends. Updates of kinds stork does not show (available commands, mode
// changes) are dropped; unknown kinds become `raw` events, so nothing an agent says is lost.
// One per run; not thread-safe (the run's executor calls it).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "agents/runtime/runtime.hpp"

namespace stork::acp {

class SessionUpdateTranslator {
 public:
  // The `params` of one session/update notification.
  void translate(const boost::json::value& params, std::vector<agents::RuntimeEvent>& events);
  // Emits the text gathered so far.
  void flush(std::vector<agents::RuntimeEvent>& events);
  // The turn's end: the `result` event for session/prompt's answer (`stopReason`, `usage`).
  agents::RuntimeEvent result(const boost::json::object& prompt_result,
                              std::vector<agents::RuntimeEvent>& events);
  // The last message text of the turn (a failed turn's explanation).
  const std::string& last_text() const { return last_text_; }

 private:
  void append_chunk(bool thought, const boost::json::object& update,
                    std::vector<agents::RuntimeEvent>& events);
  std::string pending_;
  bool pending_thought_ = false;
  std::string last_text_;
};

// The text blocks of an ACP content value: a ContentBlock ({"type":"text","text"}), a tool call
// content list ([{"type":"content","content":{...}}, {"type":"diff","path",...}]), joined.
std::string content_text(const boost::json::value& content);

}  // namespace stork::acp
