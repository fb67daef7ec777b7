// App::run: the io threads, start-up (recover runs, start the pipeline), signals, and the
// ordered shutdown with its deadline.
#include <csignal>
#include <exception>
#include <thread>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <spdlog/spdlog.h>

#include "api/notification_json.hpp"
#include "app/app_impl.hpp"
#include "base/strand_call.hpp"
#include "chat/chat_transport.hpp"
#include "notify/notifier.hpp"

namespace stork::app {
namespace asio = boost::asio;

namespace {

// Everything must be down well inside the 10 s a service manager (or a test) allows before it
// sends SIGKILL; past this the process exits anyway and says so.
constexpr std::chrono::milliseconds kShutdownDeadline{9000};
// Stream coroutines notice a closed stream at their next poll (100 ms).
constexpr std::chrono::milliseconds kStreamDrain{1000};
// A stop request during start-up waits for runs to be recovered before stopping them.
constexpr std::chrono::milliseconds kStartupWait{3000};

std::string describe(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown exception";
  }
}

}  // namespace

asio::awaitable<void> App::Impl::start_up(std::function<void()> on_ready) {
  // GCC 12: no argument with a destructor in a co_await expression; call first, await after.
  agents::PoolListener count = [this](const std::vector<agents::AgentEvent>& events) {
    serve_metrics.count_agent_events(events.size());
  };
  auto subscribing = pool().subscribe(count);
  co_await std::move(subscribing);
  const auto resumed_runs = co_await pool().recover();
  for (const auto& resumed : resumed_runs) {
    spdlog::info("resuming {} on {} (its run was interrupted)", resumed.agent_name,
                 resumed.story_id);
  }
  if (stopping) co_return;
  co_await pipeline().start();
  co_await hub->start();
  co_await call_on_void(config_strand, [this](const std::function<void()>& done) {
    watch_config();
    done();
  });
  co_await start_notifications();
  ready = true;
  spdlog::info("stork serving {} on {}", options.project_root.string(), url);
  if (on_ready) on_ready();
}

// The notifier after the pipeline (it reads the pipeline's journal from its cursor); each new
// notification also goes to the board's WebSocket clients.
asio::awaitable<void> App::Impl::start_notifications() {
  auto& notifier = *graph->notifier;
  notify::NotificationListener to_board = [hub = hub](const state::NotificationRecord& record) {
    hub->broadcast(api::notification_message(record));
  };
  auto subscribing = notifier.subscribe(to_board);
  co_await std::move(subscribing);
  co_await notifier.start(pipeline(), pool());
  if (graph->chat) {
    co_await graph->chat->start();
  }
}

asio::awaitable<void> App::Impl::shut_down() {
  asio::steady_timer deadline(io, kShutdownDeadline);
  deadline.async_wait([this](boost::system::error_code error) {
    if (error) return;
    spdlog::error("shutdown did not finish within {} ms; exiting anyway",
                  kShutdownDeadline.count());
    exit_code = 1;
    io.stop();
  });
  if (!co_await startup.wait_for(kStartupWait))
    spdlog::warn("start-up still running after {} ms; stopping anyway", kStartupWait.count());

  spdlog::info("stopping: no new connections; the agents' runs resume at the next start");
  co_await call_on_void(config_strand, [this](const std::function<void()>& done) {
    if (config_watcher) config_watcher->stop();
    done();
  });
  co_await http->stop(options.http_grace);
  if (local_http) {
    co_await local_http->stop(options.http_grace);
  }
  if (!co_await mcp_endpoint->drain(kStreamDrain))
    spdlog::warn("{} MCP streams still open after shutdown", mcp_endpoint->open_streams());
  co_await hub->stop();
  if (graph->chat) {
    co_await graph->chat->stop();
  }
  co_await graph->notifier->stop();
  co_await pipeline().stop(options.pipeline_grace);
  co_await pool().shutdown();
  deadline.cancel();
  spdlog::info("stork stopped");
  spdlog::default_logger()->flush();
  io.stop();
}

void App::Impl::request_stop() {
  if (stopping.exchange(true)) return;
  asio::co_spawn(io, shut_down(), [this](const std::exception_ptr& error) {
    if (!error) return;
    spdlog::error("shutdown failed: {}", describe(error));
    exit_code = 1;
    io.stop();
  });
}

int App::run(std::function<void()> on_ready) {
  Impl& impl = *impl_;
  auto work = asio::make_work_guard(impl.io);
  asio::signal_set signals(impl.io, SIGINT, SIGTERM);
  std::function<void(boost::system::error_code, int)> on_signal =
      [&](boost::system::error_code error, int signal) {
        if (error) return;
        if (impl.stopping) {
          spdlog::warn("signal {}: already stopping", signal);
        } else {
          spdlog::info("signal {}: stopping", signal);
        }
        impl.request_stop();
        signals.async_wait(on_signal);
      };
  signals.async_wait(on_signal);

  // Held until start-up has ended, successfully or not: a stop request waits for it.
  auto starting = std::make_shared<WaitGroup::Token>(impl.startup.add());
  asio::co_spawn(impl.io, impl.start_up(std::move(on_ready)),
                 [&impl, starting](const std::exception_ptr& error) {
                   starting->release();
                   if (!error) return;
                   spdlog::error("start-up failed: {}", describe(error));
                   impl.exit_code = 1;
                   impl.request_stop();
                 });

  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < impl.options.io_threads; ++i)
    threads.emplace_back([&impl] { impl.io.run(); });
  impl.io.run();
  for (auto& thread : threads)
    thread.join();
  return impl.exit_code;
}

}  // namespace stork::app
