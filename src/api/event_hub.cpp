// EventHub's state machine, on one strand: clients, their subscriptions, replays and live
// delivery. Each subscription's order (replay first, live events held meanwhile, no gap, no
// duplicate) is its ReplayGate's job; this file reads the replay and routes the events.
#include "api/event_hub.hpp"

#include <atomic>
#include <map>
#include <optional>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <spdlog/spdlog.h>

#include "agents/agent_pool.hpp"
#include "api/api_context.hpp"
#include "api/event_hub_client.hpp"
#include "api/event_json.hpp"
#include "api/replay_gate.hpp"
#include "api/run_events.hpp"
#include "api/ws_protocol.hpp"
#include "engine/pipeline.hpp"
#include "http/metrics.hpp"

namespace stork::api {
namespace asio = boost::asio;
using hub_detail::Client;
using hub_detail::Subscription;

class EventHub::Impl : public std::enable_shared_from_this<EventHub::Impl> {
 public:
  Impl(const asio::any_io_executor& executor, ApiServices services, std::size_t replay_page)
      : strand(asio::make_strand(executor)),
        context(std::make_shared<ApiContext>(std::move(services))),
        page(replay_page == 0 ? 1 : replay_page) {}

  asio::strand<asio::any_io_executor> strand;
  std::shared_ptr<ApiContext> context;
  const std::size_t page;
  std::atomic<std::size_t> connected{0};
  http::Counter* resyncs = nullptr;
  std::uint64_t pipeline_listener = 0;
  std::uint64_t pool_listener = 0;
  std::atomic<bool> stopped{false};  // stop() was called: nothing more is sent

  // ---- on the strand ----
  void open(std::shared_ptr<http::WsClient> socket) {
    const auto id = socket->id();
    clients_[id].socket = std::move(socket);
  }

  void close(std::uint64_t id) { clients_.erase(id); }

  void overflow(std::uint64_t id) {
    auto found = clients_.find(id);
    if (found == clients_.end()) return;
    auto& client = found->second;
    // Whatever was queued is gone: the subscriptions cannot continue without a gap. The client
    // subscribes again with the last seq it saw and gets the rest replayed.
    client.pipeline.reset();
    client.runs.clear();
    client.agents = false;
    if (resyncs != nullptr) resyncs->inc();
    client.socket->resync();
    client.socket->send(resync_message(
        "send queue overflow: events were dropped and every subscription ended; subscribe again "
        "with after_seq set to the last seq you received"));
  }

  void message(std::uint64_t id, const std::string& text) {
    auto found = clients_.find(id);
    if (found == clients_.end() || stopped) return;
    auto request = parse_client_message(text);
    if (!request.ok()) {
      found->second.socket->send(error_message(request.error()));
      return;
    }
    if (request.value().agents) {
      const bool subscribe = request.value().kind == ClientRequest::Kind::Subscribe;
      found->second.agents = subscribe;
      found->second.socket->send(subscribe ? agents_subscribed_message()
                                           : agents_unsubscribed_message());
    } else if (request.value().kind == ClientRequest::Kind::Unsubscribe) {
      unsubscribe(found->second, request.value().run);
    } else {
      subscribe(id, found->second, request.value());
    }
  }

  void deliver_pipeline(const engine::PipelineEvent& event) {
    if (stopped) return;
    std::optional<std::string> message;
    for (auto& [id, client] : clients_) {
      if (!client.pipeline) continue;
      if (!message) message = pipeline_event_message(event);
      offer(client, *client.pipeline, event.seq, *message);
    }
  }

  void broadcast(const std::string& message) {  // to clients following the pipeline or agents
    for (auto& [id, client] : clients_)
      if (!stopped && (client.pipeline || client.agents)) client.socket->send(message);
  }
  void deliver_runs(const std::vector<agents::AgentEvent>& events) {
    if (stopped) return;
    for (const auto& event : events) {
      std::optional<std::string> message;
      for (auto& [id, client] : clients_) {
        auto subscription = client.runs.find(event.run_id);
        if (subscription == client.runs.end()) continue;
        if (!message) message = run_event_message(event);
        offer(client, subscription->second, event.seq, *message);
      }
      note_agent_status(event);
    }
  }

 private:
  // The agents stream: a run's `status` events, with the model its `session` event named.
  void note_agent_status(const agents::AgentEvent& event) {
    if (event.type == agents::event_type::kSession) {
      const auto payload = payload_value(event.payload);
      const auto* fields = payload.if_object();
      const auto* model = fields != nullptr ? fields->if_contains("model") : nullptr;
      if (model != nullptr && model->is_string())
        run_models_[event.run_id] = std::string(model->as_string());
      return;
    }
    // Permission questions and answers too: the board's panel hears every run's here.
    const bool permission = event.type == agents::event_type::kPermissionRequest ||
                            event.type == agents::event_type::kPermissionDecision;
    if (event.type != agents::event_type::kStatus && !permission) return;
    std::optional<std::string> message;
    for (auto& [id, client] : clients_) {
      if (!client.agents) continue;
      if (!message && permission) message = permission_message(event);
      if (!message) {
        auto model = run_models_.find(event.run_id);
        message =
            agent_status_message(event, model == run_models_.end() ? nullptr : &model->second);
      }
      client.socket->send(*message);
    }
  }

