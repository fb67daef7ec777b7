#include "cli/local_usage.hpp"

#include "state/run_store.hpp"

namespace stork::cli {

Result<std::vector<state::TokenUsageRecord>, std::string> read_local_usage(
    const std::filesystem::path& project_root) {
  std::error_code missing;
  if (!std::filesystem::exists(project_root / ".storkit" / "state.db", missing))
    return std::vector<state::TokenUsageRecord>{};
  auto store = state::StateStore::open_read_only(project_root);
  if (!store.ok()) return fail(store.error().message);
  auto records = store.value()->token_usage();
  if (!records.ok()) return fail(records.error().message);
  return std::move(records.value());
}

}  // namespace stork::cli
