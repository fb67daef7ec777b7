#include "api/item_lookup_async.hpp"

#include "api/api_context.hpp"
#include "ops/item_ops.hpp"

namespace stork::api {
namespace asio = boost::asio;

asio::awaitable<ApiResult<std::string>> resolve_story(const ContextPtr& context,
                                                      const std::string& text) {
  auto id = co_await context->services().items->resolve(text);
  if (!id.ok()) co_return fail(from_op(id.error()));
  co_return std::move(id.value());
}

}  // namespace stork::api
