#include "cli/chat_command.hpp"

#include "chat/matrix_bot.hpp"
#include "cli/project_loading.hpp"
#include "config/chat_config_loader.hpp"

namespace stork::cli {
namespace {

void run_check(CliContext& context) {
  const auto project = load_project_or_report(context);
  if (!project) return;
  const auto& root = project->root;
  const auto& path = project->toml;
  auto chat = load_chat_config(path);
  if (!chat.ok()) {
    context.err << render_all(chat.error());
    context.fail(kExitFailure, path.string() + " has errors");
    return;
  }
  const auto& matrix = chat.value();
  if (!matrix) {
    context.fail(kExitFailure, "no [chat.matrix] in " + path.string());
    return;
  }
  context.out << "homeserver " << matrix->homeserver << " as " << matrix->user_id << "\n";
  int failed = 0;
  for (const auto& line : chat::check_matrix(*matrix, root)) {
    context.out << (line.ok ? "ok     " : "FAILED ") << line.text << "\n";
    failed += line.ok ? 0 : 1;
  }
  if (failed > 0) context.fail(kExitFailure, "the Matrix check failed");
}

}  // namespace

void add_chat_commands(CLI::App& app, CliContext& context) {
  auto* chat = app.add_subcommand("chat", "The chat bot ([chat.matrix])");
  chat->require_subcommand(1);
  chat->add_subcommand("check", "Log in, sync once and report what the bot would see")
      ->callback([&context] { run_check(context); });
}

}  // namespace stork::cli
