#include "work/work_item.hpp"

namespace stork {
namespace {

constexpr std::string_view kName = "name";
constexpr std::string_view kAgent = "agent";
constexpr std::string_view kQa = "qa";
constexpr std::string_view kManualQa = "manual_qa";
constexpr std::string_view kReviewHold = "review_hold";
constexpr std::string_view kBlocked = "blocked";
constexpr std::string_view kBlockedReason = "blocked_reason";
constexpr std::string_view kMergeFailure = "merge_failure";
constexpr std::string_view kRetryCount = "retry_count";
constexpr std::string_view kDependsOn = "depends_on";

// Text of the first level-1 heading, without a leading "Story 12:" style label.
std::optional<std::string> heading_title(std::string_view body) {
  size_t pos = 0;
  while (pos < body.size()) {
    auto end = body.find('\n', pos);
    auto line =
        body.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() > 2 && line.substr(0, 2) == "# ") {
      auto title = line.substr(2);
      auto colon = title.find(": ");
      if (colon < 24) title = title.substr(colon + 2);  // npos (no colon) is more than 24
      return std::string(title);
    }
    if (end == std::string_view::npos) break;
    pos = end + 1;
  }
  return std::nullopt;
}

std::string section(std::string_view title, std::string_view text) {
  return "## " + std::string(title) + "\n\n" + std::string(text) + "\n\n";
}

std::string criteria_list(const std::vector<std::string>& criteria) {
  if (criteria.empty()) return "_None yet._";
  std::string list;
  for (const auto& criterion : criteria) {
    if (!list.empty()) list += "\n";
    list += "- [ ] " + criterion;
  }
  return list;
}

std::string title_case(ItemType type) {
  std::string word(to_string(type));
  word[0] = static_cast<char>(word[0] - 'a' + 'A');
  return word;
}

std::string new_item_body(const NewItem& item, long number) {
  const std::string description = item.description.empty() ? "_To be written._" : item.description;
  std::string body =
      "# " + title_case(item.type) + " " + std::to_string(number) + ": " + item.name + "\n\n";
  switch (item.type) {
    case ItemType::Story:
      body += section("User Story", description) +
              section("Acceptance Criteria", criteria_list(item.criteria)) +
              section("Out of Scope", "_Nothing listed yet._");
      break;
    case ItemType::Bug:
      body += section("Description", description) +
              section("How to Reproduce", "_To be written._") +
              section("Actual Result", "_To be written._") +
              section("Expected Result", "_To be written._") +
              section("Acceptance Criteria", criteria_list(item.criteria));
      break;
    case ItemType::Spike:
      body += section("Question", description) + section("Hypothesis", "_To be written._") +
              section("Timebox", "_To be written._") +
              section("Investigation Plan", criteria_list(item.criteria)) +
              section("Findings", "_To be written._");
      break;
    case ItemType::Refactor:
      body += section("Motivation", description) +
              section("Acceptance Criteria", criteria_list(item.criteria));
      break;
  }
  body.pop_back();  // one trailing newline, not a blank line
  return body;
}

}  // namespace

std::string WorkItem::name() const {
  if (auto name = document.get_string(kName); name && !name->empty()) return *name;
  if (auto title = heading_title(document.body())) return *title;
  return id.slug;
}

std::optional<std::string> WorkItem::agent() const {
  auto agent = document.get_string(kAgent);
  if (agent && agent->empty()) return std::nullopt;
  return agent;
}

std::optional<QaMode> WorkItem::qa() const {
  auto qa = document.get_string(kQa);
  return qa ? parse_qa_mode(*qa) : std::nullopt;
}

bool WorkItem::manual_qa() const {
  return document.get_bool(kManualQa).value_or(false);
}
bool WorkItem::review_hold() const {
  return document.get_bool(kReviewHold).value_or(false);
}
bool WorkItem::blocked() const {
  return document.get_bool(kBlocked).value_or(false);
}
std::optional<std::string> WorkItem::blocked_reason() const {
  return document.get_string(kBlockedReason);
}

std::optional<std::string> WorkItem::merge_failure() const {
  auto failure = document.get_string(kMergeFailure);
  if (failure && failure->empty()) return std::nullopt;
  return failure;
}

int WorkItem::retry_count() const {
  auto count = document.get_int(kRetryCount).value_or(0);
  return count < 0 ? 0 : static_cast<int>(std::min<long long>(count, 1'000'000));
}

std::vector<std::string> WorkItem::depends_on() const {
  return document.get_string_list(kDependsOn).value_or(std::vector<std::string>{});
}

std::vector<Criterion> WorkItem::criteria() const {
  return parse_criteria(document.body());
}

std::vector<FieldProblem> WorkItem::problems() const {
  std::vector<FieldProblem> problems;
  auto report = [&](std::string_view field, const std::string& expected) {
    problems.push_back({document.line_of(field), std::string(field),
                        "'" + std::string(field) + "' should be " + expected + ", found " +
                            document.describe_value(field)});
  };
  for (auto field : {kManualQa, kReviewHold, kBlocked}) {
    if (document.has_value(field) && !document.get_bool(field)) report(field, "true or false");
  }
  if (document.has_value(kRetryCount) &&
      (!document.get_int(kRetryCount) || *document.get_int(kRetryCount) < 0)) {
    report(kRetryCount, "a whole number >= 0");
  }
  for (auto field : {kName, kAgent, kMergeFailure, kBlockedReason}) {
    if (document.has_value(field) && !document.get_string(field)) report(field, "text");
  }
  if (document.has_value(kQa) && !qa()) report(kQa, "server, agent or human");
  if (document.has_value(kDependsOn)) {
    auto deps = document.get_string_list(kDependsOn);
    if (!deps) {
      report(kDependsOn, "a list of story ids");
    } else {
      for (const auto& dep : *deps) {
        bool is_number = !dep.empty() && dep.find_first_not_of("0123456789") == std::string::npos;
        if (!is_number && !parse_story_id(dep)) {
          report(kDependsOn,
                 "a list of story ids ('12' or '12_story_slug'), with '" + dep + "' among them");
        }
      }
    }
  }
  return problems;
}

void WorkItem::set_blocked(bool blocked, std::optional<std::string> reason) {
  if (blocked) {
    document.set_bool(kBlocked, true);
    if (reason) document.set_string(kBlockedReason, *reason);
  } else {
    document.remove(kBlocked);
    document.remove(kBlockedReason);
  }
}

void WorkItem::set_review_hold(bool hold) {
  if (hold) {
    document.set_bool(kReviewHold, true);
  } else {
    document.remove(kReviewHold);
  }
}

void WorkItem::set_merge_failure(std::optional<std::string> failure) {
  if (failure) {
    document.set_string(kMergeFailure, *failure);
  } else {
    document.remove(kMergeFailure);
  }
}

void WorkItem::set_retry_count(int count) {
  document.set_int(kRetryCount, count);
}

bool WorkItem::set_criterion(size_t index, bool checked) {
  auto criteria = parse_criteria(document.body());
  if (index >= criteria.size()) return false;
  document.replace_in_body(criteria[index].box_offset, 1, checked ? "x" : " ");
  return true;
}

std::string render_new_item(const NewItem& item, long number) {
  ItemDocument document = ItemDocument::from_body(new_item_body(item, number));
  document.set_string(kName, item.name);
  if (item.agent) document.set_string(kAgent, *item.agent);
  if (item.qa) document.set_string(kQa, to_string(*item.qa));
  if (!item.depends_on.empty()) document.set_string_list(kDependsOn, item.depends_on);
  return document.text();
}

}  // namespace stork
