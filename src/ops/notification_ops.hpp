// The notification operations every surface shares: the board's list and its "read" marks
// (through the running Notifier), and `stork notify test`, which sends a test message to every
// channel of project.toml directly, without a server or the outbox, and reports each result.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "config/project_config.hpp"
#include "notify/notifier.hpp"
#include "ops/op_error.hpp"
#include "ops/ops_services.hpp"

namespace stork::ops {

inline constexpr std::size_t kMaxNotificationPage = 500;

// Newest first; `limit` 1..kMaxNotificationPage (InvalidInput, field "limit").
boost::asio::awaitable<OpResult<notify::NotificationPage>> list_notifications(
    const OpsServices& services, std::int64_t limit, bool unread_only);

struct ReadMarks {
  std::int64_t marked = 0;  // notifications that changed from unread to read
  std::int64_t unread = 0;  // unread ones left
};
// `ids` empty: every unread notification. Ids must be positive (InvalidInput, field "ids").
boost::asio::awaitable<OpResult<ReadMarks>> mark_notifications_read(const OpsServices& services,
                                                                    std::vector<std::int64_t> ids);

struct ChannelTestResult {
  std::string channel;
  std::string kind;
  bool ok = false;
  long status = 0;
  std::string error;
};

// Blocking (one delivery after the other): for the CLI, or offloaded work.
std::vector<ChannelTestResult> send_test_notifications(const ProjectConfig& config,
                                                       std::int64_t now_ms);

}  // namespace stork::ops
