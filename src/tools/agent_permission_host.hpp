// The PermissionHost the app gives the agent pool (agents/runtime/permission_host.hpp): an
// `acp` agent's permission questions asked through ops::PermissionOps, exactly as Claude Code's
// prompt_permission tool asks them (the command deny-list for shell commands, the rules of
// .storkit/permissions.toml, the agent's permission_mode, a person). The pool exists before the
// PermissionOps that needs it, so the ops are bound afterwards; a question before that is
// denied with a message saying so.
#pragma once

#include <atomic>
#include <functional>
#include <memory>

#include <boost/asio/any_io_executor.hpp>

#include "agents/runtime/permission_host.hpp"

namespace stork::ops {
class PermissionOps;
}

namespace stork::tools {

class AgentPermissionHost final : public agents::PermissionHost {
 public:
  explicit AgentPermissionHost(boost::asio::any_io_executor executor);
  void bind(const std::shared_ptr<ops::PermissionOps>& permissions);
  void ask(agents::PermissionRequest request,
           std::function<void(agents::PermissionReply)> done) override;

 private:
  boost::asio::any_io_executor executor_;
  std::atomic<std::weak_ptr<ops::PermissionOps>> permissions_;  // weak: the graph owns them
};

}  // namespace stork::tools
