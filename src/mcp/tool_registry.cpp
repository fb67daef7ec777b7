#include "mcp/tool_registry.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace stork::mcp {

void ToolRegistry::add(Tool tool) {
  if (tool.name.empty()) throw std::logic_error("ToolRegistry::add: a tool needs a name");
  if (!tool.handler) {
    throw std::logic_error("ToolRegistry::add: tool '" + tool.name + "' has no handler");
  }
  {
    std::lock_guard lock(mutex_);
    auto same_name = [&](const auto& existing) { return existing->name == tool.name; };
    if (std::any_of(tools_.begin(), tools_.end(), same_name)) {
      throw std::logic_error("ToolRegistry::add: a tool named '" + tool.name +
                             "' is already registered");
    }
    tools_.push_back(std::make_shared<const Tool>(std::move(tool)));
  }
  notify();
}

void ToolRegistry::remove(std::string_view name) {
  bool removed = false;
  {
    std::lock_guard lock(mutex_);
    auto it = std::find_if(tools_.begin(), tools_.end(),
                           [&](const auto& tool) { return tool->name == name; });
    if (it != tools_.end()) {
      tools_.erase(it);
      removed = true;
    }
  }
  if (removed) notify();
}

const Tool* ToolRegistry::find(std::string_view name) const {
  return get(name).get();
}

std::shared_ptr<const Tool> ToolRegistry::get(std::string_view name) const {
  std::lock_guard lock(mutex_);
  for (const auto& tool : tools_) {
    if (tool->name == name) return tool;
  }
  return nullptr;
}

std::vector<const Tool*> ToolRegistry::list() const {
  std::lock_guard lock(mutex_);
  std::vector<const Tool*> result;
  result.reserve(tools_.size());
  for (const auto& tool : tools_)
    result.push_back(tool.get());
  return result;
}

std::vector<std::shared_ptr<const Tool>> ToolRegistry::snapshot() const {
  std::lock_guard lock(mutex_);
  return tools_;
}

ToolRegistry::ListenerId ToolRegistry::add_listener(std::function<void()> on_change) {
  std::lock_guard lock(mutex_);
  ListenerId id = next_listener_++;
  listeners_.emplace(id, std::move(on_change));
  return id;
}

void ToolRegistry::remove_listener(ListenerId id) {
  std::lock_guard lock(mutex_);
  listeners_.erase(id);
}

void ToolRegistry::notify() const {
  std::vector<std::function<void()>> listeners;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, listener] : listeners_)
      listeners.push_back(listener);
  }
  for (const auto& listener : listeners)
    listener();
}

}  // namespace stork::mcp
