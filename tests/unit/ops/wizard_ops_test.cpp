// WizardOps against a real pipeline on a real git project: the template path end to end (files
// written, the gate run before its confirm, `storkit: setup` committed), drafts by a roster
// agent that sees the feedback, the state surviving a new WizardOps on the same state.db, and
// the refusals (no draft, a settled step, out of order, a changed file, a failing agent) as
// kinds with nothing written.
#include "ops/wizard_ops.hpp"

#include <fstream>
#include <sstream>

#include <boost/asio/thread_pool.hpp>
#include <gtest/gtest.h>

#include "../engine/pipeline_fixture.hpp"
#include "config/config_loader.hpp"

namespace stork::testing {
namespace {

using Kind = ops::OpError::Kind;
using ops::WizardStep;
using ops::WizardStepState;

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

class WizardOpsTest : public PipelineTest {
 protected:
  void open(std::vector<TestAgent> agents = {}, const std::string& extra = "") {
    write_file(root() / "README.md",
               "# Tern\n\nTern counts seabirds from drone photographs.\n\n## Build\n");
    open_pipeline(std::move(agents), extra);
    auto loaded = load_project_config(root() / ".storkit/project.toml");
    ASSERT_TRUE(loaded.ok());
    config_ = std::make_shared<const ProjectConfig>(loaded.value().config);
    make_wizard();
  }
  void make_wizard() {
    ops::WizardDrafter drafter = [pool = pool_.get()](ops::WizardDraftRequest request)
        -> boost::asio::awaitable<Result<std::string, std::string>> {
      agents::OneShotRequest one_shot{request.agent, request.cwd, request.prompt};
      auto answer = co_await pool->run_once(one_shot);
      co_return answer;
    };
    wizard_ = std::make_unique<ops::WizardOps>(
        io_.get_executor(),
        ops::OpsServices{root(), pipeline_.get(), pool_.get(),
                         [config = config_] { return config; }, workers_.get_executor()},
        drafter);
  }
  const ops::WizardStepRecord& step(const ops::WizardStatus& status, WizardStep which) {
    return status.steps[static_cast<std::size_t>(which)];
  }
  ops::WizardStatus ok(ops::OpResult<ops::WizardStatus> result) {
    EXPECT_TRUE(result.ok()) << result.error().message;
    return result.ok() ? result.value() : ops::WizardStatus{};
  }

  boost::asio::thread_pool workers_{1};
  std::shared_ptr<const ProjectConfig> config_;
  std::unique_ptr<ops::WizardOps> wizard_;
};

TEST_F(WizardOpsTest, TemplatePath_WritesEachStepRunsTheGateAndCommitsSetup) {
  open();
  auto status = ok(run(wizard_->status()));
  ASSERT_EQ(status.current, WizardStep::Context);
  EXPECT_TRUE(status.specs_missing);

  status = ok(run(wizard_->generate("")));
  const auto& context = step(status, WizardStep::Context);
  EXPECT_EQ(context.state, WizardStepState::Drafted);
  EXPECT_EQ(context.source, "template");
  EXPECT_NE(context.draft.find("Tern counts seabirds from drone photographs."), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(root() / ".storkit/specs/00_CONTEXT.md"));
  status = ok(run(wizard_->confirm("context", false, std::nullopt)));
  EXPECT_EQ(read_text(root() / ".storkit/specs/00_CONTEXT.md"), context.draft);
  EXPECT_FALSE(status.specs_missing);

  ok(run(wizard_->generate("stack")));
  status = ok(run(wizard_->confirm("", false, std::nullopt)));
  EXPECT_TRUE(std::filesystem::exists(root() / ".storkit/specs/tech/STACK.md"));
  ASSERT_EQ(status.current, WizardStep::Gate);

  // The gate's draft runs when drafted; an edited script runs again before its confirm.
  status = ok(run(wizard_->generate("gate")));
  ASSERT_TRUE(step(status, WizardStep::Gate).gate.has_value());
  const std::string script = "#!/bin/sh\necho wizard-gate-ran in \"$(basename \"$PWD\")\"\n";
  status = ok(run(wizard_->edit("gate", script)));
  const auto& gate = step(status, WizardStep::Gate);
  ASSERT_TRUE(gate.gate.has_value());
  EXPECT_TRUE(gate.gate->passed) << gate.gate->outcome << gate.gate->output;
  EXPECT_NE(gate.gate->output.find("wizard-gate-ran in " + root().filename().string()),
            std::string::npos)
      << gate.gate->output;
  EXPECT_FALSE(std::filesystem::exists(root() / "script/.wizard-draft-test"));
  ok(run(wizard_->confirm("gate", false, std::nullopt)));
  EXPECT_EQ(read_text(root() / "script/test"), script);
  const auto perms = std::filesystem::status(root() / "script/test").permissions();
  EXPECT_NE(perms & std::filesystem::perms::owner_exec, std::filesystem::perms::none);

  ok(run(wizard_->skip("components")));
  status = ok(run(wizard_->generate("agents")));
  EXPECT_NE(step(status, WizardStep::Agents).draft.find("[[agent]]"), std::string::npos);
  status = ok(run(wizard_->confirm("agents", false, std::nullopt)));

  EXPECT_FALSE(status.current.has_value());
  ASSERT_TRUE(status.setup_commit.has_value());
  EXPECT_FALSE(status.setup_commit->empty());
  EXPECT_EQ(git(root(), {"log", "-1", "--format=%s"}), "storkit: setup\n");
  const auto files = git(root(), {"show", "--name-only", "--format=", "HEAD"});
  for (const char* path : {".storkit/specs/00_CONTEXT.md", ".storkit/specs/tech/STACK.md",
                           "script/test", ".storkit/project.toml"})
    EXPECT_NE(files.find(path), std::string::npos) << files;
  auto roster = load_project_config(root() / ".storkit/project.toml");
  ASSERT_TRUE(roster.ok());
  EXPECT_NE(roster.value().config.find_agent("coder-1"), nullptr);
}

TEST_F(WizardOpsTest, BadInput_IsRefusedWithTheKindAndNothingWritten) {
  open();
  auto no_draft = run(wizard_->confirm("context", false, std::nullopt));
  ASSERT_FALSE(no_draft.ok());
  EXPECT_EQ(no_draft.error().kind, Kind::Conflict);
  EXPECT_FALSE(std::filesystem::exists(root() / ".storkit/specs/00_CONTEXT.md"));

  auto unknown = run(wizard_->generate("bogus"));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().kind, Kind::InvalidInput);
  EXPECT_EQ(unknown.error().field, "step");

