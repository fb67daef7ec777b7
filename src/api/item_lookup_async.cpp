#include "api/item_lookup_async.hpp"

#include "api/api_context.hpp"
#include "api/item_json.hpp"
#include "api/story_lookup.hpp"

namespace stork::api {
namespace asio = boost::asio;

asio::awaitable<ApiResult<std::string>> resolve_story(const ContextPtr& context,
                                                      const std::string& text) {
  const auto root = context->services().project_root;
  auto locate = [root, text]() -> ApiResult<std::string> {
    auto entry = locate_story(root, text);
    if (!entry.ok()) return fail(entry.error());
    return entry.value().id.str();
  };
  auto id = co_await context->offload(locate);
  co_return id;
}

asio::awaitable<http::Response> item_response(const ContextPtr& context, const std::string& story,
                                              unsigned status) {
  const auto root = context->services().project_root;
  auto load = [root, story] { return load_story(root, story); };
  auto item = co_await context->offload(load);
  if (!item.ok()) co_return to_response(item.error());
  co_return json_response(status, item_detail_json(item.value(), root));
}

}  // namespace stork::api
