#include "app/chat_wiring.hpp"

#include <spdlog/spdlog.h>

#include "chat/matrix_bot.hpp"
#include "config/chat_config_loader.hpp"

namespace stork::app {

std::unique_ptr<chat::ChatTransport> build_chat_bot(const boost::asio::any_io_executor& io,
                                                    ObjectGraph& graph,
                                                    const GraphOptions& options) {
  if (!graph.pipeline || !graph.items) return nullptr;
  // project.toml was validated whole before the graph is built; errors here mean it changed.
  auto chat = load_chat_config(options.project_root / ".storkit" / "project.toml");
  if (!chat.ok()) {
    spdlog::error("matrix: [chat.matrix] has errors; the bot does not start:\n{}",
                  render_all(chat.error()));
    return nullptr;
  }
  if (!chat.value()) return nullptr;
  const auto config = options.config();
  chat::MatrixBotOptions bot;
  bot.project_root = options.project_root;
  bot.workers = graph.worker_executor();
  bot.config = *chat.value();
  bot.commands.items = graph.items;
  bot.commands.permissions = graph.permissions;
  bot.commands.base_branch = graph.base_branch;
  bot.commands.board_url = config->server.public_url.value_or(options.board_url);
  bot.pipeline = graph.pipeline.get();
  return std::make_unique<chat::MatrixBot>(io, std::move(bot));
}

}  // namespace stork::app
