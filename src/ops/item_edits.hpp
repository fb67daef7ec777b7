// The edits people and agents make to one item's front matter, as pure functions on a
// WorkItem: the same rules whoever applies them (the server through Pipeline::edit_item, the
// CLI on the file when no server runs). Nothing here reads or writes a file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/project_config.hpp"
#include "ops/op_error.hpp"
#include "work/work_item.hpp"

namespace stork::ops {

// Ticks (or clears) criterion `index`; NotFound with field "index" and `limit` = the count
// when there is no such criterion.
OpResult<void> set_criterion(WorkItem& item, std::size_t index, bool checked);

// blocked: true with the reason (none when empty).
void block(WorkItem& item, const std::string& reason);
// Clears blocked, blocked_reason, merge_failure and retry_count.
void clear_block(WorkItem& item);

// "passed P, failed F[: summary]", written to front matter `test_results`; returns the text.
std::string record_test_results(WorkItem& item, std::int64_t passed, std::int64_t failed,
                                const std::optional<std::string>& summary);

// A change of front-matter fields. An absent optional leaves the field alone; an inner
// nullopt removes it (the item then follows the project's defaults); an empty depends_on
// removes the list. depends_on holds full ids (resolve_dependencies).
struct ItemPatch {
  std::optional<std::optional<std::string>> name, agent, qa;
  std::optional<std::vector<std::string>> depends_on;
  std::optional<bool> manual_qa;

  bool empty() const { return !name && !agent && !qa && !depends_on && !manual_qa; }
  void apply(WorkItem& item) const;
};

// An item's name, for every surface (create and update; REST, MCP and the CLI): not blank, one
// line, no control characters (a NUL would reach the body heading raw), valid UTF-8.
// InvalidInput with field "name" saying which rule and where.
OpResult<void> check_item_name(const std::string& name);

// A preferred agent must be in the roster, or auto-assign would wait for it forever.
// InvalidInput naming `field` when it is not (no check without a configuration).
OpResult<void> check_agent(const ProjectConfig* config, const std::string& field,
                           const std::string& agent);

}  // namespace stork::ops
