#include "http/router.hpp"

#include <stdexcept>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "http/request_target.hpp"
#include "test_server.hpp"

namespace stork::http {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;
using testing::reply_with;
using ::testing::UnorderedElementsAre;

TEST(HttpRouter, MatchesLiteralPathsAndCapturesParams) {
  Router router;
  router.add("GET", "/api/items", reply_with("list"), "items");
  router.add("GET", "/api/runs/{run}/events/{seq}", reply_with("events"));

  RouteMatch items = router.match("GET", "/api/items");
  ASSERT_EQ(items.kind, RouteMatch::Kind::Found);
  EXPECT_EQ(items.route_name, "items");
  EXPECT_TRUE(items.params.empty());

  RouteMatch events = router.match("GET", "/api/runs/42_story_x/events/7");
  ASSERT_EQ(events.kind, RouteMatch::Kind::Found);
  EXPECT_EQ(events.route_name, "/api/runs/{run}/events/{seq}");  // the pattern when unnamed
  EXPECT_THAT(events.params, UnorderedElementsAre(Pair("run", "42_story_x"), Pair("seq", "7")));

  EXPECT_EQ(router.match("GET", "/api/items/").kind, RouteMatch::Kind::NotFound);
  EXPECT_EQ(router.match("GET", "/api/runs/1/events").kind, RouteMatch::Kind::NotFound);
  EXPECT_EQ(router.match("GET", "/").kind, RouteMatch::Kind::NotFound);
}

TEST(HttpRouter, PrefersLiteralOverParamOverRest) {
  Router router;
  router.add("GET", "/items/*", reply_with(""), "rest");
  router.add("GET", "/items/{id}", reply_with(""), "param");
  router.add("GET", "/items/new", reply_with(""), "literal");

  EXPECT_EQ(router.match("GET", "/items/new").route_name, "literal");
  EXPECT_EQ(router.match("GET", "/items/7").route_name, "param");
  RouteMatch rest = router.match("GET", "/items/7/comments/3");
  EXPECT_EQ(rest.route_name, "rest");
  EXPECT_THAT(rest.params, ElementsAre(Pair("*", "7/comments/3")));
  EXPECT_THAT(router.match("GET", "/items").params, ElementsAre(Pair("*", "")));
}

TEST(HttpRouter, ReportsMethodNotAllowedWithTheAllowedMethods) {
  Router router;
  router.add("GET", "/api/items/{id}", reply_with(""));
  router.add("DELETE", "/api/items/{id}", reply_with(""));

  RouteMatch match = router.match("POST", "/api/items/3");
  EXPECT_EQ(match.kind, RouteMatch::Kind::MethodNotAllowed);
  EXPECT_EQ(match.allow, "DELETE, GET, HEAD");
}

TEST(HttpRouter, HeadUsesTheGetRouteUnlessItHasItsOwn) {
  Router router;
  router.add("GET", "/a", reply_with(""), "get-a");
  router.add("GET", "/b", reply_with(""), "get-b");
  router.add("HEAD", "/b", reply_with(""), "head-b");
  EXPECT_EQ(router.match("HEAD", "/a").route_name, "get-a");
  EXPECT_EQ(router.match("HEAD", "/b").route_name, "head-b");
}

TEST(HttpRouter, RejectsMalformedPatterns) {
  Router router;
  EXPECT_THROW(router.add("GET", "api", reply_with("")), std::invalid_argument);
  EXPECT_THROW(router.add("GET", "/a/*/b", reply_with("")), std::invalid_argument);
  EXPECT_THROW(router.add("GET", "/a/{}", reply_with("")), std::invalid_argument);
}

TEST(HttpRequestTarget, DecodesEachSegmentAfterSplittingAndTheQuery) {
  auto target = parse_request_target("/api/items/a%2Fb/x%20y?since=4&name=a%26b&flag&since=9");
  ASSERT_TRUE(target.ok()) << target.error();
  EXPECT_EQ(target->path, "/api/items/a/b/x y");
  EXPECT_THAT(target->segments, ElementsAre("api", "items", "a/b", "x y"));
  EXPECT_THAT(target->query,
              UnorderedElementsAre(Pair("since", "4"), Pair("name", "a&b"), Pair("flag", "")));
}

TEST(HttpRequestTarget, RejectsWhatIsNotOriginForm) {
  EXPECT_FALSE(parse_request_target("http://evil.example/etc/passwd").ok());
  EXPECT_FALSE(parse_request_target("*").ok());
  EXPECT_FALSE(parse_request_target("/a%zz").ok());
  EXPECT_FALSE(parse_request_target("/a%00b").ok());
  EXPECT_TRUE(parse_request_target("/").ok());
}

}  // namespace
}  // namespace stork::http
