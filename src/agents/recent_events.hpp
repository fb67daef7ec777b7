// The <recent-events> block an agent's first turn starts with when things happened to its item,
// or people wrote to it, while no run of it was live (storkit story 736). Pure text; the pool
// buffers the entries in state.db (StateStore::add_inbox_entry) and drains them at the launch.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "state/records.hpp"

namespace stork::agents {

// nullopt when `entries` is empty. One line per entry, oldest first, each with its UTC time.
std::optional<std::string> render_recent_events(const std::string& story,
                                                const std::vector<state::InboxEntry>& entries);

}  // namespace stork::agents
