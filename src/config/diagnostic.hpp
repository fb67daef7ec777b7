// Diagnostic: one problem found in a configuration file, with the position a user needs to fix
// it. Rendered the way compilers do (`project.toml:12:1: error: agent 'coder-1' defined twice`)
// so editors and terminals can jump to it.
#pragma once

#include <string>
#include <vector>

namespace stork {

struct Diagnostic {
  enum class Severity { Error, Warning };
  Severity severity = Severity::Error;
  std::string file;
  int line = 0;         // 1-based; 0 when the problem concerns the whole file
  int column = 0;       // 1-based; 0 when unknown
  std::string field;    // dotted path of the offending key, e.g. "agent[1].max_turns"
  std::string message;  // complete sentence that names the field

  std::string render() const;
};

std::string render_all(const std::vector<Diagnostic>& diagnostics);

}  // namespace stork
