#include "agents/api/saved_conversation.hpp"

#include <chrono>
#include <random>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace stork::agents::api {
namespace json = boost::json;
namespace {

std::int64_t unix_now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

std::optional<std::string> SavedConversation::open() {
  auto opened = state::ConversationStore::open(project_root_);
  if (!opened.ok()) {
    return "stork cannot keep this conversation (a resume will start over): " +
           opened.error().message;
  }
  store_ = std::move(opened.value());
  return std::nullopt;
}

ResumedConversation SavedConversation::load(const std::string& session_id) {
  ResumedConversation resumed;
  if (!store_) return resumed;
  auto loaded = store_->load(session_id);
  if (!loaded.ok() || !loaded.value()) return resumed;
  if (loaded.value()->runtime != owner_.runtime) {
    resumed.foreign = true;
    return resumed;
  }
  boost::system::error_code ec;
  auto messages = json::parse(loaded.value()->messages, ec);
  if (!ec && messages.is_array()) resumed.messages = std::move(messages.as_array());
  return resumed;
}

std::optional<std::string> SavedConversation::save(const std::string& session_id,
                                                   const std::string& model,
                                                   const json::array& conversation) {
  if (!store_) return std::nullopt;
  state::Conversation record{session_id,     owner_.story, owner_.agent,
                             owner_.runtime, model,        json::serialize(conversation),
                             unix_now_ms()};
  if (auto saved = store_->save(record); !saved.ok()) {
    return "stork could not save the conversation (a resume will start over): " +
           saved.error().message;
  }
  return std::nullopt;
}

std::string new_session_id(std::string_view runtime) {
  std::random_device random;
  std::uniform_int_distribution<unsigned> digit(0, 15);
  std::string id = std::string(runtime) + "-";
  for (int i = 0; i < 24; ++i)
    id += "0123456789abcdef"[digit(random)];
  return id;
}

}  // namespace stork::agents::api
