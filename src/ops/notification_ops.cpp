#include "ops/notification_ops.hpp"

#include "notify/delivery.hpp"
#include "notify/message.hpp"

namespace stork::ops {
namespace asio = boost::asio;

namespace {

OpError no_notifier() {
  return OpError(OpError::Kind::Failed, "notifications are not running in this process");
}

}  // namespace

asio::awaitable<OpResult<notify::NotificationPage>> list_notifications(const OpsServices& services,
                                                                       std::int64_t limit,
                                                                       bool unread_only) {
  if (limit < 1 || limit > static_cast<std::int64_t>(kMaxNotificationPage)) {
    co_return fail(invalid_input("limit", "limit must be between 1 and " +
                                              std::to_string(kMaxNotificationPage) + ", got " +
                                              std::to_string(limit)));
  }
  if (services.notifier == nullptr) co_return fail(no_notifier());
  auto listing = services.notifier->list(static_cast<std::size_t>(limit), unread_only);
  auto page = co_await std::move(listing);
  if (!page.ok()) co_return fail(OpError(OpError::Kind::Failed, page.error()));
  co_return std::move(page.value());
}

asio::awaitable<OpResult<ReadMarks>> mark_notifications_read(const OpsServices& services,
                                                             std::vector<std::int64_t> ids) {
  for (auto id : ids) {
    if (id < 1) {
      co_return fail(invalid_input(
          "ids", "notification ids are positive integers, got " + std::to_string(id)));
    }
  }
  if (services.notifier == nullptr) co_return fail(no_notifier());
  auto marking = services.notifier->mark_read(std::move(ids));
  auto marked = co_await std::move(marking);
  if (!marked.ok()) co_return fail(OpError(OpError::Kind::Failed, marked.error()));
  auto counting = services.notifier->list(1, true);
  auto page = co_await std::move(counting);
  if (!page.ok()) co_return fail(OpError(OpError::Kind::Failed, page.error()));
  co_return ReadMarks{marked.value(), page.value().unread};
}

std::vector<ChannelTestResult> send_test_notifications(const ProjectConfig& config,
                                                       std::int64_t now_ms) {
  std::vector<ChannelTestResult> results;
  for (const auto& channel : config.notify) {
    state::NotificationRecord record;
    record.key = "test:" + channel.name + ":" + std::to_string(now_ms);
    record.time_ms = now_ms;
    record.event = "test";
    record.title = "stork test notification";
    record.detail = "Channel '" + channel.name + "' (" + channel.kind + ") works.";
    record.link = notify::item_link(config.server.public_url.value_or(""), "");
    const auto delivered = notify::deliver(channel, record, now_ms);
    results.push_back(ChannelTestResult{channel.name, channel.kind, delivered.ok, delivered.status,
                                        delivered.error});
  }
  return results;
}

}  // namespace stork::ops