  static void offer(Client& client, Subscription& subscription, std::int64_t seq,
                    const std::string& message) {
    if (subscription.gate.pass_live(seq, message)) client.socket->send(message);
  }

  void unsubscribe(Client& client, std::optional<std::int64_t> run) {
    if (run) {
      client.runs.erase(*run);
    } else {
      client.pipeline.reset();
    }
    client.socket->send(unsubscribed_message(run));
  }

  void subscribe(std::uint64_t id, Client& client, const ClientRequest& request) {
    Subscription subscription{next_generation_++, ReplayGate(request.after_seq)};
    const auto generation = subscription.generation;
    // Registered before the replay reads anything: every event emitted from now on is held,
    // and everything before is in what the replay reads.
    if (request.run) {
      client.runs.insert_or_assign(*request.run, std::move(subscription));
    } else {
      client.pipeline = std::move(subscription);
    }
    auto self = shared_from_this();
    if (!request.after_seq && !request.run) {
      client.socket->send(subscribed_message(request.run, std::nullopt));
      return;
    }
    if (!request.after_seq) {  // a run that does not exist is an error, replay or not
      asio::co_spawn(
          strand,
          [self, id, generation, run = *request.run]() -> asio::awaitable<void> {
            auto record = co_await read_run_record(*self->context, run);
            if (!record.ok()) co_return self->abandon(id, run, generation, record.error().message);
            if (self->find(id, run, generation) != nullptr)
              self->clients_.at(id).socket->send(subscribed_message(run, std::nullopt));
          },
          asio::detached);
      return;
    }
    const auto after = *request.after_seq;
    if (request.run) {
      const auto run = *request.run;
      asio::co_spawn(
          strand,
          [self, id, generation, run, after]() -> asio::awaitable<void> {
            co_await self->replay_run(id, generation, run, after);
          },
          asio::detached);
    } else {
      asio::co_spawn(
          strand,
          [self, id, generation, after]() -> asio::awaitable<void> {
            co_await self->replay_pipeline(id, generation, after);
          },
          asio::detached);
    }
  }

  // The subscription a replay works for, if it still stands (not unsubscribed, replaced,
  // dropped by an overflow, or its client gone).
  Subscription* find(std::uint64_t id, std::optional<std::int64_t> run, std::uint64_t generation) {
    auto found = clients_.find(id);
    if (found == clients_.end() || stopped) return nullptr;
    Subscription* subscription = nullptr;
    if (run) {
      auto it = found->second.runs.find(*run);
      if (it != found->second.runs.end()) subscription = &it->second;
    } else if (found->second.pipeline) {
      subscription = &*found->second.pipeline;
    }
    return subscription != nullptr && subscription->generation == generation ? subscription
                                                                             : nullptr;
  }

  void send_replayed(std::uint64_t id, Subscription& subscription, std::int64_t seq,
                     const std::string& message) {
    if (subscription.gate.pass_replayed(seq)) clients_.at(id).socket->send(message);
  }

  // The replay is complete: tell the client, then send the live events held meanwhile that
  // the replay did not cover.
  void finish_replay(std::uint64_t id, std::optional<std::int64_t> run,
                     Subscription& subscription) {
    auto& client = clients_.at(id);
    auto held = subscription.gate.finish_replay();
    client.socket->send(subscribed_message(run, subscription.gate.last_seq()));
    for (auto& message : held)
      client.socket->send(std::move(message));
  }

  void abandon(std::uint64_t id, std::optional<std::int64_t> run, std::uint64_t generation,
               const std::string& why) {
    if (find(id, run, generation) == nullptr) return;
    auto& client = clients_.at(id);
    if (run) {
      client.runs.erase(*run);
    } else {
      client.pipeline.reset();
    }
    client.socket->send(error_message(why));
  }

  asio::awaitable<void> replay_pipeline(std::uint64_t id, std::uint64_t generation,
                                        std::int64_t after) {
    const std::optional<std::int64_t> no_run;
    auto* pipeline = context->services().pipeline;
    std::int64_t cursor = after;
    for (;;) {
      const auto events = co_await pipeline->events_after(cursor, page);
      auto* subscription = find(id, no_run, generation);
      if (subscription == nullptr) co_return;
      for (const auto& event : events)
        send_replayed(id, *subscription, event.seq, pipeline_event_message(event));
      if (events.size() < page) break;
      cursor = events.back().seq;
    }
    if (auto* subscription = find(id, no_run, generation)) finish_replay(id, no_run, *subscription);
  }

