// LimitsConfig: project.toml's [limits] table, the bounds that keep one hostile or careless
// input from taking the server's memory or disk: the size of an item file, and how much of a
// command's and a run's output is stored (head and tail kept, the middle dropped and counted).
#pragma once

#include <cstdint>

namespace stork {

struct LimitsConfig {
  std::uint64_t item_file_bytes = std::uint64_t{1} << 20;       // bigger item files are problems
  std::uint64_t command_output_bytes = std::uint64_t{1} << 20;  // run_command and gates, each
  std::uint64_t run_output_bytes = std::uint64_t{16} << 20;     // one run's stored output lines
  std::uint64_t commands_per_session = 4;                       // run_command calls at once
  std::uint64_t commands_total = 16;
};

}  // namespace stork
