#include "base/result.hpp"

#include <gtest/gtest.h>

namespace stork {
namespace {

Result<int, std::string> half(int n) {
  if (n % 2 != 0) return fail(std::string("odd"));
  return n / 2;
}

TEST(Result, CarriesValueOrError) {
  auto ok = half(4);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, 2);
  auto bad = half(3);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error(), "odd");
}

TEST(Result, SameTypeForValueAndErrorStaysUnambiguous) {
  Result<std::string, std::string> value = std::string("v");
  Result<std::string, std::string> error = fail(std::string("e"));
  EXPECT_TRUE(value.ok());
  EXPECT_EQ(*value, "v");
  EXPECT_FALSE(error.ok());
  EXPECT_EQ(error.error(), "e");
}

TEST(Result, VoidSpecialisation) {
  Result<void, std::string> ok;
  Result<void, std::string> bad = fail(std::string("no"));
  EXPECT_TRUE(ok.ok());
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(std::move(bad).take_error(), "no");
}

}  // namespace
}  // namespace stork
