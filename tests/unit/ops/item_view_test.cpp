// The pure half of the ops layer: the item view and its one JSON shape, id checks, edits and
// dependency resolution, asserted on typed fields (never on message text).
#include "ops/item_view.hpp"

#include <stdexcept>

#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include "ops/item_edits.hpp"
#include "ops/item_json.hpp"
#include "ops/item_lookup.hpp"
#include "support/temp_dir.hpp"
#include "work/stage_store.hpp"

namespace stork::ops {
namespace {

using Kind = OpError::Kind;

class OpsItems : public ::testing::Test {
 protected:
  void write(Stage stage, const std::string& id, const std::string& text) {
    testing::write_text(root() / ".storkit/work" / stage_dir_name(stage) / (id + ".md"), text);
  }
  std::filesystem::path root() const { return dir_.path(); }
  // The item, or the test fails with the look-up's reason (an exception fails a gtest test).
  WorkItem load(const std::string& id) {
    auto item = load_item(root(), id);
    if (!item.ok()) throw std::runtime_error("load_item(" + id + "): " + item.error().message);
    return std::move(item.value());
  }

  testing::TempDir dir_;
};

constexpr const char* kGreet =
    "---\nname: Greet\nagent: coder-1\nqa: human\nblocked: true\nretry_count: 2\n"
    "depends_on: [3]\ncustom: kept\n---\n\n## Acceptance Criteria\n\n"
    "- [ ] prints hello\n- [x] exits zero\n";

TEST_F(OpsItems, ViewOf_ReadsEveryFieldOnce) {
  write(Stage::Current, "7_story_greet", kGreet);
  const auto view = view_of(load("7"), root());
  EXPECT_EQ(view.id, "7_story_greet");
  EXPECT_EQ(view.number, 7);
  EXPECT_EQ(view.type, "story");
  EXPECT_EQ(view.slug, "greet");
  EXPECT_EQ(view.name, "Greet");
  EXPECT_EQ(view.stage, Stage::Current);
  EXPECT_EQ(view.path, ".storkit/work/2_current/7_story_greet.md");
  EXPECT_EQ(view.agent, "coder-1");
  EXPECT_EQ(view.qa, "human");
  EXPECT_TRUE(view.blocked);
  EXPECT_EQ(view.retry_count, 2);
  EXPECT_EQ(view.depends_on, std::vector<std::string>{"3"});
  ASSERT_EQ(view.criteria.size(), 2u);
  EXPECT_EQ(view.criteria_checked, 1u);
  ASSERT_EQ(view.front_matter.size(), 7u);
  EXPECT_EQ(view.front_matter.back().key, "custom");
  EXPECT_EQ(view.front_matter.back().type, FrontMatterEntry::Type::String);
  const auto summary = view_of(load("7"), root(), ViewDepth::Summary);
  EXPECT_TRUE(summary.front_matter.empty());
  EXPECT_TRUE(summary.body.empty());
}

TEST_F(OpsItems, Json_SummaryFieldsAreTheDetailsFirstFieldsWithTheSameValues) {
  write(Stage::Backlog, "7_story_greet", kGreet);
  const auto summary = item_summary_json(view_of(load("7"), root(), ViewDepth::Summary));
  const auto detail = item_detail_json(view_of(load("7"), root()));
  const std::vector<std::string> names{"id",          "number",         "type",
                                       "slug",        "name",           "stage",
                                       "path",        "agent",          "qa",
                                       "manual_qa",   "blocked",        "blocked_reason",
                                       "review_hold", "merge_failure",  "retry_count",
                                       "depends_on",  "criteria_total", "criteria_checked"};
  ASSERT_EQ(summary.size(), names.size());
  for (const auto& name : names) {
    ASSERT_TRUE(summary.contains(name)) << name;
    EXPECT_EQ(boost::json::serialize(summary.at(name)), boost::json::serialize(detail.at(name)))
        << name;
  }
  for (const char* extra :
       {"criteria", "front_matter", "front_matter_keys", "body", "problems", "actions"})
    EXPECT_TRUE(detail.contains(extra)) << extra;
  EXPECT_EQ(detail.at("front_matter").at("blocked"), true);
  EXPECT_EQ(detail.at("front_matter").at("retry_count"), 2);
  EXPECT_EQ(detail.at("front_matter").at("depends_on").as_array().size(), 1u);
  EXPECT_EQ(detail.at("criteria").as_array().at(1).at("checked"), true);
}

TEST_F(OpsItems, CheckStoryId_RefusesUnsafeIdsBeforeAnyFileAccess) {
  for (const char* bad : {"../etc/passwd", "0", "000", "", "1_story_x/../../y", "a\nb"}) {
    auto id = check_story_id(bad);
    ASSERT_FALSE(id.ok()) << bad;
    EXPECT_EQ(id.error().kind, Kind::InvalidId) << bad;
  }
  EXPECT_EQ(check_story_id("42").value(), "42");
  EXPECT_EQ(check_story_id("42_story_login").value(), "42_story_login");
}

TEST_F(OpsItems, LoadItem_NotFoundAndMalformedAreTyped) {
  write(Stage::Backlog, "5_story_bad", "---\nname: [unclosed\n---\n");
  auto missing = load_item(root(), "9");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, Kind::NotFound);
  EXPECT_EQ(missing.error().story, "9");
  auto malformed = load_item(root(), "5");
  ASSERT_FALSE(malformed.ok());
  EXPECT_EQ(malformed.error().kind, Kind::Malformed);
  EXPECT_EQ(malformed.error().story, "5_story_bad");
}

TEST_F(OpsItems, SetCriterion_OutOfRangeNamesTheFieldAndTheCount) {
  write(Stage::Current, "7_story_greet", kGreet);
  auto item = load("7");
  ASSERT_TRUE(set_criterion(item, 0, true).ok());
  EXPECT_EQ(view_of(item, root()).criteria_checked, 2u);
  auto refused = set_criterion(item, 5, true);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, Kind::NotFound);
  EXPECT_EQ(refused.error().field, "index");
  EXPECT_EQ(refused.error().limit, 2u);
  EXPECT_EQ(refused.error().story, "7_story_greet");
}

