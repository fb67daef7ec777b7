#include "work/story_id.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace stork {
namespace {

using ::testing::HasSubstr;

TEST(StoryId, ParsesNumberTypeAndSlug) {
  auto id = parse_story_id("42_story_login_page");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->number, 42);
  EXPECT_EQ(id->type, ItemType::Story);
  EXPECT_EQ(id->slug, "login_page");
  EXPECT_EQ(id->str(), "42_story_login_page");
}

TEST(StoryId, AcceptsEveryItemType) {
  for (auto text : {"1_story_a", "2_bug_b", "3_spike_c", "4_refactor_d"}) {
    auto id = parse_story_id(text);
    ASSERT_TRUE(id.ok()) << text;
    EXPECT_EQ(id->str(), text);
  }
}

std::string reason_for(std::string_view text) {
  auto id = parse_story_id(text);
  EXPECT_FALSE(id.ok()) << text << " should be refused";
  return id.ok() ? "" : id.error().reason;
}

TEST(StoryId, RefusesPathTraversalAndSeparators) {
  EXPECT_THAT(reason_for("1_story_../../etc"), HasSubstr(".."));
  EXPECT_THAT(reason_for("1_story_a/b"), HasSubstr("path separator"));
  EXPECT_THAT(reason_for("1_story_a\\b"), HasSubstr("path separator"));
  EXPECT_THAT(reason_for(".."), HasSubstr(".."));
}

TEST(StoryId, RefusesControlCharacters) {
  EXPECT_THAT(reason_for(std::string("1_story_a\nb")), HasSubstr("control character"));
  EXPECT_THAT(reason_for(std::string("1_story_a\x7f")), HasSubstr("control character"));
  EXPECT_THAT(reason_for(std::string("1_story_a\0b", 11)), HasSubstr("control character"));
}

TEST(StoryId, RefusesMalformedShapes) {
  EXPECT_THAT(reason_for(""), HasSubstr("empty"));
  EXPECT_THAT(reason_for("story_login"), HasSubstr("expected <number>_<type>_<slug>"));
  EXPECT_THAT(reason_for("0_story_a"), HasSubstr("positive number"));
  EXPECT_THAT(reason_for("x1_story_a"), HasSubstr("positive number"));
  EXPECT_THAT(reason_for("01_story_a"), HasSubstr("leading zeros"));
  EXPECT_THAT(reason_for("1_epic_a"), HasSubstr("unknown type 'epic'"));
  EXPECT_THAT(reason_for("1_story_"), HasSubstr("slug is empty"));
  EXPECT_THAT(reason_for("1_story_a b"), HasSubstr("not ' '"));
  EXPECT_THAT(reason_for("1_story_-a"), HasSubstr("start with a letter or digit"));
  EXPECT_THAT(reason_for("99999999999999999999_story_a"), HasSubstr("positive number"));
  EXPECT_THAT(reason_for("1_story_" + std::string(kMaxSlugLength + 1, 'a')),
              HasSubstr("longer than"));
}

TEST(StoryId, ErrorMessageNamesTheIdAndReason) {
  auto id = parse_story_id("1_story_a/b");
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.error().message(), "invalid story id '1_story_a/b': it contains a path separator");
}

TEST(Slugify, LowercasesAndJoinsWords) {
  EXPECT_EQ(slugify("Login page!"), "login_page");
  EXPECT_EQ(slugify("  --Fix   the  CSV--export  "), "fix_the_csv_export");
  EXPECT_EQ(slugify("café ☕ menu"), "caf_menu");
  EXPECT_EQ(slugify("../../etc/passwd"), "etc_passwd");
  EXPECT_EQ(slugify("!!!"), "");
  EXPECT_LE(slugify(std::string(500, 'a')).size(), kMaxSlugLength);
}

TEST(ValidateSlug, AcceptsSlugifyOutput) {
  for (auto name : {"Login page", "A/B testing", "x"})
    EXPECT_TRUE(validate_slug(slugify(name)).ok()) << name;
}

}  // namespace
}  // namespace stork
