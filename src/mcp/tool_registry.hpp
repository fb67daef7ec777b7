// The set of tools an MCP server offers, in registration order. Thread-safe: the app adds and
// removes tools from anywhere while servers list and call them. Servers subscribe to changes
// to send notifications/tools/list_changed on their sessions' GET streams.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include "mcp/tool.hpp"

namespace stork::mcp {

class ToolRegistry {
 public:
  using ListenerId = std::uint64_t;

  // Throws std::logic_error for a duplicate or empty name, or a missing handler (a programming
  // error in the app's wiring, found at start-up).
  void add(Tool tool);
  // Removes the tool if present; listeners are told when something was removed.
  void remove(std::string_view name);

  // The pointers stay valid until that tool is removed; a server calling a tool holds a
  // shared_ptr (get) so a concurrent remove cannot pull the handler from under the call.
  const Tool* find(std::string_view name) const;
  std::shared_ptr<const Tool> get(std::string_view name) const;
  std::vector<const Tool*> list() const;  // in registration order
  std::vector<std::shared_ptr<const Tool>> snapshot() const;

  // `on_change` runs after every add/remove, on the thread that made the change, without the
  // registry's lock held. It must not call remove_listener on itself.
  ListenerId add_listener(std::function<void()> on_change);
  void remove_listener(ListenerId id);

 private:
  void notify() const;

  mutable std::mutex mutex_;
  std::vector<std::shared_ptr<const Tool>> tools_;
  std::map<ListenerId, std::function<void()>> listeners_;
  ListenerId next_listener_ = 1;
};

}  // namespace stork::mcp
