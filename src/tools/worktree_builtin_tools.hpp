// The built-in tools of API runs, acting in the calling run's worktree: read_file, write_file,
// list_files (confined to the worktree: absolute paths, `..` and symlinks leading out are
// refused with a message saying so; size limits) and run_command (bash in the worktree, the
// same deny-list and time limits as the MCP run_command). Arguments are checked against the
// tools' schemas first; every failure is an error result the model can read.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/json/object.hpp>

#include "agents/runtime/tool_host.hpp"

namespace stork::tools {

struct BuiltinTool {
  std::string name;
  std::string description;
  boost::json::object input_schema;
};

const std::vector<BuiltinTool>& worktree_builtin_tools();
bool is_worktree_builtin(const std::string& name);

inline constexpr std::size_t kMaxReadBytes = std::size_t{256} * 1024;
inline constexpr std::size_t kMaxWriteBytes = std::size_t{1024} * 1024;
inline constexpr std::size_t kMaxListEntries = 2000;

// Runs builtin `name`. File tools complete before returning (on the calling thread: an API
// run's own thread); run_command completes later on `executor`.
void call_worktree_builtin(const boost::asio::any_io_executor& executor,
                           const std::filesystem::path& project_root, const std::string& name,
                           const boost::json::object& arguments, const agents::ToolCaller& caller,
                           std::function<void(agents::ToolCallResult)> done);

}  // namespace stork::tools
