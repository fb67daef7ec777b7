#include "cli/story_text.hpp"

#include <fmt/format.h>

namespace stork::cli {
namespace {

std::string flags_of(const WorkItem& item) {
  std::string flags;
  auto add = [&](std::string_view flag) {
    if (!flags.empty()) flags += ",";
    flags += flag;
  };
  if (item.blocked()) add("blocked");
  if (item.review_hold()) add("review_hold");
  if (item.merge_failure()) add("merge_failure");
  if (int retries = item.retry_count(); retries > 0) add("retries=" + std::to_string(retries));
  return flags.empty() ? "-" : flags;
}

std::string join(const std::vector<std::string>& parts) {
  std::string joined;
  for (const auto& part : parts)
    joined += (joined.empty() ? "" : ", ") + part;
  return joined;
}

}  // namespace

void print_item_table(std::ostream& out, const std::vector<WorkItem>& items) {
  if (items.empty()) {
    out << "no work items\n";
    return;
  }
  size_t id_width = 2;
  for (const auto& item : items)
    id_width = std::max(id_width, item.id.str().size());
  out << fmt::format("{:<{}}  {:<8}  {:<24}  {}\n", "ID", id_width, "STAGE", "FLAGS", "NAME");
  for (const auto& item : items) {
    out << fmt::format("{:<{}}  {:<8}  {:<24}  {}\n", item.id.str(), id_width,
                       stage_name(item.stage), flags_of(item), item.name());
  }
}

void print_item_detail(std::ostream& out, const WorkItem& item,
                       const std::filesystem::path& project_root) {
  out << fmt::format("{}  {}\n", item.id.str(), item.name());
  out << fmt::format("  type:        {}\n", to_string(item.id.type));
  out << fmt::format("  stage:       {}\n", stage_name(item.stage));
  out << fmt::format("  file:        {}\n", item.path.lexically_relative(project_root).string());
  out << fmt::format("  flags:       {}\n", flags_of(item));
  if (auto reason = item.blocked_reason()) out << fmt::format("  blocked:     {}\n", *reason);
  if (auto failure = item.merge_failure()) out << fmt::format("  merge fail:  {}\n", *failure);
  if (auto agent = item.agent()) out << fmt::format("  agent:       {}\n", *agent);
  if (auto qa = item.qa()) out << fmt::format("  qa:          {}\n", to_string(*qa));
  if (auto deps = item.depends_on(); !deps.empty())
    out << fmt::format("  depends on:  {}\n", join(deps));
  auto criteria = item.criteria();
  if (!criteria.empty()) {
    out << "  acceptance criteria:\n";
    for (const auto& c : criteria)
      out << fmt::format("    {:>2}. [{}] {}\n", c.index, c.checked ? 'x' : ' ', c.text);
  }
  for (const auto& problem : item.problems()) {
    out << fmt::format("  problem:     line {}: {}\n", problem.line, problem.message);
  }
  out << "\n" << item.document.body();
  if (!item.document.body().empty() && item.document.body().back() != '\n') out << "\n";
}

}  // namespace stork::cli