  asio::awaitable<void> replay_run(std::uint64_t id, std::uint64_t generation, std::int64_t run,
                                   std::int64_t after) {
    const std::optional<std::int64_t> target = run;
    auto* api = context.get();
    auto record = co_await read_run_record(*context, run);
    if (!record.ok()) {
      abandon(id, target, generation, record.error().message);
      co_return;
    }
    const std::string story = record.value().story;
    const std::string agent = record.value().agent;
    co_await flush_pool_events(*context->services().pool, story, agent);
    std::int64_t cursor = after;
    const std::size_t count = page;
    for (;;) {
      auto read_page = [api, run, cursor, count] {
        return api->with_state(
            [&](state::StateStore& store) -> ApiResult<std::vector<state::EventRecord>> {
              auto events = store.events_after(run, cursor, count);
              if (!events.ok()) return fail(ApiContext::state_error(events.error()));
              return std::move(events.value());
            });
      };
      auto events = co_await context->offload(read_page);
      if (!events.ok()) {
        abandon(id, target, generation, events.error().message);
        co_return;
      }
      auto* subscription = find(id, target, generation);
      if (subscription == nullptr) co_return;
      for (const auto& event : events.value()) {
        const agents::AgentEvent live{run,   event.seq,  event.time_ms, story,
                                      agent, event.type, event.payload};
        send_replayed(id, *subscription, event.seq, run_event_message(live));
      }
      if (events.value().size() < count) break;
      cursor = events.value().back().seq;
    }
    if (auto* subscription = find(id, target, generation)) finish_replay(id, target, *subscription);
  }

  std::map<std::uint64_t, Client> clients_;
  std::map<std::int64_t, std::string> run_models_;  // run id → model, from `session` events
  std::uint64_t next_generation_ = 1;
};

std::shared_ptr<EventHub> EventHub::create(const asio::any_io_executor& executor,
                                           ApiServices services, std::size_t replay_page) {
  auto metrics = services.metrics;
  auto impl = std::make_shared<Impl>(executor, std::move(services), replay_page);
  if (metrics) {
    std::weak_ptr<Impl> weak = impl;
    metrics->gauge_callback("stork_ws_clients", "WebSocket clients connected to /ws", [weak] {
      auto self = weak.lock();
      return self ? static_cast<double>(self->connected.load()) : 0.0;
    });
    impl->resyncs = &metrics->counter("stork_ws_resyncs_total",
                                      "WebSocket clients told to resync after a queue overflow");
  }
  return std::shared_ptr<EventHub>(new EventHub(std::move(impl)));
}

EventHub::EventHub(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
EventHub::~EventHub() = default;

asio::awaitable<void> EventHub::start() {
  std::weak_ptr<Impl> weak = impl_;
  engine::PipelineListener on_pipeline = [weak](const engine::PipelineEvent& event) {
    auto self = weak.lock();
    if (!self || self->connected.load() == 0) return;  // nobody to tell, nobody subscribing
    asio::post(self->strand, [self, event] { self->deliver_pipeline(event); });
  };
  agents::PoolListener on_runs = [weak](const std::vector<agents::AgentEvent>& events) {
    auto self = weak.lock();
    if (!self || self->connected.load() == 0) return;
    asio::post(self->strand, [self, events] { self->deliver_runs(events); });
  };
  impl_->pipeline_listener = co_await impl_->context->services().pipeline->subscribe(on_pipeline);
  impl_->pool_listener = co_await impl_->context->services().pool->subscribe(on_runs);
}

asio::awaitable<void> EventHub::stop() {
  impl_->stopped = true;
  const auto pipeline_listener = impl_->pipeline_listener;
  const auto pool_listener = impl_->pool_listener;
  co_await impl_->context->services().pipeline->unsubscribe(pipeline_listener);
  co_await impl_->context->services().pool->unsubscribe(pool_listener);
}

http::WsHandler EventHub::handler() {
  std::weak_ptr<Impl> weak = impl_;
  http::WsHandler handler;
  handler.on_open = [weak](const std::shared_ptr<http::WsClient>& client) {
    auto self = weak.lock();
    if (!self) return;
    ++self->connected;
    asio::post(self->strand, [self, client] { self->open(client); });
  };
  handler.on_message = [weak](const std::shared_ptr<http::WsClient>& client, std::string text) {
    auto self = weak.lock();
    if (!self) return;
    asio::post(self->strand,
               [self, id = client->id(), text = std::move(text)] { self->message(id, text); });
  };
  handler.on_overflow = [weak](const std::shared_ptr<http::WsClient>& client) {
    auto self = weak.lock();
    if (!self) return;
    spdlog::info("ws client {} overflowed its send queue; telling it to resync", client->id());
    asio::post(self->strand, [self, id = client->id()] { self->overflow(id); });
  };
  handler.on_close = [weak](const std::shared_ptr<http::WsClient>& client) {
    auto self = weak.lock();
    if (!self) return;
    --self->connected;
    asio::post(self->strand, [self, id = client->id()] { self->close(id); });
  };
  return handler;
}

void EventHub::broadcast(std::string message) {
  asio::post(impl_->strand, [self = impl_, text = std::move(message)] { self->broadcast(text); });
}
std::size_t EventHub::client_count() const {
  return impl_->connected.load();
}

}  // namespace stork::api
