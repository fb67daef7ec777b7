#include "tools/command_slots.hpp"

namespace stork::tools {

CommandSlots::Lease::~Lease() {
  if (slots_) slots_->release(session_);
}

std::optional<CommandSlots::Lease> CommandSlots::acquire(const std::string& session,
                                                         std::size_t per_session, std::size_t total,
                                                         std::string& refusal) {
  auto& mine = per_session_[session];
  if (mine >= per_session) {
    refusal = "too many commands at once: this session already runs " + std::to_string(mine) +
              " (at most " + std::to_string(per_session) +
              ", [limits] commands_per_session); wait for one to finish";
    if (mine == 0) per_session_.erase(session);
    return std::nullopt;
  }
  if (total_ >= total) {
    refusal = "too many commands at once: the server already runs " + std::to_string(total_) +
              " (at most " + std::to_string(total) +
              ", [limits] commands_total); wait for one to finish";
    if (mine == 0) per_session_.erase(session);
    return std::nullopt;
  }
  ++mine;
  ++total_;
  return Lease(shared_from_this(), session);
}

void CommandSlots::release(const std::string& session) {
  --total_;
  auto entry = per_session_.find(session);
  if (entry != per_session_.end() && --entry->second == 0) per_session_.erase(entry);
}

}  // namespace stork::tools
