#include "config/config_loader.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/chat_agent_loader.hpp"
#include "support/temp_dir.hpp"

namespace stork {
namespace {

using ::testing::HasSubstr;

ProjectConfig parse_ok(std::string_view text) {
  auto result = parse_project_config(text, "project.toml");
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : render_all(result.error()));
  return result.ok() ? result->config : ProjectConfig{};
}

// The only error diagnostic of a config that must fail.
Diagnostic single_error(std::string_view text) {
  auto result = parse_project_config(text, "project.toml");
  EXPECT_FALSE(result.ok()) << "expected an error for:\n" << text;
  if (result.ok()) return {};
  std::vector<Diagnostic> errors;
  for (const auto& d : result.error()) {
    if (d.severity == Diagnostic::Severity::Error) errors.push_back(d);
  }
  EXPECT_EQ(errors.size(), 1u) << render_all(result.error());
  return errors.empty() ? Diagnostic{} : errors.front();
}

TEST(ConfigLoader, EmptyFileGivesStorkitDefaults) {
  ProjectConfig config = parse_ok("");
  EXPECT_EQ(config.default_qa, QaMode::Server);
  EXPECT_EQ(config.max_coders, 3);
  EXPECT_EQ(config.max_retries, 2);
  EXPECT_FALSE(config.base_branch);
  EXPECT_FALSE(config.default_coder_model);
  EXPECT_TRUE(config.rate_limit_notifications);
  EXPECT_FALSE(config.timezone);
  EXPECT_TRUE(config.agents.empty());
  EXPECT_TRUE(config.components.empty());
  EXPECT_EQ(config.gate_command, "script/test");
  EXPECT_EQ(config.gate_timeout_secs, 1800);
  EXPECT_DOUBLE_EQ(config.archive_after_hours, 4.0);
}

TEST(ConfigLoader, ReadsPipelineSettings) {
  ProjectConfig config = parse_ok(R"(
gate_command = "make check"
gate_timeout_secs = 60
archive_after_hours = 0.5
)");
  EXPECT_EQ(config.gate_command, "make check");
  EXPECT_EQ(config.gate_timeout_secs, 60);
  EXPECT_DOUBLE_EQ(config.archive_after_hours, 0.5);
}

TEST(ConfigLoader, RejectsBadPipelineSettingsNamingTheField) {
  EXPECT_EQ(single_error("gate_command = \"  \"\n").field, "gate_command");
  EXPECT_EQ(single_error("gate_timeout_secs = 0\n").field, "gate_timeout_secs");
  EXPECT_EQ(single_error("archive_after_hours = -1\n").field, "archive_after_hours");
}

TEST(ConfigLoader, ReadsEveryTopLevelField) {
  ProjectConfig config = parse_ok(R"(
default_qa = "human"
default_coder_model = "claude-sonnet-4-5"
max_coders = 5
max_retries = 0
base_branch = "develop"
rate_limit_notifications = false
timezone = "Europe/Oslo"
)");
  EXPECT_EQ(config.default_qa, QaMode::Human);
  EXPECT_EQ(config.default_coder_model, "claude-sonnet-4-5");
  EXPECT_EQ(config.max_coders, 5);
  EXPECT_EQ(config.max_retries, 0);
  EXPECT_EQ(config.base_branch, "develop");
  EXPECT_FALSE(config.rate_limit_notifications);
  EXPECT_EQ(config.timezone, "Europe/Oslo");
}

TEST(ConfigLoader, ReadsEveryAgentField) {
  ProjectConfig config = parse_ok(R"(
[[agent]]
name = "coder-opus"
stage = "coder"
role = "Senior engineer"
runtime = "claude-code"
model = "claude-opus-4-1"
command = "/opt/claude"
args = ["--verbose", "--debug"]
prompt = "Do {{story_id}}"
system_prompt = "Be careful in {{worktree_path}}"
allowed_tools = ["Read", "Edit"]
max_turns = 40
max_budget_usd = 2.5
inactivity_timeout_secs = 120
)");
  ASSERT_EQ(config.agents.size(), 1u);
  const AgentConfig& agent = config.agents[0];
  EXPECT_EQ(agent.name, "coder-opus");
  EXPECT_EQ(agent.stage, AgentStage::Coder);
  EXPECT_FALSE(agent.stage_inferred);
  EXPECT_EQ(agent.role, "Senior engineer");
  EXPECT_EQ(agent.runtime, "claude-code");
  EXPECT_EQ(agent.model, "claude-opus-4-1");
  EXPECT_EQ(agent.command, "/opt/claude");
  EXPECT_THAT(agent.args, ::testing::ElementsAre("--verbose", "--debug"));
  EXPECT_EQ(agent.prompt, "Do {{story_id}}");
  EXPECT_EQ(agent.system_prompt, "Be careful in {{worktree_path}}");
  EXPECT_THAT(agent.allowed_tools, ::testing::ElementsAre("Read", "Edit"));
  EXPECT_EQ(agent.max_turns, 40);
  EXPECT_DOUBLE_EQ(*agent.max_budget_usd, 2.5);
  EXPECT_EQ(agent.inactivity_timeout_secs, 120);
}

TEST(ConfigLoader, AgentDefaultsAndStageInference) {
  ProjectConfig config = parse_ok("[[agent]]\nname = \"qa\"\n[[agent]]\nname = \"helper\"\n");
  ASSERT_EQ(config.agents.size(), 2u);
  EXPECT_EQ(config.agents[0].stage, AgentStage::Qa);
  EXPECT_TRUE(config.agents[0].stage_inferred);
  EXPECT_EQ(config.agents[0].runtime, "claude-code");
  EXPECT_EQ(config.agents[0].inactivity_timeout_secs, 300);
  EXPECT_FALSE(config.agents[0].max_turns);
  EXPECT_EQ(config.agents[1].stage, AgentStage::Other);
  EXPECT_NE(config.find_agent("helper"), nullptr);
  EXPECT_EQ(config.find_agent("nobody"), nullptr);
}

TEST(ConfigLoader, ReadsComponents) {
  ProjectConfig config = parse_ok(R"(
[[component]]
name = "web"
path = "web/app"
setup = ["npm ci", "npm run build"]
teardown = ["rm -rf node_modules"]
[[component]]
name = "root"
)");
  ASSERT_EQ(config.components.size(), 2u);
  EXPECT_EQ(config.components[0].path, "web/app");
  EXPECT_THAT(config.components[0].setup, ::testing::ElementsAre("npm ci", "npm run build"));
  EXPECT_THAT(config.components[0].teardown, ::testing::ElementsAre("rm -rf node_modules"));
  EXPECT_EQ(config.components[1].path, ".");
}

TEST(ConfigLoader, DuplicateAgentNamesItsLineAndFirstDefinition) {
  Diagnostic d = single_error(
      "max_coders = 2\n\n[[agent]]\nname = \"coder-1\"\n\n[[agent]]\nname = \"coder-1\"\n");
  EXPECT_EQ(d.line, 6);
  EXPECT_EQ(d.column, 1);
  EXPECT_EQ(d.field, "agent[1].name");
  EXPECT_EQ(d.render(), "project.toml:6:1: error: agent 'coder-1' defined twice (first at line 3)");
}

TEST(ConfigLoader, EmptyAgentNameIsAnError) {
  Diagnostic d = single_error("[[agent]]\nname = \"\"\n");
  EXPECT_EQ(d.line, 2);
  EXPECT_EQ(d.field, "agent[0].name");
  EXPECT_THAT(d.message, HasSubstr("non-empty 'name'"));
}

TEST(ConfigLoader, MissingAgentNameIsAnError) {
  Diagnostic d = single_error("[[agent]]\nstage = \"qa\"\n");
  EXPECT_EQ(d.line, 1);
  EXPECT_EQ(d.field, "agent[0].name");
}

TEST(ConfigLoader, UnsafeAgentNameIsAnError) {
  Diagnostic d = single_error("[[agent]]\nname = \"../evil\"\n");
  EXPECT_EQ(d.field, "agent[0].name");
  EXPECT_THAT(d.message, HasSubstr("may use only letters"));
}

TEST(ConfigLoader, NonPositiveTurnsBudgetAndTimeoutAreErrors) {
  Diagnostic turns = single_error("[[agent]]\nname = \"coder-1\"\nmax_turns = 0\n");
  EXPECT_EQ(turns.line, 3);
  EXPECT_EQ(turns.column, 13);
  EXPECT_EQ(turns.field, "agent[0].max_turns");
  EXPECT_THAT(turns.message, HasSubstr("coder-1"));
  EXPECT_THAT(turns.message, HasSubstr("must be positive, got 0"));

  Diagnostic budget = single_error("[[agent]]\nname = \"coder-1\"\nmax_budget_usd = -1.5\n");
  EXPECT_EQ(budget.field, "agent[0].max_budget_usd");
  Diagnostic timeout = single_error("[[agent]]\nname = \"coder-1\"\ninactivity_timeout_secs = 0\n");
  EXPECT_EQ(timeout.field, "agent[0].inactivity_timeout_secs");
}

TEST(ConfigLoader, WrongTypeNamesFieldAndBothTypes) {
  Diagnostic d = single_error("max_coders = \"three\"\n");
  EXPECT_EQ(d.line, 1);
  EXPECT_EQ(d.column, 14);
  EXPECT_EQ(d.field, "max_coders");
  EXPECT_EQ(d.message, "'max_coders' must be an integer, found a string");
}

TEST(ConfigLoader, ListWithNonStringElementPointsAtTheElement) {
  Diagnostic d = single_error("[[agent]]\nname = \"a\"\nargs = [\"ok\", 3]\n");
  EXPECT_EQ(d.line, 3);
  EXPECT_EQ(d.column, 15);
  EXPECT_EQ(d.field, "agent[0].args");
}

TEST(ConfigLoader, UnknownEnumValuesAreErrors) {
  EXPECT_EQ(single_error("default_qa = \"robot\"\n").field, "default_qa");
  EXPECT_EQ(single_error("[[agent]]\nname = \"a\"\nstage = \"tester\"\n").field, "agent[0].stage");
  EXPECT_EQ(single_error("[[agent]]\nname = \"a\"\nruntime = \"copilot\"\n").field,
            "agent[0].runtime");
}

TEST(ConfigLoader, OutOfRangeLimitsAreErrors) {
  EXPECT_EQ(single_error("max_coders = 0\n").field, "max_coders");
  EXPECT_EQ(single_error("max_retries = -1\n").field, "max_retries");
}

TEST(ConfigLoader, UnknownPromptPlaceholderIsAnError) {
  Diagnostic d = single_error("[[agent]]\nname = \"a\"\nprompt = \"Work on {{story}}\"\n");
  EXPECT_EQ(d.field, "agent[0].prompt");
  EXPECT_THAT(d.message, HasSubstr("{{story}}"));
}

TEST(ConfigLoader, CommandRuntimeNeedsACommand) {
  EXPECT_EQ(single_error("[[agent]]\nname = \"a\"\nruntime = \"command\"\n").field,
            "agent[0].command");
  ProjectConfig config =
      parse_ok("[[agent]]\nname = \"a\"\nruntime = \"command\"\ncommand = \"./agent.sh\"\n");
  EXPECT_EQ(config.agents[0].command, "./agent.sh");
}

TEST(ConfigLoader, ComponentPathMustStayInsideWorktree) {
  EXPECT_EQ(single_error("[[component]]\nname = \"x\"\npath = \"../outside\"\n").field,
            "component[0].path");
  EXPECT_EQ(single_error("[[component]]\nname = \"x\"\npath = \"/abs\"\n").field,
            "component[0].path");
}

TEST(ConfigLoader, DuplicateComponentIsAnError) {
  Diagnostic d = single_error("[[component]]\nname = \"x\"\n[[component]]\nname = \"x\"\n");
  EXPECT_EQ(d.line, 3);
  EXPECT_THAT(d.message, HasSubstr("defined twice"));
}

TEST(ConfigLoader, InvalidBaseBranchIsAnError) {
  EXPECT_EQ(single_error("base_branch = \"a..b\"\n").field, "base_branch");
  EXPECT_EQ(single_error("base_branch = \"\"\n").field, "base_branch");
}

TEST(ConfigLoader, AgentMustBeArrayOfTables) {
  EXPECT_EQ(single_error("agent = \"coder\"\n").field, "agent");
}

TEST(ConfigLoader, UnknownKeysAreWarningsNotErrors) {
  auto result = parse_project_config(
      "future_option = 1\n[[agent]]\nname = \"a\"\ncolour = \"red\"\n", "project.toml");
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->warnings.size(), 2u);
  EXPECT_EQ(result->warnings[0].severity, Diagnostic::Severity::Warning);
  EXPECT_EQ(result->warnings[0].render(),
            "project.toml:1:1: warning: unknown key 'future_option' is ignored");
  EXPECT_EQ(result->warnings[1].field, "agent[0].colour");
  EXPECT_EQ(result->warnings[1].line, 4);
}

