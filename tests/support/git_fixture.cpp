#include "support/git_fixture.hpp"

#include <gtest/gtest.h>

#include "base/subprocess.hpp"
#include "support/temp_dir.hpp"

namespace stork::testing {

std::string git(const std::filesystem::path& dir, const std::vector<std::string>& args) {
  Command command;
  command.argv = {"git"};
  command.argv.insert(command.argv.end(), args.begin(), args.end());
  command.cwd = dir;
  auto output = run_command(command);
  EXPECT_TRUE(output.ok()) << (output.ok() ? "" : output.error().message);
  if (!output.ok()) return "";
  EXPECT_TRUE(output->succeeded()) << "git failed: " << output->err;
  return output->out;
}

void init_repo(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  git(dir, {"init", "-q", "-b", "main"});
  git(dir, {"config", "user.name", "Stork Test"});
  git(dir, {"config", "user.email", "test@stork.invalid"});
  git(dir, {"config", "commit.gpgsign", "false"});
  write_text(dir / "README.md", "# sample\n");
  git(dir, {"add", "README.md"});
  git(dir, {"commit", "-q", "-m", "initial"});
}

void write_project_files(const std::filesystem::path& root, const std::string& gate_script,
                         const std::string& extra_ignores) {
  write_text(root / ".gitignore",
             ".storkit/worktrees/\n.storkit/merge_workspace/\n.storkit/state.db*\n"
             ".storkit/logs/\n.storkit/work/2_current/\n.storkit/work/3_qa/\n"
             ".storkit/work/4_merge/\n" +
                 extra_ignores);
  write_text(root / "script/test", gate_script);
  std::filesystem::permissions(root / "script/test", std::filesystem::perms::owner_exec,
                               std::filesystem::perm_options::add);
}

}  // namespace stork::testing
