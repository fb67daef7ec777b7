// GET /api/notifications?limit=&unread=: the board's bell (newest first, with the unread count);
// POST /api/notifications/read {"ids":[...]} or {"all":true}: marks them read.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "api/api_context.hpp"
#include "api/json_body.hpp"
#include "api/notification_json.hpp"
#include "api/routes.hpp"
#include "ops/notification_ops.hpp"

namespace stork::api {
namespace json = boost::json;
namespace asio = boost::asio;

json::object notification_json(const state::NotificationRecord& record) {
  json::object out{{"id", record.id},         {"key", record.key},     {"time_ms", record.time_ms},
                   {"event", record.event},   {"story", record.story}, {"title", record.title},
                   {"detail", record.detail}, {"link", record.link},   {"read", false}};
  if (record.read_at_ms) {
    out["read"] = true;
    out["read_at_ms"] = *record.read_at_ms;
  }
  return out;
}

std::string notification_message(const state::NotificationRecord& record) {
  return json::serialize(
      json::object{{"type", "notification"}, {"notification", notification_json(record)}});
}

namespace {

asio::awaitable<http::Response> get_notifications(ContextPtr context, http::Request& request) {
  auto limit = integer_parameter(query_parameter(request, "limit"), "limit", 1,
                                 static_cast<std::int64_t>(ops::kMaxNotificationPage));
  if (!limit.ok()) co_return to_response(limit.error());
  bool unread_only = false;
  if (const auto* unread = query_parameter(request, "unread")) {
    if (*unread != "0" && *unread != "1" && *unread != "true" && *unread != "false") {
      co_return to_response(
          invalid_parameter("unread", "expected true or false, got '" + *unread + "'"));
    }
    unread_only = *unread == "1" || *unread == "true";
  }
  auto listing =
      ops::list_notifications(context->services(), limit.value().value_or(50), unread_only);
  auto page = co_await std::move(listing);
  if (!page.ok()) co_return op_failure(page.error());
  json::array items;
  for (const auto& record : page.value().items)
    items.push_back(notification_json(record));
  co_return json_response(
      200, json::object{{"notifications", std::move(items)}, {"unread", page.value().unread}});
}

ApiResult<std::vector<std::int64_t>> read_ids(const JsonBody& body) {
  if (auto known = body.only({"ids", "all"}); !known.ok()) return fail(known.error());
  auto all = body.boolean("all");
  if (!all.ok()) return fail(all.error());
  const bool every = all.value().value_or(false);
  const auto* ids = body.object().if_contains("ids");
  if (every == (ids != nullptr)) {
    return fail(invalid_field("ids", "give either \"ids\" (an array of ids) or \"all\": true"));
  }
  std::vector<std::int64_t> out;
  if (every) return out;
  if (!ids->is_array() || ids->as_array().empty())
    return fail(invalid_field("ids", "expected a non-empty array of notification ids"));
  for (const auto& id : ids->as_array()) {
    if (!id.is_int64() || id.as_int64() < 1)
      return fail(invalid_field("ids", "expected positive integers, got " + json::serialize(id)));
    out.push_back(id.as_int64());
  }
  return out;
}

asio::awaitable<http::Response> post_read(ContextPtr context, http::Request& request) {
  auto body = JsonBody::parse(request.body);
  if (!body.ok()) co_return to_response(body.error());
  auto ids = read_ids(body.value());
  if (!ids.ok()) co_return to_response(ids.error());
  auto marking = ops::mark_notifications_read(context->services(), std::move(ids.value()));
  auto marked = co_await std::move(marking);
  if (!marked.ok()) co_return op_failure(marked.error());
  co_return json_response(
      200, json::object{{"marked", marked.value().marked}, {"unread", marked.value().unread}});
}

}  // namespace

void add_notification_routes(http::Router& router, const ContextPtr& context) {
  router.add(
      "GET", "/api/notifications",
      [context](http::Request& request) { return get_notifications(context, request); },
      "notifications");
  router.add(
      "POST", "/api/notifications/read",
      [context](http::Request& request) { return post_read(context, request); },
      "notifications_read");
}

}  // namespace stork::api
