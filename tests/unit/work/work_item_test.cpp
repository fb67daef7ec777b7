#include "work/work_item.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace stork {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

WorkItem item_from(std::string text, std::string id = "5_story_login") {
  auto doc = ItemDocument::parse(std::move(text));
  EXPECT_TRUE(doc.ok());
  return WorkItem{*parse_story_id(id), Stage::Current, "/p/" + id + ".md", std::move(*doc)};
}

TEST(WorkItem, ReadsStorkitFields) {
  WorkItem item = item_from(
      "---\nname: Login\nagent: coder-2\nqa: human\nmanual_qa: true\nreview_hold: true\nblocked: "
      "true\n"
      "blocked_reason: design\nmerge_failure: conflict\nretry_count: 2\ndepends_on: [1_story_a, "
      "3]\n---\n");
  EXPECT_EQ(item.name(), "Login");
  EXPECT_EQ(item.agent(), "coder-2");
  EXPECT_EQ(item.qa(), QaMode::Human);
  EXPECT_TRUE(item.manual_qa());
  EXPECT_TRUE(item.review_hold());
  EXPECT_TRUE(item.blocked());
  EXPECT_EQ(item.blocked_reason(), "design");
  EXPECT_EQ(item.merge_failure(), "conflict");
  EXPECT_EQ(item.retry_count(), 2);
  EXPECT_THAT(item.depends_on(), ElementsAre("1_story_a", "3"));
  EXPECT_TRUE(item.problems().empty());
}

TEST(WorkItem, DefaultsWhenFieldsAreAbsent) {
  WorkItem item = item_from("no front matter\n");
  EXPECT_EQ(item.name(), "login");  // the slug, when nothing better exists
  EXPECT_FALSE(item.agent());
  EXPECT_FALSE(item.qa());
  EXPECT_FALSE(item.blocked());
  EXPECT_FALSE(item.merge_failure());
  EXPECT_EQ(item.retry_count(), 0);
  EXPECT_TRUE(item.depends_on().empty());
}

TEST(WorkItem, NameFallsBackToHeadingTitle) {
  EXPECT_EQ(item_from("# Story 5: Login with SSO\n").name(), "Login with SSO");
  EXPECT_EQ(item_from("---\nname: \"\"\n---\n# Plain title\n").name(), "Plain title");
}

TEST(WorkItem, EmptyMergeFailureAndAgentReadAsAbsent) {
  WorkItem item = item_from("---\nmerge_failure: \"\"\nagent:\n---\n");
  EXPECT_FALSE(item.merge_failure());
  EXPECT_FALSE(item.agent());
  EXPECT_TRUE(item.problems().empty());
}

TEST(WorkItem, WrongTypesBecomeProblemsWithLines) {
  WorkItem item = item_from(
      "---\nname: x\nblocked: maybe\nretry_count: many\nqa: robot\ndepends_on: {a: 1}\n---\n");
  EXPECT_FALSE(item.blocked());
  EXPECT_EQ(item.retry_count(), 0);
  auto problems = item.problems();
  ASSERT_EQ(problems.size(), 4u);
  EXPECT_EQ(problems[0].field, "blocked");
  EXPECT_EQ(problems[0].line, 3);
  EXPECT_THAT(problems[0].message, HasSubstr("'maybe'"));
  EXPECT_EQ(problems[1].field, "retry_count");
  EXPECT_EQ(problems[2].field, "qa");
  EXPECT_EQ(problems[3].field, "depends_on");
}

TEST(WorkItem, InvalidDependencyIdIsAProblem) {
  auto problems = item_from("---\ndepends_on: [\"../x\"]\n---\n").problems();
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_THAT(problems[0].message, HasSubstr("'../x'"));
}

TEST(WorkItem, BlockAndUnblock) {
  WorkItem item = item_from("---\nname: x\n---\n");
  item.set_blocked(true, "waiting on API");
  EXPECT_TRUE(item.blocked());
  EXPECT_EQ(item.blocked_reason(), "waiting on API");
  item.set_blocked(false);
  EXPECT_EQ(item.document.text(), "---\nname: x\n---\n");
}

