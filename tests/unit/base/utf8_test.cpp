#include "base/utf8.hpp"

#include <gtest/gtest.h>

namespace stork {
namespace {

TEST(Utf8, AcceptsValidText) {
  EXPECT_EQ(find_invalid_utf8("plain ascii"), std::string_view::npos);
  EXPECT_EQ(find_invalid_utf8("naïve café ✓ 🚀 日本"), std::string_view::npos);
  EXPECT_EQ(find_invalid_utf8(""), std::string_view::npos);
}

TEST(Utf8, FindsTheFirstInvalidByte) {
  EXPECT_EQ(find_invalid_utf8("ab\xff"), 2u);
  EXPECT_EQ(find_invalid_utf8("caf\xe9 au lait"), 3u);   // Latin-1 é
  EXPECT_EQ(find_invalid_utf8("x\xc0\xaf"), 1u);         // overlong '/'
  EXPECT_EQ(find_invalid_utf8("\xed\xa0\x80"), 0u);      // surrogate
  EXPECT_EQ(find_invalid_utf8("\xf4\x90\x80\x80"), 0u);  // above U+10FFFF
  EXPECT_EQ(find_invalid_utf8("ok\xe2\x9c"), 2u);        // truncated
}

TEST(Utf8, RepairReplacesEachBadByteAndKeepsTheRest) {
  EXPECT_EQ(repair_utf8("caf\xe9!"), "caf\xEF\xBF\xBD!");
  EXPECT_EQ(repair_utf8("✓\xff\xfe✓"), "✓\xEF\xBF\xBD\xEF\xBF\xBD✓");
  EXPECT_EQ(repair_utf8("fine"), "fine");
  EXPECT_EQ(find_invalid_utf8(repair_utf8("\xc3(\xa0\xa1")), std::string_view::npos);
}

}  // namespace
}  // namespace stork