TEST_F(OpsItems, BlockAndClearBlock_WriteAndRemoveTheFlags) {
  write(Stage::Current, "7_story_greet", kGreet);
  auto item = load("7");
  block(item, "waiting for the API key");
  EXPECT_EQ(item.blocked_reason(), "waiting for the API key");
  item.set_merge_failure(std::string("conflict in a.txt"));
  clear_block(item);
  EXPECT_FALSE(item.blocked());
  EXPECT_FALSE(item.blocked_reason());
  EXPECT_FALSE(item.merge_failure());
  EXPECT_EQ(item.retry_count(), 0);
  EXPECT_EQ(item.document.get_string("custom"), "kept");
}

TEST_F(OpsItems, ItemPatch_SetsRemovesAndLeavesFields) {
  write(Stage::Backlog, "7_story_greet", kGreet);
  auto item = load("7");
  ItemPatch patch;
  patch.name.emplace("Greet loudly");
  patch.agent.emplace();       // null: remove
  patch.depends_on.emplace();  // empty: remove
  patch.manual_qa = true;
  patch.apply(item);
  EXPECT_EQ(item.name(), "Greet loudly");
  EXPECT_FALSE(item.agent());
  EXPECT_TRUE(item.depends_on().empty());
  EXPECT_TRUE(item.manual_qa());
  EXPECT_EQ(item.qa(), QaMode::Human);  // not mentioned: left alone
  EXPECT_TRUE(ItemPatch{}.empty());
}

TEST_F(OpsItems, ResolveDependencies_FullIdsOrATypedRefusalOnDependsOn) {
  write(Stage::Done, "3_story_base", "---\nname: Base\n---\n");
  write(Stage::Backlog, "7_story_greet", kGreet);
  auto resolved = resolve_dependencies(root(), "7_story_greet", {"3"});
  ASSERT_TRUE(resolved.ok());
  EXPECT_EQ(resolved.value(), std::vector<std::string>{"3_story_base"});
  auto unknown = resolve_dependencies(root(), "7_story_greet", {"42"});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().kind, Kind::InvalidInput);
  EXPECT_EQ(unknown.error().field, "depends_on");
  auto itself = resolve_dependencies(root(), "7_story_greet", {"7"});
  ASSERT_FALSE(itself.ok());
  EXPECT_EQ(itself.error().field, "depends_on");
  auto unsafe = resolve_dependencies(root(), "", {"../x"});
  ASSERT_FALSE(unsafe.ok());
  EXPECT_EQ(unsafe.error().kind, Kind::InvalidId);
  EXPECT_EQ(unsafe.error().field, "depends_on");
}

TEST_F(OpsItems, CheckAgent_OnlyRosterNames) {
  ProjectConfig config;
  AgentConfig coder;
  coder.name = "coder-1";
  config.agents.push_back(coder);
  EXPECT_TRUE(check_agent(&config, "agent", "coder-1").ok());
  auto refused = check_agent(&config, "agent", "nobody");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, Kind::InvalidInput);
  EXPECT_EQ(refused.error().field, "agent");
  EXPECT_TRUE(check_agent(nullptr, "agent", "anyone").ok());
}

}  // namespace
}  // namespace stork::ops
