#include "cli_test_support.hpp"

#include <sstream>

#include "cli/cli_app.hpp"
#include "support/git_fixture.hpp"
#include "support/temp_dir.hpp"

namespace stork::testing {

CliRun stork(const std::filesystem::path& cwd, const std::vector<std::string>& args) {
  std::ostringstream out, err;
  CliRun run;
  run.code = cli::run_cli(args, out, err, cwd);
  run.out = out.str();
  run.err = err.str();
  return run;
}

void make_storkit_fixture_repo(const std::filesystem::path& dir) {
  init_repo(dir);
  copy_fixture("storkit_project", dir);
  git(dir, {"add", "-A"});
  git(dir, {"commit", "-q", "-m", "storkit project"});
}

}  // namespace stork::testing
