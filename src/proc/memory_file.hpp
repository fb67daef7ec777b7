// A memory file (memfd) holding some bytes, positioned at their start: an agent's stdin data
// (launcher.cpp), a standby supervisor's plan (standby_supervisor.cpp). The reader takes it
// at its own pace, and nobody has to feed a pipe meanwhile.
#pragma once

#include <string>
#include <string_view>

#include "base/result.hpp"
#include "proc/unique_fd.hpp"

namespace stork::proc {

// Close-on-exec. The error says which call failed: "memfd_create: ...", "writing <name>: ...".
Result<UniqueFd, std::string> memory_file(const char* name, std::string_view bytes);

}  // namespace stork::proc
