// The `matrix` notification channel: one m.notice per notification in each room of
// [chat.matrix] `rooms`, with the board link, sent with the bot's access token (from
// `access_token_env`; the loader copies these into the channel's url, to and user_env). The content
// carries the notification's key
// (`dev.stork.notification`), so the bot can tell which permission request a reply answers,
// and the transaction id is derived from the key, so a retried delivery is not posted twice.
// Blocking: run it on the shared worker pool, like every delivery.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include <boost/json/object.hpp>

#include "config/project_config.hpp"
#include "notify/delivery.hpp"
#include "state/notification_store.hpp"

namespace stork::notify {

// The m.room.message content of a notification.
boost::json::object matrix_notification_content(const state::NotificationRecord& record);

DeliveryResult deliver_matrix(const NotifyChannelConfig& channel,
                              const state::NotificationRecord& record,
                              std::chrono::milliseconds timeout);

}  // namespace stork::notify
