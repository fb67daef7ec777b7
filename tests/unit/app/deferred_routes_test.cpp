#include "app/deferred_routes.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "app_test_support.hpp"

namespace stork::app {
namespace {

using ::testing::HasSubstr;

http::Request request(std::string method, std::string path) {
  http::Request made;
  made.method = std::move(method);
  made.path = path;
  made.target = std::move(path);
  return made;
}

TEST(DeferredRoutes, Answers503UntilRoutesAreRegistered) {
  testing::IoThread io;
  DeferredRoutes routes;
  auto made = request("GET", "/api/pipeline");
  auto response = io.run(routes.dispatch(made));
  EXPECT_EQ(response.status, 503u);
  EXPECT_THAT(response.body, HasSubstr("\"starting\""));
}

TEST(DeferredRoutes, DispatchesWithPathParamsAndAnswers404And405LikeTheServer) {
  testing::IoThread io;
  DeferredRoutes routes;
  routes.router().add("GET", "/api/items/{id}",
                      [](http::Request& req) -> boost::asio::awaitable<http::Response> {
                        co_return http::Response::json(200, "\"" + req.path_params["id"] + "\"");
                      });
  auto item = request("GET", "/api/items/42_story_x");
  auto found = io.run(routes.dispatch(item));
  EXPECT_EQ(found.status, 200u);
  EXPECT_EQ(found.body, "\"42_story_x\"");

  auto head = request("HEAD", "/api/items/7");
  EXPECT_EQ(io.run(routes.dispatch(head)).status, 200u);

  auto missing = request("GET", "/api/nothing");
  auto not_found = io.run(routes.dispatch(missing));
  EXPECT_EQ(not_found.status, 404u);
  EXPECT_THAT(not_found.body, HasSubstr("\"not_found\""));

  auto post = request("POST", "/api/items/42");
  auto not_allowed = io.run(routes.dispatch(post));
  EXPECT_EQ(not_allowed.status, 405u);
  ASSERT_EQ(not_allowed.headers.size(), 1u);
  EXPECT_EQ(not_allowed.headers[0].first, "Allow");
  EXPECT_THAT(not_allowed.headers[0].second, HasSubstr("GET"));
}

}  // namespace
}  // namespace stork::app
