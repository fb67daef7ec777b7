// The deny-list run_command and prompt_permission share.
#include "tools/command_policy.hpp"

#include <gtest/gtest.h>

namespace stork::tools {
namespace {

void expect_refused(const std::string& command) {
  EXPECT_TRUE(refusal_reason(command).has_value()) << "allowed: " << command;
}
void expect_allowed(const std::string& command) {
  auto reason = refusal_reason(command);
  EXPECT_FALSE(reason.has_value()) << command << " refused: " << reason.value_or("");
}

TEST(CommandPolicy, RefusesRunningAsAnotherUser) {
  for (const auto* command :
       {"sudo ls", "  sudo -u root id", "FOO=1 sudo make install", "make && sudo make install",
        "echo x | sudo tee /etc/hosts", "bash -c \"sudo ls\"", "env -i sudo ls", "su -",
        "doas reboot", "exec sudo id", "(sudo id)", "$(sudo id)", "{ sudo id; }"})
    expect_refused(command);
}

TEST(CommandPolicy, RefusesDeletingTheRootOrHomeDirectory) {
  for (const auto* command :
       {"rm -rf /", "rm -rf /*", "rm -fr ~", "rm -rf ~/", "rm -r -f \"$HOME\"", "rm -rf ${HOME}",
        "rm -rf $HOME/*", "cd /tmp; rm -rf / ", "rm --no-preserve-root -rf /x", "rm -rf //",
        "sh -c 'rm -rf /'"})
    expect_refused(command);
}

TEST(CommandPolicy, RefusesGitPushInAnyForm) {
  for (const auto* command : {"git push", "git push origin main", "git push -f", "git -C . push",
                              "git -c user.name=x push", "cd sub && git push --tags"})
    expect_refused(command);
}

TEST(CommandPolicy, RefusesGitOnAnotherCheckoutAndDestroyingTheMachine) {
  for (const auto* command :
       {"git -C /work/main reset --hard", "git --git-dir=/x/.git status",
        "git --work-tree=/ checkout .", "shutdown -h now", "reboot", "mkfs.ext4 /dev/sda1",
        "dd if=/dev/zero of=/dev/sda", "cat x > /dev/sda", "chmod -R 777 /", "chown -R me ~"})
    expect_refused(command);
}

TEST(CommandPolicy, AllowsEverydayDevelopmentCommands) {
  for (const auto* command :
       {"ls -la", "cargo test", "rm -rf build/", "rm -rf ./target node_modules",
        "rm -rf $HOME/.cache/stork-test", "rm -rf /tmp/scratch", "git status",
        "git commit -qm 'push the limits'", "git log --oneline -5", "grep -rn push src",
        "echo sudo is not run here", "npm test -- --watch=false", "make -j2 && ./run_tests",
        "git reset --hard HEAD~1", "chmod +x script/test", "pseudo-tool --flag"})
    expect_allowed(command);
}

TEST(CommandPolicy, RefusesCommandsTooLongToCheck) {
  expect_allowed(std::string(kMaxCommandBytes - 10, 'a'));
  auto reason = refusal_reason(std::string(kMaxCommandBytes + 1, 'a'));
  ASSERT_TRUE(reason.has_value());
  EXPECT_NE(reason->find("script file"), std::string::npos);
}

TEST(CommandPolicy, NamesTheRefusedCommandAndWhy) {
  auto reason = refusal_reason("make test && git push origin main");
  ASSERT_TRUE(reason.has_value());
  EXPECT_NE(reason->find("git push origin main"), std::string::npos) << *reason;
  EXPECT_NE(reason->find("merge queue"), std::string::npos) << *reason;
}

}  // namespace
}  // namespace stork::tools
