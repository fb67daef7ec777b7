// End-to-end fixture for the `gemini-cli` runtime: the agent pool of ClaudePoolTest (a git
// project, a pool on an io_context thread, the scripted server's request log) with one coder,
// kAgent, on the real Gemini CLI (STORK_GEMINI_CLI) against scripted_model_api.py --format
// gemini, playing a scenario the test writes inline. The CLI gets the agent's model, base URL
// and key from project.toml; this process's HOME is an empty directory and the Gemini/Google
// variables of the caller are removed, so nothing of a person's setup reaches the runs.
#pragma once

#include <string>

#include "claude_pool_fixture.hpp"

namespace stork::testing {

class GeminiCliPoolTest : public ClaudePoolTest {
 protected:
  static constexpr const char* kGeminiModel = "gemini-2.5-flash";
  static constexpr const char* kKeyEnv = "STORK_E2E_GEMINI_KEY";

  void SetUp() override;  // fails (never skips) when the CLI is not installed

  // Starts the scripted Gemini API on `scenario` (scripted_model_api.py's JSON list of steps),
  // writes project.toml with the gemini-cli coder kAgent and opens the pool.
  void open_gemini_project(const std::string& scenario, int inactivity_timeout_secs = 60);
};

}  // namespace stork::testing