TEST(ConfigLoader, UnknownKeyNearAKnownOneSuggestsIt) {
  auto result = parse_project_config(
      "max_coder = 2\nzzz = 1\n[[agent]]\nname = \"a\"\nmodle = \"x\"\n", "project.toml");
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->warnings.size(), 3u);
  std::string all;
  for (const auto& warning : result->warnings)
    all += warning.render() + "\n";
  EXPECT_NE(all.find("project.toml:1:1: warning: unknown key 'max_coder' is ignored; did you mean "
                     "'max_coders'?\n"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("unknown key 'agent[0].modle' is ignored; did you mean 'agent[0].model'?"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("unknown key 'zzz' is ignored\n"), std::string::npos) << all;
}

TEST(ConfigLoader, ReadsApiRuntimeFieldsAndPricing) {
  ProjectConfig config = parse_ok(R"(
[[agent]]
name = "coder-local"
runtime = "openai"
model = "qwen2.5-coder"
base_url = "http://127.0.0.1:11434/v1"
api_key_env = "OLLAMA_KEY"

[pricing."qwen2.5-coder"]
input_per_mtok = 0.5
output_per_mtok = 1
cached_input_per_mtok = 0.1

[pricing."gpt-4o"]
input_per_mtok = 3
output_per_mtok = 12
)");
  ASSERT_EQ(config.agents.size(), 1u);
  EXPECT_EQ(config.agents[0].base_url, "http://127.0.0.1:11434/v1");
  EXPECT_EQ(config.agents[0].api_key_env, "OLLAMA_KEY");
  ASSERT_EQ(config.pricing.size(), 2u);
  const ModelPrice* local = find_model_price(config.pricing, "qwen2.5-coder");
  ASSERT_NE(local, nullptr);
  EXPECT_DOUBLE_EQ(local->input_per_mtok, 0.5);
  EXPECT_DOUBLE_EQ(local->output_per_mtok, 1.0);
  EXPECT_DOUBLE_EQ(*local->cached_input_per_mtok, 0.1);
  // The project's own price wins over the built-in one, also for a dated model name.
  EXPECT_DOUBLE_EQ(find_model_price(config.pricing, "gpt-4o-2024-08-06")->input_per_mtok, 3.0);
}

TEST(ConfigLoader, BuiltInPricesCoverCommonModelsByLongestPrefix) {
  const std::vector<ModelPrice> none;
  ASSERT_NE(find_model_price(none, "gpt-4o-mini-2024-07-18"), nullptr);
  EXPECT_EQ(find_model_price(none, "gpt-4o-mini-2024-07-18")->model, "gpt-4o-mini");
  EXPECT_EQ(find_model_price(none, "gpt-4o")->model, "gpt-4o");
  EXPECT_EQ(find_model_price(none, "gemini-2.5-flash-lite")->model, "gemini-2.5-flash-lite");
  EXPECT_EQ(find_model_price(none, "gemini-2.5-pro-preview")->model, "gemini-2.5-pro");
  EXPECT_EQ(find_model_price(none, "llama3.1:8b"), nullptr);
  EXPECT_EQ(find_model_price(none, ""), nullptr);
}

TEST(ConfigLoader, RejectsBadApiFieldsNamingTheField) {
  auto url =
      single_error("[[agent]]\nname = \"coder\"\nruntime = \"openai\"\nbase_url = \"ftp://x\"\n");
  EXPECT_EQ(url.field, "agent[0].base_url");
  EXPECT_THAT(url.message, HasSubstr("must start with http:// or https://"));
  auto env =
      single_error("[[agent]]\nname = \"coder\"\nruntime = \"gemini\"\napi_key_env = \"MY KEY\"\n");
  EXPECT_EQ(env.field, "agent[0].api_key_env");
  auto type = single_error("[[agent]]\nname = \"coder\"\nruntime = \"openai\"\nbase_url = 3\n");
  EXPECT_EQ(type.field, "agent[0].base_url");
}

TEST(ConfigLoader, RejectsBadPricingNamingTheField) {
  auto missing = single_error("[pricing.\"m\"]\ninput_per_mtok = 1\n");
  EXPECT_EQ(missing.field, "pricing.m.output_per_mtok");
  EXPECT_THAT(missing.message, HasSubstr("is required"));
  auto negative = single_error("[pricing.\"m\"]\ninput_per_mtok = -1\noutput_per_mtok = 1\n");
  EXPECT_EQ(negative.field, "pricing.m.input_per_mtok");
  auto wrong = single_error("[pricing.\"m\"]\ninput_per_mtok = \"cheap\"\noutput_per_mtok = 1\n");
  EXPECT_EQ(wrong.field, "pricing.m.input_per_mtok");
  auto not_table = single_error("pricing = 3\n");
  EXPECT_EQ(not_table.field, "pricing");
  // An unknown key is a warning, like everywhere else in project.toml.
  auto result = parse_project_config(
      "[pricing.\"m\"]\ninput_per_mtok = 1\noutput_per_mtok = 1\ninput_per_mtokens = 2\n",
      "project.toml");
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->warnings.size(), 1u);
  EXPECT_EQ(result->warnings[0].field, "pricing.m.input_per_mtokens");
}