  auto out_of_order = run(wizard_->generate("gate"));
  ASSERT_FALSE(out_of_order.ok());
  EXPECT_EQ(out_of_order.error().kind, Kind::Conflict);

  ok(run(wizard_->generate("context")));
  auto no_feedback = run(wizard_->retry("context", "  "));
  ASSERT_FALSE(no_feedback.ok());
  EXPECT_EQ(no_feedback.error().field, "feedback");
  ok(run(wizard_->confirm("context", false, std::nullopt)));
  auto settled = run(wizard_->retry("context", "shorter"));
  ASSERT_FALSE(settled.ok());
  EXPECT_EQ(settled.error().kind, Kind::Conflict);

  // A components draft holding anything but [[component]] tables never reaches project.toml.
  ok(run(wizard_->skip("stack")));
  ok(run(wizard_->skip("gate")));
  ok(run(wizard_->generate("components")));
  const auto before = read_text(root() / ".storkit/project.toml");
  ok(run(wizard_->edit("components", "max_coders = 99\n")));
  auto invalid = run(wizard_->confirm("components", false, std::nullopt));
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.error().kind, Kind::InvalidInput);
  EXPECT_EQ(invalid.error().field, "draft");
  EXPECT_EQ(read_text(root() / ".storkit/project.toml"), before);
}

TEST_F(WizardOpsTest, Confirm_RefusesAFileChangedSinceTheDraftUnlessOverwrite) {
  open();
  ok(run(wizard_->generate("context")));
  write_file(root() / ".storkit/specs/00_CONTEXT.md", "# Mine\n");
  auto refused = run(wizard_->confirm("context", false, std::nullopt));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, Kind::Conflict);
  EXPECT_EQ(read_text(root() / ".storkit/specs/00_CONTEXT.md"), "# Mine\n");
  auto replaced = ok(run(wizard_->confirm("context", true, std::nullopt)));
  EXPECT_EQ(read_text(root() / ".storkit/specs/00_CONTEXT.md"),
            step(replaced, WizardStep::Context).draft);
}

TEST_F(WizardOpsTest, State_SurvivesANewWizardOnTheSameDatabase) {
  open();
  ok(run(wizard_->generate("context")));
  ok(run(wizard_->confirm("context", false, std::nullopt)));
  auto drafted = ok(run(wizard_->generate("stack")));
  wizard_.reset();
  make_wizard();
  auto resumed = ok(run(wizard_->status()));
  EXPECT_EQ(resumed.current, WizardStep::Stack);
  EXPECT_EQ(step(resumed, WizardStep::Context).state, WizardStepState::Confirmed);
  EXPECT_EQ(step(resumed, WizardStep::Stack).draft, step(drafted, WizardStep::Stack).draft);
  ok(run(wizard_->confirm("stack", false, std::nullopt)));
}

TEST_F(WizardOpsTest, AgentDraft_SeesTheFeedbackOfARetry) {
  // The drafter answers with the line of its prompt that carries the feedback, if any.
  open({TestAgent{"drafter", "other",
                  "echo '# Context by the agent'; "
                  "printf '%s\\n' \"$STORK_PROMPT\" | grep -A1 '<feedback>' | tail -n 1"}},
       "[wizard]\nagent = \"drafter\"\n");
  auto first = ok(run(wizard_->generate("context")));
  EXPECT_EQ(step(first, WizardStep::Context).source, "agent:drafter");
  EXPECT_EQ(step(first, WizardStep::Context).draft, "# Context by the agent\n");
  auto second = ok(run(wizard_->retry("context", "mention the drones")));
  EXPECT_EQ(step(second, WizardStep::Context).draft,
            "# Context by the agent\nmention the drones\n");
  EXPECT_EQ(step(second, WizardStep::Context).feedback, "mention the drones");
}

TEST_F(WizardOpsTest, AgentFailingMidDraft_LeavesTheStepAndTheFilesAlone) {
  open({TestAgent{"drafter", "other", "echo '# half a draft'; exit 3"}},
       "[wizard]\nagent = \"drafter\"\n");
  auto failed = run(wizard_->generate("context"));
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().kind, Kind::Failed);
  EXPECT_NE(failed.error().message.find("drafter"), std::string::npos);
  auto status = ok(run(wizard_->status()));
  EXPECT_EQ(step(status, WizardStep::Context).state, WizardStepState::Pending);
  EXPECT_FALSE(std::filesystem::exists(root() / ".storkit/specs/00_CONTEXT.md"));
}

}  // namespace
}  // namespace stork::testing
