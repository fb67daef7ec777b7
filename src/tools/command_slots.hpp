// CommandSlots: how many run_command calls may run at once, per MCP session and in all, so an
// agent (or forty) cannot start commands without bound. Used only from the MCP server's strand
// (every tool handler runs there), so plain counters suffice. A lease gives its slot back when
// it goes, however the call ends (finished, cancelled, failed).
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace stork::tools {

class CommandSlots : public std::enable_shared_from_this<CommandSlots> {
 public:
  class Lease {
   public:
    Lease(std::shared_ptr<CommandSlots> slots, std::string session)
        : slots_(std::move(slots)), session_(std::move(session)) {}
    ~Lease();
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;

   private:
    std::shared_ptr<CommandSlots> slots_;
    std::string session_;
  };

  // A slot, or nothing with `refusal` saying which limit is reached and how to change it.
  std::optional<Lease> acquire(const std::string& session, std::size_t per_session,
                               std::size_t total, std::string& refusal);

  std::size_t running() const { return total_; }

 private:
  void release(const std::string& session);

  std::map<std::string, std::size_t> per_session_;
  std::size_t total_ = 0;
};

}  // namespace stork::tools
