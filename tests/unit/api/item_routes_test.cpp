// POST /api/items, GET and PATCH /api/items/{id}, GET /api/items/{id}/timeline, and the checks
// every route applies to ids and bodies: over real sockets against a real project.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "api_fixture.hpp"
#include "support/git_fixture.hpp"
#include "work/stage_store.hpp"

namespace stork::testing {
namespace {

using ::testing::HasSubstr;

class ItemRoutes : public ApiTest {};

TEST_F(ItemRoutes, CreateItem_Returns201WithTheItemInTheBacklogCommitted) {
  start_api();
  auto created = post("/api/items", R"({"type":"bug","name":"Login fails",
      "description":"It crashes","acceptance_criteria":["no crash","a test"],"qa":"human"})");
  ASSERT_EQ(created.status, 201u) << created.body;
  const auto& item = created.object();
  EXPECT_EQ(item.at("id"), "1_bug_login_fails");
  EXPECT_EQ(item.at("stage"), "backlog");
  EXPECT_EQ(item.at("qa"), "human");
  EXPECT_EQ(item.at("criteria").as_array().size(), 2u);
  EXPECT_EQ(item.at("criteria").as_array()[1].at("text"), "a test");
  EXPECT_EQ(item.at("path"), ".storkit/work/1_backlog/1_bug_login_fails.md");
  EXPECT_EQ(stage_of("1_bug_login_fails"), Stage::Backlog);
  EXPECT_EQ(git(root(), {"log", "-1", "--format=%s"}), "storkit: create 1_bug_login_fails\n");
}

TEST_F(ItemRoutes, CreateItem_RefusesBadJsonWrongTypesUnknownFieldsAndAgents) {
  start_api();
  auto broken = post("/api/items", R"({"name": )");
  EXPECT_EQ(broken.status, 400u);
  EXPECT_EQ(broken.error_code(), "invalid_json");
  EXPECT_THAT(broken.body, HasSubstr("offset"));
  EXPECT_EQ(post("/api/items", "[1,2]").error_code(), "invalid_json");

  const std::pair<const char*, const char*> cases[] = {
      {R"({"name":5})", "'name'"},
      {R"({"name":""})", "'name'"},
      {R"({})", "'name'"},
      {R"({"name":"x","acceptance_criteria":"one"})", "'acceptance_criteria'"},
      {R"({"name":"x","acceptance_criteria":[1]})", "'acceptance_criteria'"},
      {R"({"name":"x","type":"epic"})", "'type'"},
      {R"({"name":"x","qa":"sometimes"})", "'qa'"},
      {R"({"name":"x","agent":"ghost"})", "no agent named 'ghost'"},
      {R"({"name":"x","depends_on":["../etc"]})", "'depends_on'"},
      {R"({"name":"x","colour":"red"})", "'colour': unknown field"},
  };
  for (const auto& [body, expected] : cases) {
    auto reply = post("/api/items", body);
    EXPECT_EQ(reply.status, 400u) << body;
    EXPECT_EQ(reply.error_code(), "invalid_field") << body;
    EXPECT_THAT(reply.body, HasSubstr(expected)) << body;
  }
  // A dependency that names no item is the pipeline's refusal, still a 400.
  auto unknown = post("/api/items", R"({"name":"x","depends_on":["77"]})");
  EXPECT_EQ(unknown.status, 400u) << unknown.body;
  EXPECT_TRUE(StageStore(root()).load_all().items.empty());
}

TEST_F(ItemRoutes, GetItem_ReturnsFieldsFrontMatterBodyAndCriteriaByIdOrNumber) {
  start_api();
  add_item(Stage::Current, "4_story_export",
           "agent: watcher\nretry_count: 1\ndepends_on: [1, 2]\ncustom: kept\n");
  write_text(dir_ / ".storkit/work/2_current/4_story_export.md",
             "---\nname: Export\nagent: watcher\nretry_count: 1\ndepends_on: [1, 2]\n"
             "custom: kept\n---\n# Export\n\n## Acceptance Criteria\n- [x] csv\n- [ ] xlsx\n");
  for (const char* id : {"4_story_export", "4"}) {
    auto reply = get(std::string("/api/items/") + id);
    ASSERT_EQ(reply.status, 200u) << reply.body;
    const auto& item = reply.object();
    EXPECT_EQ(item.at("id"), "4_story_export");
    EXPECT_EQ(item.at("stage"), "current");
    EXPECT_EQ(item.at("agent"), "watcher");
    EXPECT_EQ(item.at("retry_count"), 1);
    EXPECT_EQ(item.at("criteria_checked"), 1);
    EXPECT_EQ(item.at("criteria").as_array()[0].at("checked"), true);
    EXPECT_EQ(item.at("front_matter").at("custom"), "kept");
    EXPECT_EQ(item.at("front_matter").at("retry_count"), 1);
    EXPECT_EQ(item.at("front_matter").at("depends_on").as_array().size(), 2u);
    EXPECT_THAT(std::string(item.at("body").as_string()), HasSubstr("- [ ] xlsx"));
    EXPECT_EQ(item.at("path"), ".storkit/work/2_current/4_story_export.md");
  }
}

TEST_F(ItemRoutes, GetTimeline_AnswersTheItemsJournalInOrderAndTheLegalActions) {
  start_api();
  auto created = post("/api/items", R"({"name":"Timeline me","acceptance_criteria":["x"]})");
  ASSERT_EQ(created.status, 201u) << created.body;
  EXPECT_EQ(created.object().at("actions").at("start"), true);
  ASSERT_EQ(post("/api/items/1/block", R"({"reason":"waiting for a person"})").status, 200u);
  ASSERT_EQ(post("/api/items/1/unblock").status, 200u);
  auto reply = get("/api/items/1/timeline");
  ASSERT_EQ(reply.status, 200u) << reply.body;
  EXPECT_EQ(reply.object().at("story"), "1_story_timeline_me");
  std::vector<std::string> kinds;
  for (const auto& entry : reply.object().at("entries").as_array())
    kinds.emplace_back(entry.at("kind").as_string());
  EXPECT_EQ(kinds, (std::vector<std::string>{"created", "blocked", "unblocked"}));
  const auto& blocked = reply.object().at("entries").as_array()[1].as_object();
  EXPECT_EQ(blocked.at("title"), "blocked: waiting for a person");
  EXPECT_EQ(blocked.at("failure"), true);
  EXPECT_TRUE(blocked.at("run_id").is_null());
  EXPECT_EQ(get("/api/items/42/timeline").status, 404u);
  EXPECT_EQ(get("/api/items/1_story_../timeline").error_code(), "invalid_id");
}

TEST_F(ItemRoutes, Ids_UnsafeOnesAre400AndUnknownOnes404OnEveryItemRoute) {
  start_api();
  add_item(Stage::Backlog, "1_story_real");
  for (const char* target :
       {"/api/items/..%2F..%2Fetc", "/api/items/1_story_..", "/api/items/x%00y",
        "/api/items/1_story_a%20b", "/api/items/99999999999999999999"}) {
    auto reply = get(target);
    EXPECT_EQ(reply.status, 400u) << target << " " << reply.body;
  }
  EXPECT_EQ(get("/api/items/1_story_..").error_code(), "invalid_id");
  EXPECT_EQ(get("/api/items/99999999999999999999").error_code(), "invalid_id");
  EXPECT_EQ(post("/api/items/..%2Fx/block", "{}").status, 400u);
  EXPECT_EQ(post("/api/items/a..b/move", R"({"stage":"current"})").error_code(), "invalid_id");
  for (const char* target : {"/api/items/42", "/api/items/2_story_real"}) {
    auto reply = get(target);
    EXPECT_EQ(reply.status, 404u) << target;
    EXPECT_EQ(reply.error_code(), "not_found");
  }
  EXPECT_EQ(post("/api/items/42/unblock").status, 404u);
  EXPECT_EQ(call("PATCH", "/api/items/42", R"({"name":"x"})").status, 404u);
  EXPECT_EQ(get("/api/items/42/diff").status, 404u);
  auto unknown_route = get("/api/nothing/here");
  EXPECT_EQ(unknown_route.status, 404u);
  EXPECT_EQ(unknown_route.error_code(), "not_found");
}

TEST_F(ItemRoutes, PatchItem_ChangesNameAgentQaAndDependenciesAndNullRemoves) {
  start_api();
  add_item(Stage::Backlog, "1_story_base");
  add_item(Stage::Backlog, "2_story_edit", "qa: agent\ncustom: kept  # a comment\n");
  auto patched = call("PATCH", "/api/items/2",
                      R"({"name":"Edited","agent":"watcher","depends_on":["1"],"qa":null})");
  ASSERT_EQ(patched.status, 200u) << patched.body;
  EXPECT_EQ(patched.object().at("name"), "Edited");
  EXPECT_EQ(patched.object().at("agent"), "watcher");
  EXPECT_EQ(patched.object().at("qa"), nullptr);
  EXPECT_EQ(patched.object().at("depends_on").as_array().size(), 1u);
  const auto text = front_matter("2_story_edit");
  EXPECT_THAT(text, HasSubstr("custom: kept  # a comment"));
  EXPECT_THAT(text, ::testing::Not(HasSubstr("qa:")));
  EXPECT_TRUE(eventually([&] { return has_event("2_story_edit", "item_changed"); }));
}

TEST_F(ItemRoutes, PatchItem_RefusesWrongTypesUnknownAgentsAndEmptyPatches) {
  start_api();
  add_item(Stage::Backlog, "1_story_edit");
  const auto before = front_matter("1_story_edit");
  const std::pair<const char*, const char*> cases[] = {
      {R"({"name":7})", "invalid_field"},       {R"({"agent":"ghost"})", "invalid_field"},
      {R"({"qa":"maybe"})", "invalid_field"},   {R"({"depends_on":"1"})", "invalid_field"},
      {R"({"stage":"done"})", "invalid_field"}, {R"({})", "invalid_input"},
      {R"({"name":"x",})", "invalid_json"},
  };
  for (const auto& [body, code] : cases) {
    auto reply = call("PATCH", "/api/items/1", body);
    EXPECT_EQ(reply.status, 400u) << body;
    EXPECT_EQ(reply.error_code(), code) << body;
  }
  EXPECT_EQ(front_matter("1_story_edit"), before);
}

}  // namespace
}  // namespace stork::testing
