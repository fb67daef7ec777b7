// .storkit/permissions.toml: rules read with their lines, matched (deny first), appended
// without losing a byte of what was there, and every broken file an error at file:line.
#include "ops/permission_rules.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace stork::ops {
namespace {

using ::testing::HasSubstr;

PermissionSubject bash(const std::string& command, const std::string& agent = "coder-1") {
  return {agent, "Bash", R"({"command":")" + command + "\"}", command};
}

TEST(PermissionRules, MissingFileHasNoRules) {
  testing::TempDir dir;
  auto rules = load_permission_rules(dir.path() / "permissions.toml");
  ASSERT_TRUE(rules.ok());
  EXPECT_TRUE(rules->empty());
}

TEST(PermissionRules, MatchesExactCommandsPatternsAndInputsDenyFirst) {
  testing::TempDir dir;
  const auto file = dir.path() / "permissions.toml";
  testing::write_text(file,
                      "# mine\n[[allow]]\nagent = \"coder-1\"\ntool = \"Bash\"\n"
                      "pattern = \"^npm (test|run lint)$\"\n\n"
                      "[[allow]]\nagent = \"coder-1\"\ntool = \"Edit\"\n"
                      "input = '{\"file_path\": \"a.md\"}'\n\n"
                      "[[deny]]\nagent = \"coder-1\"\ntool = \"Bash\"\ncommand = \"npm test\"\n"
                      "message = \"not that one\"\n");
  auto rules = load_permission_rules(file);
  ASSERT_TRUE(rules.ok()) << rules.error().message;
  ASSERT_EQ(rules->size(), 3u);
  const auto* lint = find_rule(*rules, bash("npm run lint"));
  ASSERT_NE(lint, nullptr);
  EXPECT_TRUE(lint->allow);
  EXPECT_EQ(lint->line, 2);
  const auto* test = find_rule(*rules, bash("npm test"));
  ASSERT_NE(test, nullptr);
  EXPECT_FALSE(test->allow);  // the deny rule wins over the matching pattern
  EXPECT_EQ(test->message, "not that one");
  EXPECT_EQ(find_rule(*rules, bash("npm run lint", "coder-2")), nullptr);  // another agent
  EXPECT_EQ(find_rule(*rules, bash("npm run lint && rm x")), nullptr);     // whole command
  PermissionSubject edit{"coder-1", "Edit", R"({"file_path":"a.md"})", std::nullopt};
  EXPECT_NE(find_rule(*rules, edit), nullptr);
  edit.input_json = R"({"file_path":"b.md"})";
  EXPECT_EQ(find_rule(*rules, edit), nullptr);
}

TEST(PermissionRules, AppendKeepsTheFileAndTheNewRuleMatches) {
  testing::TempDir dir;
  const auto file = dir.path() / ".storkit/permissions.toml";
  ASSERT_TRUE(append_permission_rule(file, exact_rule(bash("make"), true, "")).ok());
  const std::string first = testing::read_text(file);
  testing::write_text(file, "# a person's note\n" + first);
  ASSERT_TRUE(append_permission_rule(file, exact_rule(bash("rm -r build"), false, "no")).ok());
  const std::string text = testing::read_text(file);
  EXPECT_EQ(text.rfind("# a person's note\n" + first, 0), 0u) << text;
  auto rules = load_permission_rules(file);
  ASSERT_TRUE(rules.ok()) << rules.error().message;
  ASSERT_EQ(rules->size(), 2u);
  EXPECT_TRUE(find_rule(*rules, bash("make"))->allow);
  EXPECT_FALSE(find_rule(*rules, bash("rm -r build"))->allow);
}

TEST(PermissionRules, BrokenFilesAreErrorsAtTheirLineAndAppendWritesNothing) {
  testing::TempDir dir;
  const auto file = dir.path() / "permissions.toml";
  struct Case {
    std::string text;
    std::string where;
    std::string says;
  };
  for (const auto& bad : std::vector<Case>{
           {"[[allow]\n", ":1:", ""},
           {"[[allow]]\nagent = \"c\"\n", ":1:", "needs a non-empty 'tool'"},
           {"[[allow]]\nagent = \"c\"\ntool = \"Bash\"\ncomand = \"x\"\n",
            ":4:", "unknown key allow[0].comand"},
           {"[[allow]]\nagent = \"c\"\ntool = \"Bash\"\npattern = \"(\"\n",
            ":4:", "not a valid regular expression"},
           {"[[allow]]\nagent = \"c\"\ntool = \"Edit\"\ninput = \"[1]\"\n",
            ":4:", "must be a JSON object"},
           {"[maybe]\nx = 1\n", ":1:", "expected [[allow]] or [[deny]]"},
       }) {
    testing::write_text(file, bad.text);
    auto rules = load_permission_rules(file);
    ASSERT_FALSE(rules.ok()) << bad.text;
    EXPECT_EQ(rules.error().kind, OpError::Kind::Malformed);
    EXPECT_THAT(rules.error().message, HasSubstr(file.string() + bad.where)) << bad.text;
    EXPECT_THAT(rules.error().message, HasSubstr(bad.says)) << bad.text;
    EXPECT_FALSE(append_permission_rule(file, exact_rule(bash("make"), true, "")).ok());
    EXPECT_EQ(testing::read_text(file), bad.text);
  }
}

}  // namespace
}  // namespace stork::ops
