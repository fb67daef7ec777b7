#include "engine/work_index.hpp"

#include <gtest/gtest.h>

namespace stork::engine {
namespace {

WorkItem item(const std::string& id, Stage stage, const std::string& text) {
  return WorkItem{parse_story_id(id).value(), stage, {}, ItemDocument::parse(text).value()};
}

const WorkChange* find(const std::vector<WorkChange>& changes, const std::string& type) {
  for (const auto& change : changes)
    if (change.type == type) return &change;
  return nullptr;
}

TEST(WorkIndex, SameItems_NoChange) {
  auto a = build_index({item("1_story_a", Stage::Backlog, "---\nname: A\n---\nbody\n")});
  EXPECT_TRUE(diff_index(a, a).empty());
}

TEST(WorkIndex, NewAndGoneItems_AreCreatedAndRemovedWithTheirStage) {
  auto before = build_index({item("1_story_a", Stage::Backlog, "---\nname: A\n---\n")});
  auto after = build_index({item("2_bug_b", Stage::Current, "---\nname: B\n---\n")});
  auto changes = diff_index(before, after);
  ASSERT_EQ(changes.size(), 2u);
  const auto* removed = find(changes, "item_removed");
  ASSERT_NE(removed, nullptr);
  EXPECT_EQ(removed->story, "1_story_a");
  EXPECT_EQ(removed->payload.at("stage"), "backlog");
  const auto* created = find(changes, "item_created");
  ASSERT_NE(created, nullptr);
  EXPECT_EQ(created->story, "2_bug_b");
  EXPECT_EQ(created->payload.at("item").at("name"), "B");
  EXPECT_EQ(created->payload.at("item").at("type"), "bug");
  EXPECT_EQ(created->payload.at("item").at("stage"), "current");
}

TEST(WorkIndex, StageChange_IsMovedFromTo) {
  auto before = build_index({item("1_story_a", Stage::Backlog, "---\nname: A\n---\n")});
  auto after = build_index({item("1_story_a", Stage::Qa, "---\nname: A\n---\n")});
  auto changes = diff_index(before, after);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].type, "moved");
  EXPECT_EQ(changes[0].payload.at("from"), "backlog");
  EXPECT_EQ(changes[0].payload.at("to"), "qa");
}

TEST(WorkIndex, FrontMatterAndBodyEdits_NameTheFieldsWithNewValues) {
  auto before =
      build_index({item("1_story_a", Stage::Backlog, "---\nname: A\nagent: coder-1\n---\nold\n")});
  auto after = build_index({item("1_story_a", Stage::Backlog,
                                 "---\nname: A\nblocked: true\ndepends_on: [2]\n---\nnew\n")});
  auto changes = diff_index(before, after);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].type, "item_changed");
  const auto& fields = changes[0].payload.at("fields").as_object();
  EXPECT_EQ(fields.size(), 4u);
  EXPECT_EQ(fields.at("blocked"), true);
  EXPECT_TRUE(fields.at("agent").is_null());
  EXPECT_EQ(fields.at("depends_on").as_array().size(), 1u);
  EXPECT_TRUE(fields.contains("body"));
  EXPECT_EQ(changes[0].payload.at("item").at("flags").at("blocked"), true);
}

}  // namespace
}  // namespace stork::engine
