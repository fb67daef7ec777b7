// stork doctor on real repositories: a ready project passes, and each setup mistake a newcomer
// meets (issue 15) is an error that names the problem and its fix.
#include "ops/doctor.hpp"

#include <cstdlib>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/config_loader.hpp"
#include "support/git_fixture.hpp"
#include "support/temp_dir.hpp"

namespace stork::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Level = ops::DoctorFinding::Level;

constexpr const char* kCommandAgents = R"(
[[agent]]
name = "coder-1"
stage = "coder"
runtime = "command"
command = "/bin/sh"
[[agent]]
name = "coder-2"
stage = "coder"
runtime = "command"
command = "/bin/sh"
)";

class Doctor : public ::testing::Test {
 protected:
  Doctor() {
    // The user's global git config must not supply an identity the test removes.
    setenv("HOME", (dir_ / "home").c_str(), 1);  // NOLINT(concurrency-mt-unsafe)
    setenv("GIT_CONFIG_NOSYSTEM", "1", 1);       // NOLINT(concurrency-mt-unsafe)
    unsetenv("GIT_AUTHOR_NAME");                 // NOLINT(concurrency-mt-unsafe)
    unsetenv("GIT_AUTHOR_EMAIL");                // NOLINT(concurrency-mt-unsafe)
    init_repo(root());
    write_project_files(root(), "#!/bin/sh\nexit 0\n");
  }

  std::filesystem::path root() const { return dir_ / "repo"; }

  // Writes project.toml (and commits everything unless told not to), then runs the doctor.
  ops::DoctorReport diagnose(const std::string& toml = kCommandAgents, bool commit = true) {
    write_text(root() / ".storkit/project.toml", toml);
    if (commit) {
      git(root(), {"add", "-A"});
      git(root(), {"commit", "-qm", "setup"});
    }
    auto config = load_project_config(root() / ".storkit/project.toml");
    EXPECT_TRUE(config.ok());
    return ops::run_doctor(root(), config.ok() ? config.value().config : ProjectConfig{});
  }

  static std::vector<ops::DoctorFinding> errors(const ops::DoctorReport& report) {
    std::vector<ops::DoctorFinding> found;
    for (const auto& finding : report.findings)
      if (finding.level == Level::Error) found.push_back(finding);
    return found;
  }

  TempDir dir_;
};

TEST_F(Doctor, ReadyProjectHasNoErrors) {
  auto report = diagnose();
  EXPECT_FALSE(report.has_errors()) << ops::render_doctor(report);
  EXPECT_THAT(ops::render_doctor(report), HasSubstr("doctor: ready"));
}

TEST_F(Doctor, MissingGitIdentityIsNamedWithTheCommandsToSetIt) {
  auto report = diagnose();
  git(root(), {"config", "--unset", "user.name"});
  git(root(), {"config", "--unset", "user.email"});
  auto config = load_project_config(root() / ".storkit/project.toml");
  ASSERT_TRUE(config.ok());
  report = ops::run_doctor(root(), config.value().config);
  auto found = errors(report);
  ASSERT_EQ(found.size(), 1U) << ops::render_doctor(report);
  EXPECT_EQ(found[0].check, "git identity");
  EXPECT_THAT(found[0].fix, HasSubstr("git config --global user.name"));
  EXPECT_THAT(found[0].fix, HasSubstr("user.email"));
}

TEST_F(Doctor, BaseBranchThatDoesNotExistListsTheBranches) {
  auto report = diagnose(std::string("base_branch = \"master\"\n") + kCommandAgents);
  auto found = errors(report);
  ASSERT_EQ(found.size(), 1U) << ops::render_doctor(report);
  EXPECT_EQ(found[0].check, "base branch");
  EXPECT_THAT(found[0].message, HasSubstr("'master'"));
  EXPECT_THAT(found[0].message, HasSubstr("branches: main"));
}

TEST_F(Doctor, UncommittedSetupAndGateAreErrors) {
  auto report = diagnose(kCommandAgents, /*commit=*/false);
  auto text = ops::render_doctor(report);
  EXPECT_THAT(text, HasSubstr(".storkit/project.toml is not committed on main"));
  EXPECT_THAT(text, HasSubstr("script/test is not committed on main (it exists, uncommitted)"));
  EXPECT_EQ(errors(report).size(), 2U) << text;
}

