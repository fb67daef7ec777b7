// check_access, the session store, the login limiter and the client address, without sockets.
#include "http/access_check.hpp"

#include <gtest/gtest.h>

#include "http/client_address.hpp"
#include "http/host_names.hpp"
#include "http/login_limiter.hpp"
#include "http/session_store.hpp"

namespace stork::http {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

struct FakeClock {
  Clock::time_point now = Clock::time_point() + 1000h;
  std::function<Clock::time_point()> function() {
    return [this] { return now; };
  }
};

Request request(std::string method, std::string path,
                std::map<std::string, std::string, CaseInsensitiveLess> headers) {
  Request out;
  out.method = std::move(method);
  out.path = std::move(path);
  out.headers = std::move(headers);
  out.remote = "127.0.0.1:4000";
  return out;
}

SecurityPolicy policy() {
  SecurityPolicy out;
  out.token = "admin";
  out.viewer_token = "viewer";
  out.allowed_hosts = {"box"};
  return out;
}

TEST(SessionStore, FindsWhatItCreatedUntilExpiryOrRevocation) {
  FakeClock clock;
  SessionStore sessions(1h, clock.function());
  auto admin = sessions.create(Access::Admin);
  auto viewer = sessions.create(Access::Viewer);
  EXPECT_EQ(admin.size(), 64u);
  EXPECT_NE(admin, viewer);
  EXPECT_EQ(sessions.find(admin), Access::Admin);
  EXPECT_EQ(sessions.find(viewer), Access::Viewer);
  EXPECT_EQ(sessions.find(std::string(64, '0')), Access::None);
  EXPECT_EQ(sessions.find(""), Access::None);
  sessions.revoke(viewer);
  EXPECT_EQ(sessions.find(viewer), Access::None);
  clock.now += 59min;
  EXPECT_EQ(sessions.find(admin), Access::Admin);
  clock.now += 1min;
  EXPECT_EQ(sessions.find(admin), Access::None);  // expired
  auto fresh = sessions.create(Access::Admin);
  EXPECT_EQ(sessions.revoke_all(), 1u);
  EXPECT_EQ(sessions.find(fresh), Access::None);
}

TEST(LoginLimiter, AllowsABurstThenMakesTheAddressWaitForTheRefill) {
  FakeClock clock;
  LoginLimiter limiter(3, 2s, clock.function());
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(limiter.wait_for("10.0.0.1").count(), 0) << i;
    limiter.failed("10.0.0.1");
  }
  EXPECT_EQ(limiter.wait_for("10.0.0.1"), 2000ms);
  EXPECT_EQ(limiter.wait_for("10.0.0.2").count(), 0);  // others are not affected
  clock.now += 1500ms;
  EXPECT_EQ(limiter.wait_for("10.0.0.1"), 500ms);
  clock.now += 500ms;
  EXPECT_EQ(limiter.wait_for("10.0.0.1").count(), 0);
}

TEST(AccessCheck, HostIsCheckedBeforeAnythingElse) {
  auto verdict = check_access(request("GET", "/", {{"Host", "evil:3000"}, {"Accept", "text/html"}}),
                              policy(), nullptr, false);
  EXPECT_EQ(verdict.kind, Verdict::Kind::Refuse);
  EXPECT_EQ(verdict.response.status, 403u);
}

TEST(AccessCheck, BrowserWithoutCredentialsGetsTheLoginPageApiCallsGet401) {
  auto page =
      check_access(request("GET", "/items/3", {{"Host", "box:3000"}, {"Accept", "text/html"}}),
                   policy(), nullptr, false);
  EXPECT_EQ(page.kind, Verdict::Kind::LoginPage);
  for (const char* path : {"/api/pipeline", "/assets/app.js", "/mcp", "/healthz"}) {
    auto api = check_access(request("GET", path, {{"Host", "box"}, {"Accept", "text/html"}}),
                            policy(), nullptr, false);
    EXPECT_EQ(api.kind, Verdict::Kind::Refuse) << path;
    EXPECT_EQ(api.response.status, 401u) << path;
  }
  auto login = check_access(request("POST", "/login", {{"Host", "box"}}), policy(), nullptr, false);
  EXPECT_EQ(login.kind, Verdict::Kind::Login);
}

TEST(AccessCheck, WrongBearerIsMarkedForTheLimiter) {
  auto wrong =
      check_access(request("GET", "/api/x", {{"Host", "box"}, {"Authorization", "Bearer x"}}),
                   policy(), nullptr, false);
  EXPECT_EQ(wrong.response.status, 401u);
  EXPECT_TRUE(wrong.bad_token);
  auto none = check_access(request("GET", "/api/x", {{"Host", "box"}}), policy(), nullptr, false);
  EXPECT_FALSE(none.bad_token);
}

