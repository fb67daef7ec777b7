#include "cli/project_init.hpp"

#include <boost/json.hpp>
#include <sys/stat.h>

#include "base/file_io.hpp"
#include "cli/init_templates.hpp"
#include "git/git_repo.hpp"
#include "work/stage.hpp"

namespace stork::cli {
namespace {

class Initialiser {
 public:
  explicit Initialiser(InitReport& report) : report_(report) {}

  // Creates `relative` with `contents` unless it exists. Returns false on an I/O failure.
  Result<void, InitError> create(const std::string& relative, std::string_view contents,
                                 mode_t mode = 0644) {
    const auto path = report_.repo_root / relative;
    std::error_code error;
    if (std::filesystem::exists(path, error)) {
      report_.kept.push_back(relative);
      return {};
    }
    std::filesystem::create_directories(path.parent_path(), error);
    if (auto created = create_file_exclusive(path, contents); !created) {
      return fail(InitError{InitError::Kind::Io, created.error().message});
    }
    if (mode != 0644) ::chmod(path.c_str(), mode);
    report_.created.push_back(relative);
    return {};
  }

  // Adds the storkit server to an existing .mcp.json, keeping every other server in it.
  Result<void, InitError> merge_mcp_json(int port) {
    const std::string relative = ".mcp.json";
    const auto path = report_.repo_root / relative;
    if (!std::filesystem::exists(path)) return create(relative, mcp_json(port));
    auto text = read_file(path);
    if (!text) return fail(InitError{InitError::Kind::Io, text.error().message});
    boost::system::error_code parse_error;
    auto json = boost::json::parse(*text, parse_error);
    if (parse_error || !json.is_object()) {
      report_.kept.push_back(relative);
      report_.notes.push_back(
          ".mcp.json is not a JSON object; left unchanged. Add this server by hand: \"storkit\": "
          "{\"type\": \"http\", \"url\": \"" +
          mcp_url(port) + "\"}");
      return {};
    }
    auto& servers = json.as_object()["mcpServers"];
    if (!servers.is_object()) servers = boost::json::object{};
    if (const auto* existing = servers.as_object().if_contains("storkit")) {
      report_.kept.push_back(relative);
      const auto* url = existing->is_object() ? existing->as_object().if_contains("url") : nullptr;
      if (url == nullptr || !url->is_string() || url->as_string() != mcp_url(port)) {
        report_.notes.push_back(".mcp.json already has a 'storkit' server that does not point at " +
                                mcp_url(port) + "; left unchanged");
      }
      return {};
    }
    servers.as_object()["storkit"] = boost::json::object{{"type", "http"}, {"url", mcp_url(port)}};
    if (auto written = write_file_atomic(path, boost::json::serialize(json) + "\n"); !written) {
      return fail(InitError{InitError::Kind::Io, written.error().message});
    }
    report_.created.push_back(".mcp.json (added the storkit server)");
    return {};
  }

 private:
  InitReport& report_;
};

}  // namespace

Result<InitReport, InitError> init_project(const InitOptions& options) {
  if (options.port < 1 || options.port > 65535) {
    return fail(InitError{InitError::Kind::InvalidPort, "--port must be between 1 and 65535, got " +
                                                            std::to_string(options.port)});
  }
  auto repo = GitRepo::open(options.directory);
  if (!repo) {
    return fail(InitError{InitError::Kind::NotGitRepository,
                          options.directory.string() +
                              " is not inside a git repository; run `git init` there first (" +
                              repo.error().message() + ")"});
  }
  InitReport report;
  report.repo_root = repo->root();
  Initialiser init(report);

  const std::pair<std::string, std::string_view> files[] = {
      {".storkit/project.toml", project_toml_template()},
      {".storkit/README.md", agents_readme_template()},
      {".storkit/specs/00_CONTEXT.md", context_spec_template()},
      {".storkit/specs/tech/STACK.md", stack_spec_template()},
      {".storkit/.gitignore", storkit_gitignore_template()},
  };
  for (const auto& [relative, contents] : files) {
    if (auto created = init.create(relative, contents); !created)
      return fail(std::move(created).take_error());
  }
  for (Stage stage : kAllStages) {
    // Tracked stages keep a .gitkeep so an empty stage survives a clone.
    const std::string dir = ".storkit/work/" + std::string(stage_dir_name(stage));
    if (stage_is_tracked_by_git(stage)) {
      if (auto created = init.create(dir + "/.gitkeep", ""); !created)
        return fail(std::move(created).take_error());
    } else {
      std::error_code error;
      std::filesystem::create_directories(report.repo_root / dir, error);
    }
  }
  if (auto merged = init.merge_mcp_json(options.port); !merged)
    return fail(std::move(merged).take_error());
  if (auto created = init.create("script/test", script_test_template(), 0755); !created) {
    return fail(std::move(created).take_error());
  }
  return report;
}

}  // namespace stork::cli