TEST(WorkItem, FlagSettersRoundTrip) {
  WorkItem item = item_from("---\nname: x\n---\n");
  item.set_review_hold(true);
  item.set_merge_failure("CONFLICT in a.txt");
  item.set_retry_count(3);
  EXPECT_TRUE(item.review_hold());
  EXPECT_EQ(item.merge_failure(), "CONFLICT in a.txt");
  EXPECT_EQ(item.retry_count(), 3);
  item.set_review_hold(false);
  item.set_merge_failure(std::nullopt);
  EXPECT_FALSE(item.review_hold());
  EXPECT_FALSE(item.merge_failure());
}

TEST(WorkItem, CheckingACriterionChangesOneByte) {
  const std::string text = "---\nname: x\n---\n## Acceptance Criteria\n- [ ] a\n- [ ] b\n";
  WorkItem item = item_from(text);
  ASSERT_TRUE(item.set_criterion(1, true));
  EXPECT_EQ(item.document.text(), "---\nname: x\n---\n## Acceptance Criteria\n- [ ] a\n- [x] b\n");
  EXPECT_TRUE(item.criteria()[1].checked);
  ASSERT_TRUE(item.set_criterion(1, false));
  EXPECT_EQ(item.document.text(), text);
  EXPECT_FALSE(item.set_criterion(2, true));
}

TEST(NewItem, StoryHasStorkitSectionsAndFrontMatter) {
  NewItem spec;
  spec.name = "Login: with SSO";
  spec.description = "As a user I want SSO.";
  spec.criteria = {"Redirects to the IdP", "Creates the session"};
  spec.depends_on = {"1_story_a"};
  spec.agent = "coder-2";
  spec.qa = QaMode::Agent;
  auto doc = ItemDocument::parse(render_new_item(spec, 42));
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->get_string("name"), "Login: with SSO");
  EXPECT_EQ(doc->get_string("agent"), "coder-2");
  EXPECT_EQ(doc->get_string("qa"), "agent");
  EXPECT_THAT(*doc->get_string_list("depends_on"), ElementsAre("1_story_a"));
  const std::string& body = doc->body();
  EXPECT_THAT(body, HasSubstr("# Story 42: Login: with SSO\n"));
  EXPECT_THAT(body, HasSubstr("## User Story\n\nAs a user I want SSO.\n"));
  EXPECT_THAT(
      body,
      HasSubstr(
          "## Acceptance Criteria\n\n- [ ] Redirects to the IdP\n- [ ] Creates the session\n"));
  EXPECT_THAT(body, HasSubstr("## Out of Scope"));
  EXPECT_EQ(parse_criteria(body).size(), 2u);
}

TEST(NewItem, EachTypeUsesItsSections) {
  NewItem bug{ItemType::Bug, "Crash", "", {}, {}, std::nullopt, std::nullopt};
  std::string text = render_new_item(bug, 1);
  for (auto heading : {"# Bug 1: Crash", "## Description", "## How to Reproduce",
                       "## Actual Result", "## Expected Result", "## Acceptance Criteria"}) {
    EXPECT_THAT(text, HasSubstr(heading));
  }
  NewItem spike{ItemType::Spike, "Which DB", "SQLite?", {}, {}, std::nullopt, std::nullopt};
  text = render_new_item(spike, 2);
  for (auto heading : {"## Question\n\nSQLite?", "## Hypothesis", "## Timebox",
                       "## Investigation Plan", "## Findings"}) {
    EXPECT_THAT(text, HasSubstr(heading));
  }
  NewItem refactor{ItemType::Refactor, "Split", "", {}, {}, std::nullopt, std::nullopt};
  EXPECT_THAT(render_new_item(refactor, 3), HasSubstr("# Refactor 3: Split"));
}

}  // namespace
}  // namespace stork
