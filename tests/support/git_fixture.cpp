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

}  // namespace stork::testing