TEST(AccessCheck, CookieWritesAndUpgradesNeedTheSameOriginReadsDoNot) {
  SessionStore sessions(1h);
  const std::string cookie = "a=b; stork_session=" + sessions.create(Access::Admin);
  auto read = check_access(request("GET", "/api/x", {{"Host", "box:3000"}, {"Cookie", cookie}}),
                           policy(), &sessions, false);
  EXPECT_EQ(read.kind, Verdict::Kind::Pass);
  EXPECT_TRUE(read.via_cookie);
  auto write = check_access(request("POST", "/api/x", {{"Host", "box:3000"}, {"Cookie", cookie}}),
                            policy(), &sessions, false);
  EXPECT_EQ(write.response.status, 403u);
  auto other_port = check_access(
      request("POST", "/api/x",
              {{"Host", "box:3000"}, {"Cookie", cookie}, {"Origin", "http://box:4000"}}),
      policy(), &sessions, false);
  EXPECT_EQ(other_port.response.status, 403u);
  auto same = check_access(
      request("POST", "/api/x",
              {{"Host", "box:3000"}, {"Cookie", cookie}, {"Origin", "https://box:3000"}}),
      policy(), &sessions, false);
  EXPECT_EQ(same.kind, Verdict::Kind::Pass);
  auto upgrade = check_access(request("GET", "/ws", {{"Host", "box:3000"}, {"Cookie", cookie}}),
                              policy(), &sessions, true);
  EXPECT_EQ(upgrade.response.status, 403u);
  // A bearer token is not sent by browsers on their own: no Origin needed.
  auto bearer = check_access(
      request("POST", "/api/x", {{"Host", "box:3000"}, {"Authorization", "Bearer admin"}}),
      policy(), &sessions, false);
  EXPECT_EQ(bearer.kind, Verdict::Kind::Pass);
}

TEST(AccessCheck, ViewerReadsButWritesAre403ReadOnly) {
  auto read =
      check_access(request("GET", "/api/x", {{"Host", "box"}, {"Authorization", "Bearer viewer"}}),
                   policy(), nullptr, false);
  EXPECT_EQ(read.kind, Verdict::Kind::Pass);
  EXPECT_EQ(read.access, Access::Viewer);
  auto write =
      check_access(request("POST", "/api/x", {{"Host", "box"}, {"Authorization", "Bearer viewer"}}),
                   policy(), nullptr, false);
  EXPECT_EQ(write.response.status, 403u);
  EXPECT_NE(write.response.body.find("read_only"), std::string::npos);
}

TEST(AccessCheck, CookieValueAndSameOrigin) {
  EXPECT_EQ(cookie_value("a=1; stork_session=xyz; b=2", "stork_session"), "xyz");
  EXPECT_EQ(cookie_value("stork_session_old=1", "stork_session"), "");
  EXPECT_TRUE(same_origin("http://Box:3000", "box:3000"));
  EXPECT_FALSE(same_origin("http://box:3000", "box:3001"));
  EXPECT_FALSE(same_origin("null", "box"));
}

TEST(ClientAddress, ForwardedHeadersCountOnlyFromTrustedProxies) {
  Request from_proxy =
      request("GET", "/",
              {{"X-Forwarded-For", "203.0.113.9, 198.51.100.4"}, {"X-Forwarded-Proto", "https"}});
  auto trusted = client_of(from_proxy, {"127.0.0.1"});
  EXPECT_EQ(trusted.address, "198.51.100.4");
  EXPECT_TRUE(trusted.via_https);
  auto untrusted = client_of(from_proxy, {});
  EXPECT_EQ(untrusted.address, "127.0.0.1");
  EXPECT_FALSE(untrusted.via_https);
  from_proxy.remote = "[::1]:5000";
  EXPECT_EQ(client_of(from_proxy, {}).address, "::1");
}

TEST(HostNames, LoopbackBindAllowsItselfAnAllInterfacesBindAllowsTheMachineName) {
  EXPECT_EQ(default_allowed_hosts("127.0.0.2"), std::vector<std::string>{"127.0.0.2"});
  auto all = default_allowed_hosts("0.0.0.0");
  EXPECT_NE(std::find(all.begin(), all.end(), machine_host_name()), all.end());
  EXPECT_NE(std::find(all.begin(), all.end(), "127.0.0.1"), all.end());
  EXPECT_EQ(std::find(all.begin(), all.end(), "0.0.0.0"), all.end());
}

}  // namespace
}  // namespace stork::http
