// SavedConversation: an API run's conversation in the state database (state::ConversationStore)
// under its session id, so that a resumed session continues it. Synchronous (SQLite and the
// serialisation of a conversation that may be large): the run calls it through offload, one
// call at a time. Its failures come back as notes for the run's output; they never end a run.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include <boost/json/array.hpp>

#include "state/conversation_store.hpp"

namespace stork::agents::api {

struct ConversationOwner {
  std::string story;
  std::string agent;
  std::string runtime;  // "openai", "gemini": a session belongs to one runtime
};

// What resuming a session found.
struct ResumedConversation {
  boost::json::array messages;  // empty: nothing to continue
  bool foreign = false;         // the session is another runtime's: start a new one
};

class SavedConversation {
 public:
  SavedConversation(std::filesystem::path project_root, ConversationOwner owner)
      : project_root_(std::move(project_root)), owner_(std::move(owner)) {}

  // Opens the store; a note when the conversation cannot be kept (nothing is saved then).
  std::optional<std::string> open();
  ResumedConversation load(const std::string& session_id);
  // Saves the whole conversation as the session's; a note when that failed.
  std::optional<std::string> save(const std::string& session_id, const std::string& model,
                                  const boost::json::array& conversation);

 private:
  std::filesystem::path project_root_;
  ConversationOwner owner_;
  std::unique_ptr<state::ConversationStore> store_;
};

// A fresh session id for a run of `runtime` ("openai-" and 24 random hex digits).
std::string new_session_id(std::string_view runtime);

}  // namespace stork::agents::api
