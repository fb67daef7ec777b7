#include "pipeline/dependencies.hpp"

#include <gtest/gtest.h>

#include "pipeline_test_support.hpp"

namespace stork::pipeline {
namespace {

using testing::item;
using testing::story;

ItemSnapshot waiting_on(StoryId id, std::vector<std::string> depends_on) {
  ItemSnapshot snapshot = item(std::move(id), Stage::Backlog);
  snapshot.depends_on = std::move(depends_on);
  return snapshot;
}

TEST(Dependencies, PromotesBacklogItemWhoseDependenciesAreDoneOrArchived) {
  std::vector<ItemSnapshot> items = {item(story(1, "a"), Stage::Done),
                                     item(story(2, "b"), Stage::Archived),
                                     waiting_on(story(3), {"1_story_a", "2_story_b"})};
  PromotionPlan plan = plan_backlog_promotions(items);
  EXPECT_EQ(plan.promote, std::vector<StoryId>{story(3)});
  EXPECT_TRUE(plan.unknown.empty());
}

TEST(Dependencies, DoesNotPromoteWhileADependencyIsUnfinished) {
  for (Stage stage : {Stage::Backlog, Stage::Current, Stage::Qa, Stage::Merge}) {
    std::vector<ItemSnapshot> items = {item(story(1, "a"), Stage::Done), item(story(2, "b"), stage),
                                       waiting_on(story(3), {"1_story_a", "2_story_b"})};
    EXPECT_TRUE(plan_backlog_promotions(items).promote.empty()) << stage_name(stage);
  }
}

// Items without depends_on start only when someone starts them.
TEST(Dependencies, NeverPromotesItemWithoutDependencies) {
  PromotionPlan plan = plan_backlog_promotions({item(story(1), Stage::Backlog)});
  EXPECT_TRUE(plan.promote.empty());
}

TEST(Dependencies, BareNumberMatchesItemOfThatNumber) {
  std::vector<ItemSnapshot> items = {item(story(12, "x", ItemType::Bug), Stage::Done),
                                     waiting_on(story(13), {"12"})};
  EXPECT_EQ(plan_backlog_promotions(items).promote, std::vector<StoryId>{story(13)});
}

TEST(Dependencies, UnknownDependencyIsNeverSatisfiedAndIsReported) {
  std::vector<ItemSnapshot> items = {item(story(1, "a"), Stage::Done),
                                     waiting_on(story(3), {"1_story_a", "99_story_gone"})};
  PromotionPlan plan = plan_backlog_promotions(items);
  EXPECT_TRUE(plan.promote.empty());
  ASSERT_EQ(plan.unknown.size(), 1u);
  EXPECT_EQ(plan.unknown[0].item, story(3));
  EXPECT_EQ(plan.unknown[0].dependency, "99_story_gone");
}

TEST(Dependencies, UnknownBareNumberIsReported) {
  PromotionPlan plan = plan_backlog_promotions({waiting_on(story(3), {"42"})});
  ASSERT_EQ(plan.unknown.size(), 1u);
  EXPECT_EQ(plan.unknown[0].dependency, "42");
}

// A full id must match exactly: the same number with another slug names something else.
TEST(Dependencies, FullIdWithWrongSlugIsUnknown) {
  std::vector<ItemSnapshot> items = {item(story(1, "a"), Stage::Done),
                                     waiting_on(story(3), {"1_story_renamed"})};
  EXPECT_EQ(dependency_state("1_story_renamed", items), DependencyState::Unknown);
  EXPECT_EQ(plan_backlog_promotions(items).unknown.size(), 1u);
}

TEST(Dependencies, GarbageEntriesAreUnknown) {
  std::vector<ItemSnapshot> items = {item(story(1, "a"), Stage::Done)};
  for (const char* entry : {"", "0", "-1", "1abc", "../1_story_a", "story_a"}) {
    EXPECT_EQ(dependency_state(entry, items), DependencyState::Unknown) << entry;
  }
}

TEST(Dependencies, SurroundingBlanksAreIgnored) {
  std::vector<ItemSnapshot> items = {item(story(1, "a"), Stage::Done)};
  EXPECT_EQ(dependency_state(" 1_story_a ", items), DependencyState::Satisfied);
  EXPECT_EQ(dependency_state("\t1 ", items), DependencyState::Satisfied);
}

TEST(Dependencies, StateOfExistingItems) {
  std::vector<ItemSnapshot> items = {item(story(1, "a"), Stage::Done),
                                     item(story(2, "b"), Stage::Archived),
                                     item(story(3, "c"), Stage::Merge)};
  EXPECT_EQ(dependency_state("1", items), DependencyState::Satisfied);
  EXPECT_EQ(dependency_state("2_story_b", items), DependencyState::Satisfied);
  EXPECT_EQ(dependency_state("3", items), DependencyState::Pending);
}

TEST(Dependencies, OnlyBacklogItemsArePromoted) {
  ItemSnapshot in_current = waiting_on(story(3), {"1"});
  in_current.stage = Stage::Current;
  std::vector<ItemSnapshot> items = {item(story(1), Stage::Done), in_current};
  EXPECT_TRUE(plan_backlog_promotions(items).promote.empty());
}

TEST(Dependencies, PromotionsAreOldestFirst) {
  std::vector<ItemSnapshot> items = {item(story(1), Stage::Done), waiting_on(story(9), {"1"}),
                                     waiting_on(story(4), {"1"})};
  EXPECT_EQ(plan_backlog_promotions(items).promote, (std::vector<StoryId>{story(4), story(9)}));
}

TEST(Dependencies, UnknownDependencyMessageNamesItemAndEntry) {
  std::string text = UnknownDependency{story(3, "x"), "99_story_gone"}.message();
  EXPECT_NE(text.find("3_story_x"), std::string::npos) << text;
  EXPECT_NE(text.find("99_story_gone"), std::string::npos) << text;
}

}  // namespace
}  // namespace stork::pipeline
