// The REST route groups that add_rest_routes puts together, one file per resource
// (docs/api.md lists every route). Each handler is a thin coroutine: check the input, hand the
// work to the pipeline, the pool or the worker pool, render JSON.
#pragma once

#include <memory>

#include <boost/json/value.hpp>

#include "http/response.hpp"
#include "http/router.hpp"

namespace stork::api {

class ApiContext;
using ContextPtr = std::shared_ptr<ApiContext>;

void add_pipeline_routes(http::Router& router, const ContextPtr& context);     // GET /api/pipeline
void add_item_routes(http::Router& router, const ContextPtr& context);         // /api/items[/{id}]
void add_item_action_routes(http::Router& router, const ContextPtr& context);  // move, qa, ...
void add_diff_routes(http::Router& router, const ContextPtr& context);   // /api/items/{id}/diff
void add_gate_routes(http::Router& router, const ContextPtr& context);   // /api/items/{id}/gate
void add_agent_routes(http::Router& router, const ContextPtr& context);  // /api/agents...
void add_run_routes(http::Router& router, const ContextPtr& context);    // /api/runs...
void add_merge_routes(http::Router& router, const ContextPtr& context);  // GET /api/merge
void add_event_routes(http::Router& router, const ContextPtr& context);  // GET /api/events
void add_usage_routes(http::Router& router, const ContextPtr& context);  // GET /api/usage
void add_notification_routes(http::Router& router, const ContextPtr& context);  // notifications
void add_permission_routes(http::Router& router, const ContextPtr& context);    // /api/permissions
void add_wizard_routes(http::Router& router, const ContextPtr& context);        // /api/wizard...
void add_message_routes(http::Router& router,
                        const ContextPtr& context);                     // /api/runs/{run}/messages
void add_chat_routes(http::Router& router, const ContextPtr& context);  // /api/chat[/{id}]

http::Response json_response(unsigned status, const boost::json::value& body);

}  // namespace stork::api
