#include "work/acceptance_criteria.hpp"

#include <gtest/gtest.h>

namespace stork {
namespace {

TEST(AcceptanceCriteria, ReadsBoxesUnderTheHeadingOnly) {
  std::string body =
      "# Story 1: X\n\n- [ ] above the section\n\n## Acceptance Criteria\n\n- [ ] first\n- [x] "
      "second\n"
      "  - [X] nested third\n\n## Out of Scope\n\n- [ ] not a criterion\n";
  auto criteria = parse_criteria(body);
  ASSERT_EQ(criteria.size(), 3u);
  EXPECT_EQ(criteria[0].text, "first");
  EXPECT_FALSE(criteria[0].checked);
  EXPECT_EQ(criteria[1].text, "second");
  EXPECT_TRUE(criteria[1].checked);
  EXPECT_EQ(criteria[2].text, "nested third");
  EXPECT_TRUE(criteria[2].checked);
  EXPECT_EQ(criteria[2].index, 2u);
  EXPECT_EQ(criteria[0].line, 7);
}

TEST(AcceptanceCriteria, BoxOffsetPointsInsideTheBrackets) {
  std::string body = "## Acceptance Criteria\n- [ ] one\n   * [x] two\n";
  auto criteria = parse_criteria(body);
  ASSERT_EQ(criteria.size(), 2u);
  EXPECT_EQ(body[criteria[0].box_offset], ' ');
  EXPECT_EQ(body[criteria[0].box_offset - 1], '[');
  EXPECT_EQ(body[criteria[1].box_offset], 'x');
}

TEST(AcceptanceCriteria, WholeBodyWhenThereIsNoSection) {
  auto criteria = parse_criteria("Intro\n- [ ] a\n\n## Notes\n+ [x] b\n");
  ASSERT_EQ(criteria.size(), 2u);
  EXPECT_EQ(criteria[1].text, "b");
}

TEST(AcceptanceCriteria, IgnoresCodeFencesAndLookalikes) {
  std::string body =
      "## Acceptance Criteria\n```\n- [ ] in a fence\n```\n~~~\n- [x] tilde fence\n~~~\n"
      "- [] no space\n- [y] other mark\n-[ ] no space after dash\n- [ ]glued\n- [ ]\n";
  auto criteria = parse_criteria(body);
  ASSERT_EQ(criteria.size(), 1u);
  EXPECT_EQ(criteria[0].text, "");
}

TEST(AcceptanceCriteria, HeadingMatchIsCaseInsensitiveAndAnyLevel) {
  auto criteria = parse_criteria(
      "### acceptance CRITERIA ###\n- [ ] a\n#### Sub heading\n- [ ] b\n## Next\n- [ ] c\n");
  ASSERT_EQ(criteria.size(), 2u);  // a deeper heading stays inside the section
  EXPECT_EQ(criteria[1].text, "b");
}

TEST(AcceptanceCriteria, HandlesCrlf) {
  auto criteria = parse_criteria("## Acceptance Criteria\r\n- [ ] one\r\n- [x] two\r\n");
  ASSERT_EQ(criteria.size(), 2u);
  EXPECT_EQ(criteria[0].text, "one");
  EXPECT_TRUE(criteria[1].checked);
}

}  // namespace
}  // namespace stork
