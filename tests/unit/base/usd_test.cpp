// format_usd: what `stork agent logs` and `stork status` print for a cost (issue 15 item 9).
#include "base/usd.hpp"

#include <gtest/gtest.h>

namespace stork {
namespace {

TEST(FormatUsd, SmallAmountsKeepFourDecimalsNeverScientificNotation) {
  EXPECT_EQ(format_usd(0.0033), "$0.0033");
  EXPECT_EQ(format_usd(3.272e-3), "$0.0033");
  EXPECT_EQ(format_usd(0.00012), "$0.0001");
}

TEST(FormatUsd, TrailingZerosPastTheCentsAreDropped) {
  EXPECT_EQ(format_usd(0.25), "$0.25");
  EXPECT_EQ(format_usd(0.1), "$0.10");
  EXPECT_EQ(format_usd(0), "$0.00");
  EXPECT_EQ(format_usd(0.00001), "$0.00");
}

TEST(FormatUsd, FromADollarOnTwoDecimals) {
  EXPECT_EQ(format_usd(1), "$1.00");
  EXPECT_EQ(format_usd(12.499), "$12.50");
  EXPECT_EQ(format_usd(-0.5), "-$0.50");
}

}  // namespace
}  // namespace stork
