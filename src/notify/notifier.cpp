#include "notify/notifier.hpp"

#include <algorithm>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "agents/agent_pool.hpp"
#include "base/strand_call.hpp"
#include "engine/event_log.hpp"
#include "engine/pipeline.hpp"
#include "notify/message.hpp"
#include "notify/notifier_impl.hpp"

namespace stork::notify {
namespace asio = boost::asio;

namespace {
constexpr std::string_view kPipelineCursor = "pipeline";
constexpr std::size_t kCatchUpPage = 500;
}  // namespace

Notifier::Impl::Impl(const asio::any_io_executor& executor, NotifierOptions options_in,
                     std::unique_ptr<state::NotificationStore> store_in)
    : strand(asio::make_strand(executor)),
      options(std::move(options_in)),
      store(std::move(store_in)),
      send_timer(strand),
      digest_timer(strand) {}

void Notifier::Impl::record(const NotificationEvent& event,
                            std::optional<std::int64_t> pipeline_seq) {
  const auto cfg = config();
  std::vector<std::string> channels;
  for (const auto& channel : cfg->notify) {
    if (std::find(channel.events.begin(), channel.events.end(), event.event) !=
        channel.events.end())
      channels.push_back(channel.name);
  }
  // `done` is off by default: it is kept (for the board too) only when a channel asks for it.
  const bool wanted = event.event != "done" || !channels.empty();
  std::optional<std::pair<std::string, std::int64_t>> cursor;
  if (pipeline_seq) cursor.emplace(std::string(kPipelineCursor), *pipeline_seq);
  if (!wanted) {
    if (cursor) (void)store->set_cursor(cursor->first, cursor->second);
    return;
  }
  const std::int64_t now = engine::now_ms();
  const std::string base = cfg->server.public_url.value_or(options.fallback_url);
  state::NotificationRecord row{0,
                                event.key,
                                event.time_ms != 0 ? event.time_ms : now,
                                event.event,
                                event.story,
                                event.title,
                                event.detail,
                                item_link(base, event.story),
                                std::nullopt};
  auto added = store->add(std::move(row), channels, now, cursor);
  if (!added.ok()) {
    spdlog::error("notifications: cannot record {} ({}): {}", event.event, event.key,
                  added.error().message);
    return;
  }
  if (!added.value()) return;  // seen before: its deliveries are queued already
  spdlog::info("notification {}: {} ({} channel(s))", event.event, event.title, channels.size());
  for (const auto& [id, listener] : listeners)
    listener(*added.value());
  if (!channels.empty()) wake();
}

void Notifier::Impl::on_pipeline_event(const engine::PipelineEvent& event) {
  if (auto notification = from_pipeline_event(event)) record(*notification, event.seq);
}

asio::awaitable<void> Notifier::Impl::catch_up(engine::Pipeline& source) {
  auto cursor = store->cursor(kPipelineCursor);
  if (!cursor.ok()) {
    spdlog::error("notifications: {}", cursor.error().message);
    co_return;
  }
  if (!cursor.value()) {  // first start: history is not news
    auto last = store->last_pipeline_seq();
    if (last.ok()) (void)store->set_cursor(kPipelineCursor, last.value());
    co_return;
  }
  std::int64_t seq = *cursor.value();
  for (;;) {
    const auto events = co_await source.events_after(seq, kCatchUpPage);
    for (const auto& event : events) {
      on_pipeline_event(event);
      seq = event.seq;
    }
    if (events.size() < kCatchUpPage) break;
  }
  (void)store->set_cursor(kPipelineCursor, seq);
}

Result<std::unique_ptr<Notifier>, std::string> Notifier::open(const asio::any_io_executor& executor,
                                                              NotifierOptions options) {
  auto store = state::NotificationStore::open(options.project_root);
  if (!store.ok()) return fail("notifications: " + store.error().message);
  auto impl = std::make_shared<Impl>(executor, std::move(options), std::move(store.value()));
  return std::unique_ptr<Notifier>(new Notifier(std::move(impl)));
}

Notifier::Notifier(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

// The loops hold the Impl: stop() ends them, or the io_context's destruction frees them.
Notifier::~Notifier() = default;

asio::awaitable<void> Notifier::start(engine::Pipeline& pipeline, agents::AgentPool& pool) {
  auto impl = impl_;
  engine::PipelineListener on_pipeline = [impl](const engine::PipelineEvent& event) {
    asio::post(impl->strand, [impl, event] { impl->on_pipeline_event(event); });
  };
  // Listening before reading the journal: an event in both is recorded once (its key).
  auto subscribing = pipeline.subscribe(on_pipeline);
  const auto pipeline_listener = co_await std::move(subscribing);
  agents::PoolListener on_runs = [impl](const std::vector<agents::AgentEvent>& events) {
    const bool rate_limits = impl->config()->rate_limit_notifications;
    for (const auto& event : events) {
      if (auto notification = from_agent_event(event, rate_limits)) {
        asio::post(impl->strand, [impl, n = std::move(*notification)] { impl->record(n, {}); });
      }
    }
  };
  auto listening = pool.subscribe(on_runs);
  const auto pool_listener = co_await std::move(listening);
  std::function<asio::awaitable<void>()> begin = [impl, &pipeline, &pool, pipeline_listener,
                                                  pool_listener]() -> asio::awaitable<void> {
    impl->pipeline = &pipeline;
    impl->pool = &pool;
    impl->pipeline_listener = pipeline_listener;
    impl->pool_listener = pool_listener;
    co_await impl->catch_up(pipeline);
  };
  co_await spawn_on_void(impl->strand, begin);
  co_await start_delivery();
}

asio::awaitable<void> Notifier::start_delivery() {
  auto impl = impl_;
  std::function<asio::awaitable<void>()> begin = [impl]() -> asio::awaitable<void> {
    if (std::exchange(impl->started, true)) co_return;
    asio::co_spawn(impl->strand, impl->send_loop(), asio::detached);
    asio::co_spawn(impl->strand, impl->digest_loop(), asio::detached);
  };
  co_await spawn_on_void(impl->strand, begin);
}

asio::awaitable<void> Notifier::stop() {
  auto impl = impl_;
  std::function<asio::awaitable<void>()> end = [impl]() -> asio::awaitable<void> {
    impl->stopping = true;
    impl->send_timer.cancel();
    impl->digest_timer.cancel();
    impl->listeners.clear();
    co_return;
  };
  co_await spawn_on_void(impl->strand, end);
  if (impl->pipeline != nullptr) {
    auto leaving = impl->pipeline->unsubscribe(impl->pipeline_listener);
    co_await std::move(leaving);
  }
  if (impl->pool != nullptr) {
    auto leaving = impl->pool->unsubscribe(impl->pool_listener);
    co_await std::move(leaving);
  }
}

void Notifier::notify(NotificationEvent event) {
  auto impl = impl_;
  asio::post(impl->strand, [impl, event = std::move(event)] {
    if (!impl->stopping) impl->record(event, {});
  });
}

asio::awaitable<Result<NotificationPage, std::string>> Notifier::list(std::size_t limit,
                                                                      bool unread_only) {
  auto impl = impl_;
  return call_on<Result<NotificationPage, std::string>>(
      impl->strand, [impl, limit, unread_only](Done<Result<NotificationPage, std::string>> done) {
        auto items = impl->store->list(limit, unread_only);
        auto unread = impl->store->unread_count();
        if (!items.ok()) return done(fail(items.error().message));
        if (!unread.ok()) return done(fail(unread.error().message));
        done(NotificationPage{std::move(items.value()), unread.value()});
      });
}

asio::awaitable<Result<std::int64_t, std::string>> Notifier::mark_read(
    std::vector<std::int64_t> ids) {
  auto impl = impl_;
  return call_on<Result<std::int64_t, std::string>>(
      impl->strand, [impl, ids = std::move(ids)](Done<Result<std::int64_t, std::string>> done) {
        auto changed = impl->store->mark_read(ids, engine::now_ms());
        if (!changed.ok()) return done(fail(changed.error().message));
        done(changed.value());
      });
}

asio::awaitable<std::uint64_t> Notifier::subscribe(NotificationListener listener) {
  auto impl = impl_;
  return call_on<std::uint64_t>(impl->strand,
                                [impl, listener = std::move(listener)](Done<std::uint64_t> done) {
                                  const auto id = impl->next_listener++;
                                  impl->listeners.emplace(id, listener);
                                  done(id);
                                });
}

asio::awaitable<void> Notifier::unsubscribe(std::uint64_t id) {
  auto impl = impl_;
  return call_on_void(impl->strand, [impl, id](const std::function<void()>& done) {
    impl->listeners.erase(id);
    done();
  });
}

}  // namespace stork::notify
