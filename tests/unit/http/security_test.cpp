#include "http/security.hpp"

#include <gtest/gtest.h>

namespace stork::http {
namespace {

TEST(HttpSecurity, ConstantTimeEqualComparesWholeTexts) {
  EXPECT_TRUE(constant_time_equal("secret", "secret"));
  EXPECT_FALSE(constant_time_equal("secret", "secreT"));
  EXPECT_FALSE(constant_time_equal("secret", "secret2"));
  EXPECT_FALSE(constant_time_equal("", "x"));
  EXPECT_TRUE(constant_time_equal("", ""));
}

TEST(HttpSecurity, BearerTokenNeedsTheSchemeAndTheExactToken) {
  EXPECT_TRUE(bearer_token_matches("Bearer s3cret", "s3cret"));
  EXPECT_TRUE(bearer_token_matches("bearer s3cret", "s3cret"));
  EXPECT_FALSE(bearer_token_matches("Bearer s3cre", "s3cret"));
  EXPECT_FALSE(bearer_token_matches("Basic s3cret", "s3cret"));
  EXPECT_FALSE(bearer_token_matches("s3cret", "s3cret"));
  EXPECT_FALSE(bearer_token_matches("", "s3cret"));
}

TEST(HttpSecurity, HostMustBeLoopbackOrConfigured) {
  std::vector<std::string> none;
  EXPECT_TRUE(host_allowed("localhost:3000", none));
  EXPECT_TRUE(host_allowed("LOCALHOST", none));
  EXPECT_TRUE(host_allowed("127.0.0.1:8080", none));
  EXPECT_TRUE(host_allowed("[::1]:3000", none));
  EXPECT_FALSE(host_allowed("evil.example", none));
  EXPECT_FALSE(host_allowed("localhost.evil.example", none));
  EXPECT_FALSE(host_allowed("127.0.0.1:80x", none));
  EXPECT_FALSE(host_allowed("", none));
  EXPECT_TRUE(host_allowed("devbox:3000", {"devbox"}));
  EXPECT_TRUE(host_allowed("[fd00::5]:3000", {"fd00::5"}));
}

TEST(HttpSecurity, OriginMustBeHttpOnALoopbackOrConfiguredHost) {
  std::vector<std::string> none;
  EXPECT_TRUE(origin_allowed("http://localhost:5173", none));
  EXPECT_TRUE(origin_allowed("https://127.0.0.1", none));
  EXPECT_TRUE(origin_allowed("http://[::1]:3000", none));
  EXPECT_FALSE(origin_allowed("http://evil.example", none));
  EXPECT_FALSE(origin_allowed("null", none));
  EXPECT_FALSE(origin_allowed("file://localhost", none));
  EXPECT_FALSE(origin_allowed("http://localhost@evil.example", none));
  EXPECT_FALSE(origin_allowed("http://localhost/path", none));
  EXPECT_TRUE(origin_allowed("http://devbox:3000", {"devbox"}));
}

Request request_with(std::map<std::string, std::string, CaseInsensitiveLess> headers) {
  Request request;
  request.headers = std::move(headers);
  return request;
}

TEST(HttpSecurity, CheckRequestRefusesWithTheDocumentedStatusAndCode) {
  SecurityPolicy policy;
  policy.token = "tok";
  auto missing = check_request(request_with({{"Host", "localhost"}}), policy);
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 401u);
  EXPECT_EQ(missing->headers.at(0),
            (std::pair<std::string, std::string>("WWW-Authenticate", "Bearer")));

  auto host =
      check_request(request_with({{"Host", "evil"}, {"Authorization", "Bearer tok"}}), policy);
  ASSERT_TRUE(host);
  EXPECT_EQ(host->status, 403u);
  EXPECT_NE(host->body.find("\"forbidden_host\""), std::string::npos);

  auto origin = check_request(
      request_with(
          {{"Host", "localhost"}, {"Authorization", "Bearer tok"}, {"Origin", "http://evil"}}),
      policy);
  ASSERT_TRUE(origin);
  EXPECT_NE(origin->body.find("\"forbidden_origin\""), std::string::npos);

  EXPECT_FALSE(check_request(request_with({{"host", "localhost"}, {"authorization", "Bearer tok"}}),
                             policy));
}

TEST(HttpSecurity, QueryTokenCountsOnlyWhenThePolicyAllowsIt) {
  SecurityPolicy policy;
  policy.token = "tok";
  Request request = request_with({{"Host", "localhost"}});
  request.query["token"] = "tok";
  EXPECT_TRUE(check_request(request, policy));
  policy.token_in_query = true;
  EXPECT_FALSE(check_request(request, policy));
  request.query["token"] = "nope";
  EXPECT_TRUE(check_request(request, policy));
}

}  // namespace
}  // namespace stork::http