TEST(ConfigLoader, WarnsAboutApiFieldsOnOtherRuntimes) {
  auto result = parse_project_config(
      "[[agent]]\nname = \"coder\"\nbase_url = \"http://localhost:1\"\n", "project.toml");
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->warnings.size(), 1u);
  EXPECT_THAT(result->warnings[0].message,
              HasSubstr("only by the openai, gemini, gemini-cli, codex and acp runtimes"));
}

TEST(ConfigLoader, TomlSyntaxErrorHasPosition) {
  auto result =
      parse_project_config("max_coders = 3\n[[agent]\nname = \"x\"\n", "cfg/project.toml");
  ASSERT_FALSE(result.ok());
  ASSERT_EQ(result.error().size(), 1u);
  EXPECT_EQ(result.error()[0].line, 2);
  EXPECT_GT(result.error()[0].column, 0);
  EXPECT_THAT(result.error()[0].render(), ::testing::StartsWith("cfg/project.toml:2:"));
  EXPECT_THAT(result.error()[0].message, HasSubstr("invalid TOML"));
}

TEST(ConfigLoader, ReportsEveryErrorNotJustTheFirst) {
  auto result = parse_project_config("max_coders = 0\n[[agent]]\nname = \"a\"\nmax_turns = -1\n",
                                     "project.toml");
  ASSERT_FALSE(result.ok());
  ASSERT_EQ(result.error().size(), 2u);
  EXPECT_EQ(result.error()[0].line, 1);  // sorted by line
  EXPECT_EQ(result.error()[1].line, 4);
}