// Issue 15: all of .storkit/ that git tracks is checked, not project.toml alone; the ignored
// runtime state (2_current, logs, state.db) is not.
TEST_F(Doctor, UncommittedAndUntrackedSetupFilesAreNamedAndIgnoredStateIsNot) {
  write_text(root() / ".storkit/work/1_backlog/1_story_a.md", "---\nname: A\n---\n");
  write_text(root() / ".mcp.json", "{}\n");
  auto clean = diagnose();
  EXPECT_THAT(ops::render_doctor(clean), HasSubstr("setup clean: nothing uncommitted"));
  write_text(root() / ".storkit/specs/tech.md", "# Tech\n");
  write_text(root() / ".storkit/work/1_backlog/1_story_a.md", "---\nname: A, renamed\n---\n");
  write_text(root() / ".storkit/work/6_archived/2_story_b.md", "---\nname: B\n---\n");
  write_text(root() / ".mcp.json", "{\"mcpServers\": {}}\n");
  write_text(root() / ".storkit/work/2_current/3_story_c.md", "---\nname: C\n---\n");
  write_text(root() / ".storkit/logs/run.log", "x\n");
  write_text(root() / ".storkit/state.db", "x");
  auto config = load_project_config(root() / ".storkit/project.toml");
  ASSERT_TRUE(config.ok());
  auto report = ops::run_doctor(root(), config.value().config);
  EXPECT_FALSE(report.has_errors()) << ops::render_doctor(report);
  const ops::DoctorFinding* found = nullptr;
  for (const auto& finding : report.findings)
    if (finding.check == "setup clean") found = &finding;
  ASSERT_NE(found, nullptr) << ops::render_doctor(report);
  EXPECT_EQ(found->level, Level::Warning);
  EXPECT_THAT(found->message, HasSubstr("4 file(s) of the setup not committed"));
  EXPECT_THAT(found->message, HasSubstr(".storkit/specs/tech.md (untracked)"));
  EXPECT_THAT(found->message, HasSubstr(".storkit/work/1_backlog/1_story_a.md (uncommitted)"));
  EXPECT_THAT(found->message, HasSubstr(".storkit/work/6_archived/2_story_b.md (untracked)"));
  EXPECT_THAT(found->message, HasSubstr(".mcp.json (uncommitted)"));
  EXPECT_THAT(found->message, Not(HasSubstr("2_current")));
  EXPECT_THAT(found->message, Not(HasSubstr("logs")));
  EXPECT_THAT(found->message, Not(HasSubstr("state.db")));
  EXPECT_THAT(found->fix, ::testing::StartsWith("git add '"));
  EXPECT_THAT(found->fix, HasSubstr(" '.storkit/specs/tech.md' "));
  EXPECT_THAT(found->fix, ::testing::EndsWith(" && git commit -m 'storkit: setup'"));
}

TEST_F(Doctor, GateCommittedWithoutItsExecutableBitIsAnError) {
  std::filesystem::permissions(root() / "script/test", std::filesystem::perms::owner_read |
                                                           std::filesystem::perms::owner_write);
  auto report = diagnose();
  auto found = errors(report);
  ASSERT_EQ(found.size(), 1U) << ops::render_doctor(report);
  EXPECT_THAT(found[0].message, HasSubstr("without its executable bit"));
  EXPECT_THAT(found[0].fix, HasSubstr("git update-index --chmod=+x script/test"));
}

TEST_F(Doctor, MissingAgentProgramIsOneErrorNamingEveryAgentThatUsesIt) {
  std::string toml = kCommandAgents;
  for (auto at = toml.find("/bin/sh"); at != std::string::npos; at = toml.find("/bin/sh"))
    toml.replace(at, 7, "no-such-agent-cli");
  auto report = diagnose(toml);
  auto found = errors(report);
  ASSERT_EQ(found.size(), 1U) << ops::render_doctor(report);
  EXPECT_EQ(found[0].check, "command agent coder-1, coder-2");
  EXPECT_THAT(found[0].message, HasSubstr("'no-such-agent-cli' is not an executable"));
}

