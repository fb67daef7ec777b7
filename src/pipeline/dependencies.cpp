#include "pipeline/dependencies.hpp"

#include <algorithm>
#include <charconv>
#include <optional>

namespace stork::pipeline {

namespace {

std::string_view trim(std::string_view text) {
  const auto blank = [](char c) { return c == ' ' || c == '\t'; };
  while (!text.empty() && blank(text.front()))
    text.remove_prefix(1);
  while (!text.empty() && blank(text.back()))
    text.remove_suffix(1);
  return text;
}

std::optional<long> bare_number(std::string_view text) {
  long number = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return number;
}

const ItemSnapshot* find_dependency(std::string_view dependency,
                                    const std::vector<ItemSnapshot>& items) {
  std::string_view text = trim(dependency);
  std::optional<long> number = bare_number(text);
  auto it = std::find_if(items.begin(), items.end(), [&](const ItemSnapshot& item) {
    return number ? item.id.number == *number : item.id.str() == text;
  });
  return it == items.end() ? nullptr : &*it;
}

}  // namespace

DependencyState dependency_state(std::string_view dependency,
                                 const std::vector<ItemSnapshot>& items) {
  const ItemSnapshot* item = find_dependency(dependency, items);
  if (item == nullptr) return DependencyState::Unknown;
  if (item->stage == Stage::Done || item->stage == Stage::Archived) {
    return DependencyState::Satisfied;
  }
  return DependencyState::Pending;
}

std::string UnknownDependency::message() const {
  return "story '" + item.str() + "' depends on '" + dependency +
         "', which matches no work item; it will not start on its own until that is fixed";
}

PromotionPlan plan_backlog_promotions(const std::vector<ItemSnapshot>& items) {
  std::vector<const ItemSnapshot*> backlog;
  for (const ItemSnapshot& item : items) {
    if (item.stage == Stage::Backlog && !item.depends_on.empty()) backlog.push_back(&item);
  }
  std::stable_sort(backlog.begin(), backlog.end(),
                   [](const auto* a, const auto* b) { return a->id.number < b->id.number; });
  PromotionPlan plan;
  for (const ItemSnapshot* item : backlog) {
    bool all_satisfied = true;
    for (const std::string& dependency : item->depends_on) {
      DependencyState state = dependency_state(dependency, items);
      if (state == DependencyState::Unknown) plan.unknown.push_back({item->id, dependency});
      all_satisfied = all_satisfied && state == DependencyState::Satisfied;
    }
    if (all_satisfied) plan.promote.push_back(item->id);
  }
  return plan;
}

}  // namespace stork::pipeline
