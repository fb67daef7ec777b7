#include "cli/project_loading.hpp"

#include "cli/project_locator.hpp"

namespace stork::cli {

std::optional<LoadedProject> load_project_or_report(CliContext& context) {
  auto root = locate_project(context.cwd, context.project_flag);
  if (!root.ok()) {
    context.fail(kExitUsage, root.error().message);
    return std::nullopt;
  }
  auto toml = root.value() / ".storkit" / "project.toml";
  auto loaded = load_project_config(toml);
  if (!loaded.ok()) {
    context.err << render_all(loaded.error());
    context.fail(kExitFailure, toml.string() + " has errors");
    return std::nullopt;
  }
  return LoadedProject{std::move(root).value(), std::move(toml), std::move(loaded).value()};
}

}  // namespace stork::cli