TEST(ConfigLoader, MissingFileNamesThePath) {
  testing::TempDir dir;
  auto result = load_project_config(dir / "nope/project.toml");
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.error()[0].render(), HasSubstr("nope/project.toml"));
}

TEST(ConfigLoader, LoadsFileFromDisk) {
  testing::TempDir dir;
  testing::write_text(dir / "project.toml", "max_coders = 7\n");
  auto result = load_project_config(dir / "project.toml");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->config.max_coders, 7);
}

TEST(ConfigLoader, HandWrittenStorkitFixtureLoads) {
  auto result = load_project_config(std::filesystem::path(STORK_TEST_DATA_DIR) /
                                    "storkit_project/.storkit/project.toml");
  ASSERT_TRUE(result.ok()) << render_all(result.error());
  EXPECT_TRUE(result->warnings.empty()) << render_all(result->warnings);
  EXPECT_EQ(result->config.default_qa, QaMode::Agent);
  EXPECT_EQ(result->config.agents.size(), 5u);
  EXPECT_EQ(result->config.find_agent("coder-1")->stage, AgentStage::Coder);
  EXPECT_EQ(result->config.find_agent("mergemaster")->stage, AgentStage::Mergemaster);
}

}  // namespace
}  // namespace stork

namespace stork {
namespace {

TEST(ConfigLoader, ReadsTheChatAgentAndRejectsOneOutsideTheRoster) {
  const std::string good = "[[agent]]\nname = \"planner\"\n[chat]\nagent = \"planner\"\n";
  parse_ok(good);
  auto agent = parse_chat_agent(good, "project.toml");
  ASSERT_TRUE(agent.ok());
  EXPECT_EQ(agent.value(), "planner");
  auto none = parse_chat_agent("", "project.toml");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none.value().has_value());
  const auto error = single_error("[[agent]]\nname = \"planner\"\n[chat]\nagent = \"ghost\"\n");
  EXPECT_EQ(error.line, 4);
  EXPECT_EQ(error.field, "chat.agent");
  EXPECT_THAT(error.message, HasSubstr("'ghost'"));
}

}  // namespace
}  // namespace stork
