// PermissionOps against a real agent pool: a held question is listed before the event that
// announces it, so a board that reads GET /api/permissions when /ws says "permission" finds it.
#include "ops/permission_ops.hpp"

#include <atomic>
#include <future>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include "../agents/pool_fixture.hpp"
#include "agents/agent_event.hpp"
#include "config/project_config.hpp"

namespace stork {
namespace {

using namespace std::chrono_literals;

class PermissionOpsTest : public testing::PoolTest {
 protected:
  // The agent "bot" asks: every question waits for a person.
  static std::shared_ptr<const ProjectConfig> asking_config() {
    auto config = std::make_shared<ProjectConfig>();
    AgentConfig bot;
    bot.name = "bot";
    bot.permission_mode = PermissionMode::Ask;
    config->agents.push_back(bot);
    return config;
  }
};

TEST_F(PermissionOpsTest, AQuestionIsListedBeforeItsRequestEventAnnouncesIt) {
  open_pool({{"bot", "coder", "echo started; sleep 30"}});
  add_item(Stage::Current, "5_story_asks");
  ASSERT_TRUE(start("5_story_asks", "bot").ok());
  // Shared with the pool's listener, which outlives this body until the pool goes.
  auto permissions = std::make_shared<ops::PermissionOps>(
      io_.get_executor(),
      ops::OpsServices{root(), nullptr, pool_.get(), [] { return asking_config(); },
                       io_.get_executor(), nullptr});
  struct Announced {
    std::atomic<bool> seen{false};
    std::promise<std::pair<std::string, bool>> listed;  // the id, and whether pending() had it
  };
  auto announced = std::make_shared<Announced>();

  // What a board does on the event: read the list at once.
  run(pool_->subscribe(
      [permissions, announced, this](const std::vector<agents::AgentEvent>& events) {
        for (const auto& event : events) {
          if (event.type != agents::event_type::kPermissionRequest) continue;
          if (announced->seen.exchange(true)) continue;
          const std::string id(boost::json::parse(event.payload).at("id").as_string());
          boost::asio::co_spawn(
              io_,
              [permissions, announced, id]() -> boost::asio::awaitable<void> {
                bool listed = false;
                for (const auto& pending : co_await permissions->pending())
                  listed = listed || pending.id == id;
                announced->listed.set_value({id, listed});
              },
              boost::asio::detached);
        }
      }));

  ops::PermissionQuestion question{"bot", "5_story_asks", "Bash", R"({"command":"make"})",
                                   "t1",  std::nullopt};
  auto asked = boost::asio::co_spawn(io_, permissions->ask(question), boost::asio::use_future);
  auto listed = announced->listed.get_future();
  ASSERT_EQ(listed.wait_for(10s), std::future_status::ready);
  const auto [id, was_listed] = listed.get();
  EXPECT_TRUE(was_listed) << "pending(), read when the event came, missed question " << id;

  auto decided = run(permissions->decide(id, ops::PermissionVerdict{true, false, ""}));
  ASSERT_TRUE(decided.ok());
  ASSERT_EQ(asked.wait_for(10s), std::future_status::ready);
  const auto answer = asked.get();
  EXPECT_TRUE(answer.allow);
  EXPECT_EQ(answer.decided_by, ops::DecidedBy::Person);
}

}  // namespace
}  // namespace stork
