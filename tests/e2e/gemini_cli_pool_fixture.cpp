#include "gemini_cli_pool_fixture.hpp"

#include <cstdlib>
#include <sstream>

#include <unistd.h>

#include "support/git_fixture.hpp"

extern char** environ;

namespace stork::testing {
namespace {

// Variables of the caller that would change what the CLI does or where it goes.
bool inherited_gemini_setting(const std::string& name) {
  for (const char* prefix : {"GEMINI_", "GOOGLE_", "CLOUDSDK_"}) {
    if (name.rfind(prefix, 0) == 0) return true;
  }
  for (const char* proxy :
       {"HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"}) {
    if (name == proxy) return true;
  }
  return false;
}

}  // namespace

void GeminiCliPoolTest::SetUp() {
  ASSERT_EQ(::access(STORK_GEMINI_CLI, X_OK), 0)
      << "The Gemini CLI is missing at " << STORK_GEMINI_CLI
      << ": run scripts/setup (it installs the pinned npm package into tests/e2e/node_modules), "
         "or point the CMake cache variable STORK_GEMINI_CLI at it.";
}

void GeminiCliPoolTest::open_gemini_project(const std::string& scenario,
                                            int inactivity_timeout_secs) {
  write_text(server_dir_ / "scenario.json", scenario);
  server_ = std::make_unique<ScriptedServer>(STORK_SCRIPTED_MODEL_API,
                                             server_dir_ / "scenario.json", server_dir_.path(),
                                             std::vector<std::string>{"--format", "gemini"});
  ASSERT_FALSE(server_->failed()) << server_->error();

  std::vector<std::string> inherited;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string name(*entry);
    name = name.substr(0, name.find('='));
    if (inherited_gemini_setting(name)) inherited.push_back(name);
  }
  for (const auto& name : inherited)
    env_.unset(name);
  env_.set("HOME", home_.path().string());
  env_.set(kKeyEnv, "scripted-gemini-key");

  std::ostringstream toml;
  toml << "[[agent]]\n"
       << "name = \"" << kAgent << "\"\n"
       << "stage = \"coder\"\n"
       << "runtime = \"gemini-cli\"\n"
       << "command = '" << STORK_GEMINI_CLI << "'\n"
       << "model = \"" << kGeminiModel << "\"\n"
       << "base_url = \"" << server_->base_url() << "\"\n"
       << "api_key_env = \"" << kKeyEnv << "\"\n"
       << "inactivity_timeout_secs = " << inactivity_timeout_secs << "\n";
  open_pool(toml.str());
}

}  // namespace stork::testing
