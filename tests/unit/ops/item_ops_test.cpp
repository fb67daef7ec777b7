// ItemOps against a real pipeline on a real git project: each operation's typed answer, and its
// refusals as kinds and fields.
#include "ops/item_ops.hpp"

#include <boost/asio/thread_pool.hpp>
#include <gtest/gtest.h>

#include "../engine/pipeline_fixture.hpp"
#include "config/config_loader.hpp"

namespace stork::testing {
namespace {

using Kind = ops::OpError::Kind;

class ItemOpsTest : public PipelineTest {
 protected:
  void open() {
    open_pipeline({TestAgent{"helper", "other", "sleep 30"}});
    auto loaded = load_project_config(root() / ".storkit/project.toml");
    ASSERT_TRUE(loaded.ok());
    auto config = std::make_shared<const ProjectConfig>(loaded.value().config);
    items_ = std::make_unique<ops::ItemOps>(ops::OpsServices{root(), pipeline_.get(), pool_.get(),
                                                             [config] { return config; },
                                                             workers_.get_executor()});
  }

  boost::asio::thread_pool workers_{1};
  std::unique_ptr<ops::ItemOps> items_;
};

TEST_F(ItemOpsTest, CreateUpdateAndShow_AnswerTheItemAsSaved) {
  open();
  add_item(Stage::Done, "1_story_base");
  NewItem item;
  item.name = "Export CSV";
  item.criteria = {"writes a header", "quotes commas"};
  item.depends_on = {"1"};
  auto created = run(items_->create(item));
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(created.value().stage, Stage::Backlog);
  EXPECT_EQ(created.value().depends_on, std::vector<std::string>{"1_story_base"});
  const std::string id = created.value().id;

  ops::UpdateRequest update;
  update.patch.agent.emplace("helper");
  update.patch.manual_qa = true;
  auto updated = run(items_->update(id, update));
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  EXPECT_EQ(updated.value().agent, "helper");
  EXPECT_TRUE(updated.value().manual_qa);

  auto checked = run(items_->check_criterion(std::to_string(created.value().number), 1, true));
  ASSERT_TRUE(checked.ok());
  EXPECT_EQ(checked.value().criteria_checked, 1u);
  auto shown = run(items_->show(id));
  ASSERT_TRUE(shown.ok());
  EXPECT_TRUE(shown.value().criteria.at(1).checked);
}

TEST_F(ItemOpsTest, Refusals_AreTypedWithTheFacts) {
  open();
  add_item(Stage::Backlog, "2_story_waiting");
  NewItem unknown_agent;
  unknown_agent.name = "x";
  unknown_agent.agent = "nobody";
  auto refused = run(items_->create(unknown_agent));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, Kind::InvalidInput);
  EXPECT_EQ(refused.error().field, "agent");
  // Issue 15: the same words as the start path, listing the roster.
  EXPECT_EQ(refused.error().message,
            "no agent named 'nobody' in .storkit/project.toml (configured: helper)");
  ops::UpdateRequest reassign;
  reassign.patch.agent.emplace("ghost");
  auto edit = run(items_->update("2", reassign));
  ASSERT_FALSE(edit.ok());
  EXPECT_EQ(edit.error().message,
            "no agent named 'ghost' in .storkit/project.toml (configured: helper)");

  auto missing = run(items_->show("99"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, Kind::NotFound);

  auto unsafe = run(items_->block("../../etc/passwd", "x"));
  ASSERT_FALSE(unsafe.ok());
  EXPECT_EQ(unsafe.error().kind, Kind::InvalidId);

  auto no_criterion = run(items_->check_criterion("2", 3, true));
  ASSERT_FALSE(no_criterion.ok());
  EXPECT_EQ(no_criterion.error().kind, Kind::NotFound);
  EXPECT_EQ(no_criterion.error().field, "index");
  EXPECT_EQ(no_criterion.error().limit, 0u);

  auto not_in_qa = run(items_->approve_qa("2"));
  ASSERT_FALSE(not_in_qa.ok());
  EXPECT_EQ(not_in_qa.error().kind, Kind::WrongStage);
  EXPECT_EQ(not_in_qa.error().story, "2_story_waiting");

  ops::UpdateRequest nothing;
  auto empty = run(items_->update("2", nothing));
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().kind, Kind::InvalidInput);
}

// Issue 15: in a repository without a commit the item would become the first commit, alone.
TEST_F(ItemOpsTest, CreateInARepositoryWithNoCommitYet_IsRefusedAndWritesNothing) {
  open();
  std::filesystem::remove_all(root() / ".git");
  git(root(), {"init", "-q", "-b", "main"});
  NewItem item;
  item.name = "First thing";
  auto refused = run(items_->create(item));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, Kind::Conflict);
  EXPECT_EQ(refused.error().message,
            "the repository has no commit yet: commit your project first; `stork doctor` lists "
            "what is missing");
  std::error_code none;  // the directory may not exist: nothing written either way
  for (const auto& entry :
       std::filesystem::directory_iterator(root() / ".storkit/work/1_backlog", none))
    ADD_FAILURE() << "written: " << entry.path();
  EXPECT_EQ(git(root(), {"rev-list", "--all"}), "");
}

TEST_F(ItemOpsTest, BlockUnblockAndMove_AnswerTheStateAfterwards) {
  open();
  add_item(Stage::Backlog, "3_story_held");
  auto blocked = run(items_->block("3", "needs a decision"));
  ASSERT_TRUE(blocked.ok());
  EXPECT_TRUE(blocked.value().blocked);
  EXPECT_EQ(blocked.value().blocked_reason, "needs a decision");
  auto unblocked = run(items_->unblock("3_story_held"));
  ASSERT_TRUE(unblocked.ok());
  EXPECT_FALSE(unblocked.value().blocked);
  auto moved = run(items_->move("3", Stage::Archived));
  ASSERT_FALSE(moved.ok()) << "backlog → archived is not a legal move";
  EXPECT_EQ(moved.error().kind, Kind::WrongStage);
  EXPECT_EQ(moved.error().story, "3_story_held");
  auto listing = run(items_->list(Stage::Backlog, ops::ViewDepth::Summary));
  ASSERT_EQ(listing.items.size(), 1u);
  EXPECT_EQ(listing.items[0].id, "3_story_held");
}

}  // namespace
}  // namespace stork::testing
