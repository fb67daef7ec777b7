#include "tools/worktree_builtin_tools.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/json/serialize.hpp>

#include "base/result.hpp"
#include "base/utf8.hpp"
#include "engine/gate_runner.hpp"
#include "git/contained_path.hpp"
#include "mcp/argument_validator.hpp"
#include "tools/command_policy.hpp"
#include "tools/worktree_command.hpp"

namespace stork::tools {
namespace json = boost::json;
namespace fs = std::filesystem;
namespace {

using agents::ToolCallResult;

json::object schema(json::object properties, json::array required) {
  json::object out{
      {"type", "object"}, {"properties", std::move(properties)}, {"additionalProperties", false}};
  if (!required.empty()) out["required"] = std::move(required);
  return out;
}

json::object path_schema(std::string_view description) {
  return json::object{
      {"type", "string"}, {"description", description}, {"minLength", 1}, {"maxLength", 4096}};
}

ToolCallResult error(std::string text) {
  return {std::move(text), true};
}

// The real path of `relative` inside the worktree, or why it may not be used.
Result<fs::path, std::string> inside_worktree(const fs::path& worktree,
                                              const std::string& relative) {
  const fs::path path(relative);
  if (path.is_absolute()) {
    return fail("path '" + relative +
                "' is absolute: give a path relative to the worktree (e.g. src/main.cpp)");
  }
  for (const auto& part : path) {
    if (part == "..") {
      return fail("path '" + relative + "' uses '..': paths must stay inside the worktree");
    }
  }
  if (!path.empty() && *path.begin() == ".git") {
    return fail("path '" + relative + "' is git's own: use git through run_command");
  }
  auto resolved = resolve_inside(worktree, path);
  if (!resolved) {
    return fail("path '" + relative + "' leads outside the worktree (through a symlink)");
  }
  return *resolved;
}

ToolCallResult read_file(const json::object& args, const fs::path& worktree) {
  const std::string relative(args.at("path").as_string());
  auto path = inside_worktree(worktree, relative);
  if (!path.ok()) return error(path.error());
  std::error_code ec;
  if (fs::is_directory(path.value(), ec)) {
    return error("'" + relative + "' is a directory: use list_files");
  }
  std::ifstream in(path.value(), std::ios::binary);
  if (!in) return error("cannot read '" + relative + "': no such file");
  std::string text(kMaxReadBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  const bool cut = text.size() > kMaxReadBytes;
  if (cut) text.resize(kMaxReadBytes);
  if (text.find('\0') != std::string::npos) {
    return error("'" + relative + "' is a binary file (" +
                 std::to_string(fs::file_size(path.value(), ec)) + " bytes); not shown");
  }
  text = repair_utf8(text);
  if (cut) {
    text += "\n[stork: the file is larger than " + std::to_string(kMaxReadBytes / 1024) +
            " KB; only its beginning is shown. Use run_command (sed -n, head, tail) for the rest]";
  }
  return {std::move(text), false};
}

ToolCallResult write_file(const json::object& args, const fs::path& worktree) {
  const std::string relative(args.at("path").as_string());
  const auto& content = args.at("content").as_string();
  if (content.size() > kMaxWriteBytes) {
    return error("content of " + std::to_string(content.size()) + " bytes is over the " +
                 std::to_string(kMaxWriteBytes / 1024) + " KB limit of write_file");
  }
  auto path = inside_worktree(worktree, relative);
  if (!path.ok()) return error(path.error());
  std::error_code ec;
  if (fs::is_directory(path.value(), ec)) return error("'" + relative + "' is a directory");
  fs::create_directories(path.value().parent_path(), ec);
  if (ec) return error("cannot create the directories of '" + relative + "': " + ec.message());
  std::ofstream out(path.value(), std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  if (!out) return error("cannot write '" + relative + "'");
  return {"wrote " + std::to_string(content.size()) + " bytes to " + relative, false};
}

ToolCallResult list_files(const json::object& args, const fs::path& worktree) {
  std::string relative = ".";
  if (const auto* given = args.if_contains("path")) relative = std::string(given->as_string());
  const bool recursive = args.contains("recursive") && args.at("recursive").as_bool();
  auto path = relative == "." ? Result<fs::path, std::string>(worktree)
                              : inside_worktree(worktree, relative);
  if (!path.ok()) return error(path.error());
  std::error_code ec;
  if (!fs::is_directory(path.value(), ec)) return error("'" + relative + "' is not a directory");
  const fs::path root = fs::canonical(path.value(), ec);
  std::vector<std::string> entries;
  bool cut = false;
  auto add = [&](const fs::directory_entry& entry) {
    auto name = fs::relative(entry.path(), root, ec).generic_string();
    if (entry.is_directory(ec) && !entry.is_symlink(ec)) name += "/";
    entries.push_back(std::move(name));
  };
  if (recursive) {
    fs::recursive_directory_iterator it(root, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      if (it->path().filename() == ".git") {
        it.disable_recursion_pending();
        continue;
      }
      if (entries.size() >= kMaxListEntries) {
        cut = true;
        break;
      }
      add(*it);
    }
  } else {
    for (const auto& entry : fs::directory_iterator(root, ec)) {
      if (entry.path().filename() == ".git") continue;
      if (entries.size() >= kMaxListEntries) {
        cut = true;
        break;
      }
      add(entry);
    }
  }
  std::sort(entries.begin(), entries.end());
  std::string text;
  for (const auto& entry : entries)
    text += entry + "\n";
  if (entries.empty()) text = "(empty)\n";
  if (cut) text += "[stork: more than " + std::to_string(kMaxListEntries) + " entries; cut]\n";
  return {std::move(text), false};
}

}  // namespace

const std::vector<BuiltinTool>& worktree_builtin_tools() {
  static const std::vector<BuiltinTool> tools{
      {"read_file",
       "Reads a text file of the worktree (path relative to the worktree root); at most 256 KB "
       "are returned.",
       schema({{"path", path_schema("File path relative to the worktree root")}},
              json::array{"path"})},
      {"write_file",
       "Writes (creates or replaces) a file of the worktree with the given content; parent "
       "directories are created. At most 1 MB.",
       schema({{"path", path_schema("File path relative to the worktree root")},
               {"content",
                json::object{{"type", "string"}, {"description", "The whole new content"}}}},
              json::array{"path", "content"})},
      {"list_files",
       "Lists the entries of a directory of the worktree (directories end with '/'); .git is "
       "left out. recursive: the whole tree below it (at most 2000 entries).",
       schema({{"path", path_schema("Directory relative to the worktree root (default: the root)")},
               {"recursive", json::object{{"type", "boolean"},
                                          {"description", "List the whole tree below it"}}}},
              json::array{})},
      {"run_command",
       "Runs a bash command in the worktree (cwd = the worktree root) and returns whether it "
       "succeeded, its exit outcome and the last 8 KB of its output. Time limit timeout_secs "
       "(default 120, at most 600). Refused: sudo, rm -rf on / or ~, git push, git on another "
       "checkout, and the other rules of docs/mcp-tools.md.",
       schema({{"command", json::object{{"type", "string"},
                                        {"description", "The bash command line"},
                                        {"minLength", 1},
                                        {"maxLength", kMaxCommandBytes}}},
               {"timeout_secs", json::object{{"type", "integer"},
                                             {"description", "Time limit in seconds (default 120)"},
                                             {"minimum", 1},
                                             {"maximum", kMaxCommandTimeoutSecs}}}},
              json::array{"command"})},
  };
  return tools;
}

bool is_worktree_builtin(const std::string& name) {
  const auto& tools = worktree_builtin_tools();
  return std::any_of(tools.begin(), tools.end(),
                     [&](const BuiltinTool& tool) { return tool.name == name; });
}

void call_worktree_builtin(const boost::asio::any_io_executor& executor,
                           const fs::path& project_root, const std::string& name,
                           const json::object& arguments, const agents::ToolCaller& caller,
                           std::function<void(ToolCallResult)> done) {
  const auto& tools = worktree_builtin_tools();
  auto tool = std::find_if(tools.begin(), tools.end(),
                           [&](const BuiltinTool& t) { return t.name == name; });
  if (tool == tools.end()) return done(error("Unknown tool: " + name));
  auto problems = mcp::validate_arguments(tool->input_schema, arguments);
  if (!problems.empty()) {
    std::string text = "Invalid arguments for tool " + name + ":";
    for (const auto& problem : problems)
      text += "\n- " + problem;
    text += "\nCall it again with arguments that match its parameters.";
    return done(error(std::move(text)));
  }
  std::error_code ec;
  const fs::path worktree = fs::canonical(caller.worktree, ec);
  if (ec) return done(error("the worktree " + caller.worktree.string() + " is gone"));
  if (name == "read_file") return done(read_file(arguments, worktree));
  if (name == "write_file") return done(write_file(arguments, worktree));
  if (name == "list_files") return done(list_files(arguments, worktree));

  const std::string command(arguments.at("command").as_string());
  if (auto refused = refusal_reason(command)) return done(error(*refused));
  std::int64_t timeout = kDefaultCommandTimeoutSecs;
  if (const auto* given = arguments.if_contains("timeout_secs"))
    timeout = given->to_number<std::int64_t>();
  auto spec = worktree_command_spec(project_root, caller.story_id, worktree, command, timeout);
  spec.sandbox = caller.sandbox;
  boost::asio::co_spawn(
      executor,
      [executor, spec = std::move(spec), command, done]() -> boost::asio::awaitable<void> {
        auto running = engine::run_gate(executor, spec);
        const auto result = co_await std::move(running);
        done({json::serialize(json::object{{"command", command},
                                           {"succeeded", result.passed},
                                           {"outcome", result.outcome},
                                           {"duration_ms", result.duration.count()},
                                           {"output", result.output_tail}}),
              false});
      },
      boost::asio::detached);
}

}  // namespace stork::tools
