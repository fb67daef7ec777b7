// MatrixBot's loop: log in, /sync from the stored `since`, hand each batch to the room
// handlers, store the new `since`; waits for rate limits and backs off on errors; ends at stop.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include "base/strand_call.hpp"
#include "chat/matrix_bot_impl.hpp"
#include "engine/pipeline.hpp"

namespace stork::chat {
namespace asio = boost::asio;
namespace json = boost::json;
using notify::MatrixError;
using notify::MatrixRequest;

std::chrono::milliseconds backoff_delay(int failures, std::chrono::milliseconds base,
                                        std::chrono::milliseconds cap) {
  auto delay = base;
  for (int i = 1; i < failures && delay < cap; ++i)
    delay *= 2;
  return std::min(delay, cap);
}

MatrixBot::Impl::Impl(const asio::any_io_executor& executor, MatrixBotOptions options_in)
    : strand(asio::make_strand(executor)), options(std::move(options_in)), timer(strand) {}

MatrixBot::MatrixBot(const asio::any_io_executor& executor, MatrixBotOptions options)
    : impl_(std::make_shared<Impl>(executor, std::move(options))) {}

MatrixBot::~MatrixBot() = default;

namespace {

std::string sync_key(const MatrixChatConfig& config) {
  return "matrix:" + config.user_id + ":since";
}
std::string token_key(const MatrixChatConfig& config) {
  return "matrix:" + config.user_id + ":access_token";
}

}  // namespace

asio::awaitable<MatrixAnswer> MatrixBot::Impl::call(MatrixRequest request) {
  auto work = [server = options.config.homeserver, token = token, request = std::move(request),
               flag = &cancel] { return notify::matrix_call(server, token, request, *flag); };
  auto answer = co_await offload(options.workers, work);
  co_return answer;
}

std::chrono::milliseconds MatrixBot::Impl::delay_after(const MatrixError& error) {
  if (error.errcode == "M_LIMIT_EXCEEDED" || error.status == 429) {
    if (error.retry_after_ms)
      return std::chrono::milliseconds(std::clamp<std::int64_t>(*error.retry_after_ms, 0, 3600000));
  }
  failures += 1;
  return backoff_delay(failures, options.backoff_base, options.backoff_cap);
}

asio::awaitable<void> MatrixBot::Impl::wait(std::chrono::milliseconds delay) {
  if (stopping) co_return;
  timer.expires_after(delay);
  boost::system::error_code ignored;
  co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
}

asio::awaitable<MatrixAnswer> MatrixBot::Impl::call_until_done(MatrixRequest request) {
  for (;;) {
    auto answer = co_await call(request);
    if (answer.ok()) {
      failures = 0;
      co_return answer;
    }
    const auto& error = answer.error();
    const bool retry = error.kind == MatrixError::Kind::Network || error.status == 429 ||
                       error.errcode == "M_LIMIT_EXCEEDED" || error.status >= 500;
    if (!retry || stopping) co_return answer;
    const auto delay = delay_after(error);
    spdlog::warn("matrix: {} {} failed ({}); again in {} ms", request.method, request.path,
                 error.message(), delay.count());
    co_await wait(delay);
    if (stopping) co_return answer;
  }
}

asio::awaitable<bool> MatrixBot::Impl::log_in() {
  const auto& config = options.config;
  if (config.access_token_env) {
    const char* value = std::getenv(config.access_token_env->c_str());
    token = value == nullptr ? "" : value;
    if (token.empty()) spdlog::error("matrix: {} is not set", *config.access_token_env);
    co_return !token.empty();
  }
  auto read = [key = token_key(config)](ChatStore& db) { return db.value(key); };
  auto stored = co_await on_store(read);
  if (stored.ok() && stored.value() && !stored.value()->empty()) {
    token = *stored.value();
    co_return true;
  }
  const char* password = config.password_env ? std::getenv(config.password_env->c_str()) : nullptr;
  if (password == nullptr) {
    spdlog::error("matrix: the password variable {} is not set", config.password_env.value_or(""));
    co_return false;
  }
  token.clear();
  MatrixRequest request{"POST", "/_matrix/client/v3/login",
                        password_login_body(config.user_id, password)};
  auto answer = co_await call_until_done(request);
  if (!answer.ok()) {
    spdlog::error("matrix: login as {} failed (the password in {}): {}", config.user_id,
                  *config.password_env, answer.error().message());
    co_return false;
  }
  const auto* got =
      answer.value().is_object() ? answer.value().as_object().if_contains("access_token") : nullptr;
  if (got == nullptr || !got->is_string()) co_return false;
  token = std::string(got->as_string());
  auto save = [key = token_key(config), value = token](ChatStore& db) {
    return db.set_value(key, value);
  };
  auto saved = co_await on_store(save);
  if (!saved.ok()) spdlog::warn("matrix: cannot store the access token: {}", saved.error());
  co_return true;
}

asio::awaitable<void> MatrixBot::Impl::run() {
  auto open = [root = options.project_root] { return ChatStore::open(root); };
  auto opened = co_await offload(options.workers, open);
  if (!opened.ok()) {
    spdlog::error("matrix: cannot open the state database: {}", opened.error());
    co_return;
  }
  store = std::move(opened.value());
  auto list_ambient = [](ChatStore& db) { return db.ambient_rooms(); };
  auto rooms = co_await on_store(list_ambient);
  if (rooms.ok()) ambient_rooms.insert(rooms.value().begin(), rooms.value().end());
  auto read = [key = sync_key(options.config)](ChatStore& db) { return db.value(key); };
  auto since = co_await on_store(read);
  std::optional<std::string> position = since.ok() ? since.value() : std::nullopt;
  while (!stopping) {
    if (token.empty() && !co_await log_in()) {
      failures += 1;
      co_await wait(backoff_delay(failures, options.backoff_base, options.backoff_cap));
      continue;
    }
    // The first sync ever does not wait: it only learns where "now" is.
    const int timeout_ms = position ? options.config.sync_timeout_secs * 1000 : 0;
    MatrixRequest request{"GET", sync_path(position, timeout_ms), "",
                          std::chrono::milliseconds(timeout_ms + 15000)};
    auto answer = co_await call(request);
    if (stopping) break;
    if (!answer.ok()) {
      const auto& error = answer.error();
      if (error.errcode == "M_UNKNOWN_TOKEN" && options.config.password_env) {
        token.clear();
        auto forget = [key = token_key(options.config)](ChatStore& db) {
          return db.set_value(key, "");
        };
        (void)co_await on_store(forget);
      }
      const auto delay = delay_after(error);
      spdlog::warn("matrix: sync failed ({}); again in {} ms", error.message(), delay.count());
      co_await wait(delay);
      continue;
    }
    failures = 0;
    auto batch = parse_sync(answer.value(), options.config.user_id);
    if (!batch.ok()) {
      spdlog::warn("matrix: {}", batch.error());
      co_await wait(backoff_delay(1, options.backoff_base, options.backoff_cap));
      continue;
    }
    co_await handle_batch(batch.value(), !position);
    position = batch.value().next_batch;
    auto save = [key = sync_key(options.config), value = *position](ChatStore& db) {
      return db.set_value(key, value);
    };
    auto saved = co_await on_store(save);
    if (!saved.ok()) spdlog::error("matrix: cannot store the sync position: {}", saved.error());
  }
}

asio::awaitable<void> MatrixBot::start() {
  auto impl = impl_;
  impl->loop_token = impl->running.add();
  if (impl->options.pipeline != nullptr) {
    engine::PipelineListener listener =
        [weak = std::weak_ptr<Impl>(impl)](const engine::PipelineEvent& event) {
          auto self = weak.lock();
          if (!self || event.story.empty()) return;
          asio::co_spawn(self->strand, self->post_ambient(event.seq, event.story, event.type),
                         asio::detached);
        };
    auto subscribing = impl->options.pipeline->subscribe(listener);
    impl->pipeline_listener = co_await std::move(subscribing);
  }
  asio::co_spawn(impl->strand, impl->run(), [impl](const std::exception_ptr& error) {
    if (error) spdlog::error("matrix: the bot stopped on an exception");
    impl->loop_token.release();
  });
  spdlog::info("matrix: bot {} started on {}", impl->options.config.user_id,
               impl->options.config.homeserver);
}

asio::awaitable<void> MatrixBot::post_notice(ChatReply notice, std::string key) {
  auto impl = impl_;
  auto posting = asio::co_spawn(impl->strand, impl->post_notice(std::move(notice), std::move(key)),
                                asio::use_awaitable);
  co_await std::move(posting);
}

asio::awaitable<void> MatrixBot::stop() {
  auto impl = impl_;
  auto halt = [impl](const std::function<void()>& done) {
    impl->stopping = true;
    impl->cancel = true;
    impl->timer.cancel();
    done();
  };
  co_await call_on_void(impl->strand, halt);
  if (impl->options.pipeline != nullptr && impl->pipeline_listener != 0) {
    co_await impl->options.pipeline->unsubscribe(impl->pipeline_listener);
  }
  co_await impl->running.wait();
}

}  // namespace stork::chat
