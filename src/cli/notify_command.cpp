#include "cli/notify_command.hpp"

#include <chrono>

#include "cli/project_loading.hpp"
#include "config/config_loader.hpp"
#include "ops/notification_ops.hpp"

namespace stork::cli {
namespace {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void run_test(CliContext& context) {
  const auto project = load_project_or_report(context);
  if (!project) return;
  const auto& path = project->toml;
  const auto& config = project->loaded.config;
  if (config.notify.empty()) {
    context.fail(kExitFailure, "no [[notify]] channel in " + path.string());
    return;
  }
  const auto results = ops::send_test_notifications(config, now_ms());
  int failed = 0;
  for (const auto& result : results) {
    context.out << (result.ok ? "ok     " : "FAILED ") << result.channel << " (" << result.kind
                << ")";
    if (result.status != 0)
      context.out << (result.kind == "email" ? " SMTP " : " HTTP ") << result.status;
    if (!result.ok) {
      context.out << ": " << result.error;
      ++failed;
    }
    context.out << "\n";
  }
  if (failed > 0) {
    context.fail(kExitFailure, std::to_string(failed) + " of " + std::to_string(results.size()) +
                                   " channel(s) failed");
  }
}

}  // namespace

void add_notify_commands(CLI::App& app, CliContext& context) {
  auto* notify = app.add_subcommand("notify", "Notification channels ([[notify]])");
  notify->require_subcommand(1);
  notify->add_subcommand("test", "Send a test message to every channel and print each result")
      ->callback([&context] { run_test(context); });
}

}  // namespace stork::cli
