// A notification as JSON, alike in GET /api/notifications and the /ws hub's `notification`
// messages (docs/api.md).
#pragma once

#include <string>

#include <boost/json/object.hpp>

#include "state/notification_store.hpp"

namespace stork::api {

boost::json::object notification_json(const state::NotificationRecord& record);
// {"type":"notification","notification":{...}}: the /ws message.
std::string notification_message(const state::NotificationRecord& record);

}  // namespace stork::api