TEST_F(Doctor, ClaudeCodeAgentsRunTheirProgramWithVersion) {
  // A stand-in `claude` that answers --version proves the program is run, not only found.
  write_text(dir_ / "bin/claude", "#!/bin/sh\necho \"9.9.9 (Claude Code)\"\n");
  std::filesystem::permissions(dir_ / "bin/claude", std::filesystem::perms::owner_all);
  write_text(dir_ / "bin/broken", "#!/bin/sh\necho 'missing library' >&2\nexit 3\n");
  std::filesystem::permissions(dir_ / "bin/broken", std::filesystem::perms::owner_all);
  const std::string toml = "[[agent]]\nname = \"coder-1\"\nstage = \"coder\"\ncommand = \"" +
                           (dir_ / "bin/claude").string() +
                           "\"\nallowed_tools = [\"Bash\"]\n[[agent]]\nname = \"qa\"\n"
                           "stage = \"qa\"\ncommand = \"" +
                           (dir_ / "bin/broken").string() + "\"\n";
  auto report = diagnose(toml);
  auto text = ops::render_doctor(report);
  EXPECT_THAT(text, HasSubstr("9.9.9 (Claude Code)"));
  auto found = errors(report);
  ASSERT_EQ(found.size(), 1U) << text;
  EXPECT_THAT(found[0].message, HasSubstr("--version failed: exit code 3: missing library"));
}

// A Claude Code coder with no way to answer its permission questions is a warning; one with
// permission_mode (what `stork init` writes) has one: the launch adds the prompt tool.
TEST_F(Doctor, ClaudeCoderWithoutPermissionSetupIsWarnedAndPermissionModeCountsAsOne) {
  write_text(dir_ / "bin/claude", "#!/bin/sh\necho \"9.9.9 (Claude Code)\"\n");
  std::filesystem::permissions(dir_ / "bin/claude", std::filesystem::perms::owner_all);
  const std::string agent = "[[agent]]\nname = \"coder-1\"\nstage = \"coder\"\ncommand = \"" +
                            (dir_ / "bin/claude").string() + "\"\n";
  const auto bare = ops::render_doctor(diagnose(agent));
  EXPECT_THAT(bare, HasSubstr("no permission setup")) << bare;
  const auto with_mode = ops::render_doctor(diagnose(agent + "permission_mode = \"allow\"\n"));
  EXPECT_THAT(with_mode, Not(HasSubstr("no permission setup"))) << with_mode;
}

// The sandbox check (doctor_sandbox.cpp): silent when no sandbox is asked for, ok when bwrap
// builds one here, and an error naming the package when bwrap is not on the PATH.
const ops::DoctorFinding* sandbox_finding(const ops::DoctorReport& report) {
  for (const auto& finding : report.findings)
    if (finding.check == "sandbox (bwrap)") return &finding;
  return nullptr;
}

TEST_F(Doctor, SandboxIsCheckedOnlyWhenAskedFor) {
  EXPECT_EQ(sandbox_finding(diagnose()), nullptr);
  auto report = diagnose(std::string("sandbox = \"bwrap\"\n") + kCommandAgents);
  const auto* finding = sandbox_finding(report);
  ASSERT_NE(finding, nullptr) << ops::render_doctor(report);
  EXPECT_EQ(finding->level, Level::Ok) << finding->message;
  EXPECT_THAT(finding->message, HasSubstr("run_command and the gates"));
}

TEST_F(Doctor, SandboxWithoutBwrapIsAnErrorNamingBubblewrap) {
  // A PATH with git (the repository checks need it) and nothing else.
  std::filesystem::create_directories(dir_ / "gitonly");
  std::filesystem::create_symlink("/usr/bin/git", dir_ / "gitonly/git");
  const std::string saved = std::getenv("PATH");  // NOLINT(concurrency-mt-unsafe)
  setenv("PATH", (dir_ / "gitonly").c_str(), 1);  // NOLINT(concurrency-mt-unsafe)
  auto report = diagnose(std::string(kCommandAgents) + "sandbox = \"bwrap\"\n");
  setenv("PATH", saved.c_str(), 1);  // NOLINT(concurrency-mt-unsafe)
  const auto* finding = sandbox_finding(report);
  ASSERT_NE(finding, nullptr) << ops::render_doctor(report);
  EXPECT_EQ(finding->level, Level::Error);
  EXPECT_THAT(finding->message, HasSubstr("'bwrap' is not an executable on the PATH"));
  EXPECT_THAT(finding->message, HasSubstr("agent coder-2"));
  EXPECT_THAT(finding->fix, HasSubstr("apt-get install bubblewrap"));
  EXPECT_TRUE(report.has_errors());
}

}  // namespace
}  // namespace stork::testing
