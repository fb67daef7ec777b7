#include "git/worktree_mcp_config.hpp"

#include <fstream>

#include <boost/json.hpp>

#include "base/file_io.hpp"
#include "git/git_files.hpp"
#include "git/git_output.hpp"

namespace stork {
namespace {

namespace json = boost::json;

constexpr const char* kMcpFile = ".mcp.json";
constexpr const char* kStep = "write .mcp.json";

json::value parse_or_null(std::string_view text) {
  std::error_code error;
  auto value = json::parse(text, error);
  return error ? json::value() : value;
}

json::value merged_value(std::string_view existing, const std::string& url,
                         const std::string& bearer_token, bool caller_headers) {
  json::value config = parse_or_null(existing);
  if (!config.is_object()) config = json::object();
  auto& servers = config.as_object()["mcpServers"];
  if (!servers.is_object()) servers = json::object();
  json::object storkit{{"type", "http"}, {"url", url}};
  json::object headers;
  if (!bearer_token.empty()) headers["Authorization"] = "Bearer " + bearer_token;
  if (caller_headers) {
    // Claude Code expands ${VAR:-default} in MCP configurations; the pool sets these variables
    // for every agent it starts, so stork's tools know which agent and item call them (the
    // permission prompt needs both). Empty when a person runs the CLI in the worktree.
    headers["X-Stork-Agent"] = "${STORK_AGENT:-}";
    headers["X-Stork-Story"] = "${STORK_STORY_ID:-}";
  }
  if (!headers.empty()) storkit["headers"] = std::move(headers);
  servers.as_object()["storkit"] = std::move(storkit);
  return config;
}

WorktreeError git_error(GitError git) {
  return WorktreeError{std::string(kStep) + ": " + git.message(), "", kStep, std::move(git),
                       std::nullopt};
}

WorktreeError io_error(const IoError& io) {
  return WorktreeError{std::string(kStep) + ": " + io.message, "", kStep, std::nullopt,
                       std::nullopt};
}

// What git makes of the file, asked in one `ls-files` (a git process costs milliseconds on
// every start): `-t` tags a tracked path (H, or S once skip-worktree is set) and an untracked
// one that nothing ignores (?); an ignored untracked path is not listed at all.
enum class McpFileState { Tracked, Untracked, Ignored };

GitResult<McpFileState> mcp_file_state(const GitRepo& worktree) {
  auto listed = worktree.run(
      {"ls-files", "-z", "-t", "--cached", "--others", "--exclude-standard", "--", kMcpFile});
  if (!listed) return fail(std::move(listed).take_error());
  auto entries = split_nul(*listed);
  if (entries.empty()) return McpFileState::Ignored;
  return entries.front().starts_with("? ") ? McpFileState::Untracked : McpFileState::Tracked;
}

// The repository's info/exclude, shared by all its worktrees: found from git's files, and asked
// of git only when they do not read as expected.
GitResult<std::filesystem::path> exclude_file(const GitRepo& worktree) {
  if (auto common = common_git_dir(worktree); !common.empty()) return common / "info" / "exclude";
  auto asked = worktree.run({"rev-parse", "--git-path", "info/exclude"});
  if (!asked) return fail(std::move(asked).take_error());
  std::filesystem::path exclude = trim_line_end(std::move(*asked));
  return exclude.is_relative() ? worktree.root() / exclude : exclude;  // relative to cwd
}

// Makes git ignore our untracked .mcp.json (nothing ignores it yet).
Result<void, WorktreeError> exclude_untracked(const GitRepo& worktree) {
  auto found = exclude_file(worktree);
  if (!found) return fail(git_error(std::move(found).take_error()));
  const auto& exclude = *found;
  std::error_code error;
  std::filesystem::create_directories(exclude.parent_path(), error);
  std::ofstream out(exclude, std::ios::app);
  out << "\n# stork: its MCP configuration in agent worktrees\n/" << kMcpFile << "\n";
  out.close();
  if (!out) return fail(io_error(IoError{"cannot append to " + exclude.string()}));
  return {};
}

}  // namespace

std::string merged_mcp_config(std::string_view existing, const std::string& url,
                              const std::string& bearer_token, bool caller_headers) {
  return json::serialize(merged_value(existing, url, bearer_token, caller_headers)) + "\n";
}

Result<void, WorktreeError> write_worktree_mcp_config(const GitRepo& worktree,
                                                      const std::string& url,
                                                      const std::string& bearer_token) {
  const auto path = worktree.root() / kMcpFile;
  std::string existing;
  std::error_code error;
  if (std::filesystem::exists(path, error)) {
    auto read = read_file(path);
    if (!read) return fail(io_error(read.error()));
    existing = std::move(*read);
  }
  // Compared as JSON values, so a tracked file that already says the same thing in other
  // formatting is left exactly as committed.
  bool changed = merged_value(existing, url, bearer_token, true) != parse_or_null(existing);
  if (changed) {
    if (auto written =
            write_file_atomic(path, merged_mcp_config(existing, url, bearer_token, true));
        !written)
      return fail(io_error(written.error()));
  }

  auto state = mcp_file_state(worktree);
  if (!state) return fail(git_error(std::move(state).take_error()));
  if (*state == McpFileState::Ignored) return {};
  if (*state == McpFileState::Untracked) return exclude_untracked(worktree);
  if (!changed) return {};
  auto skipped = worktree.run({"update-index", "--skip-worktree", "--", kMcpFile});
  if (!skipped) return fail(git_error(std::move(skipped).take_error()));
  return {};
}

}  // namespace stork
