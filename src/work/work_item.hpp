// WorkItem: one item file (id, stage, path) with a typed view of the front-matter fields
// storkit uses. Setters edit the document in place (byte-preserving, see ItemDocument);
// persisting is StageStore's job. Fields with the wrong type read as their default and are
// listed by problems(), so one bad value never hides an item.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "config/project_config.hpp"
#include "work/acceptance_criteria.hpp"
#include "work/item_document.hpp"
#include "work/stage.hpp"
#include "work/story_id.hpp"

namespace stork {

// A field whose value cannot be used, e.g. `retry_count: many`.
struct FieldProblem {
  int line = 0;
  std::string field;
  std::string message;
};

struct WorkItem {
  StoryId id;
  Stage stage = Stage::Backlog;
  std::filesystem::path path;
  ItemDocument document;

  // `name` from front matter, else the title of the first "# ..." heading, else the slug.
  std::string name() const;
  std::optional<std::string> agent() const;
  std::optional<QaMode> qa() const;
  bool manual_qa() const;
  bool review_hold() const;
  bool blocked() const;
  std::optional<std::string> blocked_reason() const;
  std::optional<std::string> merge_failure() const;
  int retry_count() const;
  std::vector<std::string> depends_on() const;
  std::vector<Criterion> criteria() const;
  std::vector<FieldProblem> problems() const;

  void set_blocked(bool blocked, std::optional<std::string> reason = std::nullopt);
  void set_review_hold(bool hold);
  void set_merge_failure(std::optional<std::string> failure);
  void set_retry_count(int count);
  // Ticks (or clears) criterion `index`; false when there is no such criterion.
  bool set_criterion(size_t index, bool checked);
};

// What a new item says: its body follows storkit's section layout for its type.
struct NewItem {
  ItemType type = ItemType::Story;
  std::string name;
  std::string description;  // the user story, bug description, spike question or motivation
  std::vector<std::string> criteria;
  std::vector<std::string> depends_on;
  std::optional<std::string> agent;
  std::optional<QaMode> qa;
};

// The full file text for a new item numbered `number`.
std::string render_new_item(const NewItem& item, long number);

}  // namespace stork
