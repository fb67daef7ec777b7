// The files `stork init` writes into a new project. Kept apart from the logic so the text can be
// read and edited as prose; tests load the project.toml template with the real loader.
#pragma once

#include <string>
#include <string_view>

namespace stork::cli {

std::string_view project_toml_template();
std::string_view agents_readme_template();
std::string_view context_spec_template();
std::string_view stack_spec_template();
std::string_view storkit_gitignore_template();
std::string_view script_test_template();
std::string mcp_json(int port);
std::string mcp_url(int port);

}  // namespace stork::cli
