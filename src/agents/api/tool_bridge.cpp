#include "agents/api/tool_bridge.hpp"

#include <atomic>
#include <functional>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace stork::agents::api {
namespace asio = boost::asio;
namespace json = boost::json;
namespace {

constexpr std::size_t kMaxToolResultBytes = std::size_t{100} * 1024;

ToolCallResult stopped() {
  return {"stopped", true};
}

}  // namespace

// One call's answer: the host's or cancel()'s, whichever comes first (the atomic decides; the
// loser does nothing). `resume` is set before the host is called and used by the winner only.
struct ToolBridge::Pending {
  std::atomic<bool> answered{false};
  std::function<void(ToolCallResult)> resume;

  void answer(ToolCallResult result) {
    if (answered.exchange(true)) return;
    auto resume_now = std::move(resume);  // also ends the cycle through the waiting frame
    resume_now(std::move(result));
  }
};

std::vector<ToolSpec> ToolBridge::tools() const {
  return host_ ? host_->list_tools() : std::vector<ToolSpec>{};
}

void ToolBridge::cancel() {
  cancelled_ = true;
  if (auto pending = std::move(pending_)) pending->answer(stopped());
}

asio::awaitable<ToolCallResult> ToolBridge::call(const ToolCallRequest& request) {
  if (cancelled_) co_return stopped();
  boost::system::error_code ec;
  auto arguments = json::parse(request.arguments, ec);
  if (ec || !arguments.is_object()) {
    co_return ToolCallResult{
        "The arguments of " + request.name + " are not a JSON object (" +
            (ec ? ec.message() : std::string("got ") + json::serialize(arguments)) +
            "). Call it again with a JSON object that matches its parameters.",
        true};
  }
  if (!host_) {
    co_return ToolCallResult{"No tools are available in this run (stork has no tool host).", true};
  }
  // Named before the co_await: GCC 12 mishandles temporaries that span a suspension.
  auto asking = ask_host(request);
  ToolCallResult result = co_await std::move(asking);
  if (result.text.size() > kMaxToolResultBytes) {
    result.text.resize(kMaxToolResultBytes);
    result.text += "\n[stork: the result was cut at 100 KB]";
  }
  co_return result;
}

asio::awaitable<ToolCallResult> ToolBridge::ask_host(const ToolCallRequest& request) {
  auto pending = std::make_shared<Pending>();
  pending_ = pending;
  auto initiate = [this, pending, &request](auto handler) {
    auto shared = std::make_shared<decltype(handler)>(std::move(handler));
    pending->resume = [shared](ToolCallResult result) {
      auto resume_on = asio::get_associated_executor(*shared);
      asio::post(resume_on, [shared, result = std::move(result)]() mutable {
        std::move (*shared)(std::move(result));
      });
    };
    host_->call(request.name, request.arguments, caller_,
                [pending](ToolCallResult result) { pending->answer(std::move(result)); });
  };
  auto answer = asio::async_initiate<const asio::use_awaitable_t<>&, void(ToolCallResult)>(
      initiate, asio::use_awaitable);
  ToolCallResult result = co_await std::move(answer);
  if (pending_ == pending) pending_.reset();
  co_return result;
}

}  // namespace stork::agents::api
