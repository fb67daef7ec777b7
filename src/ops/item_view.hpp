// ItemView: what every surface reports about one work item, as plain facts read once from its
// file. REST (`GET /api/items/{id}`), the CLI (`stork story show --json`), the MCP tools and
// chat all show this one view through one serializer (ops/item_json.hpp; field names in
// docs/items.md). Built from a WorkItem; never reads or writes a file itself.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "work/work_item.hpp"

namespace stork::ops {

struct FrontMatterEntry {
  std::string key;
  // A scalar as YAML types it, or a list of strings; nested mappings (storkit writes none) have
  // neither.
  enum class Type { Null, Bool, Integer, String, List } type = Type::Null;
  bool flag = false;
  long long number = 0;
  std::string text;
  std::vector<std::string> list;
};

struct ItemView {
  std::string id;  // 42_story_login
  long number = 0;
  std::string type;  // story, bug, spike, refactor
  std::string slug;
  std::string name;
  Stage stage = Stage::Backlog;
  std::string path;  // relative to the project root, with '/'
  std::optional<std::string> agent;
  std::optional<std::string> qa;
  bool manual_qa = false;
  bool blocked = false;
  std::optional<std::string> blocked_reason;
  bool review_hold = false;
  std::optional<std::string> merge_failure;
  int retry_count = 0;
  std::vector<std::string> depends_on;
  std::vector<Criterion> criteria;
  std::size_t criteria_checked = 0;

  // Detail only (a listing leaves them empty).
  std::vector<FrontMatterEntry> front_matter;
  std::string body;
  std::vector<FieldProblem> problems;
};

enum class ViewDepth { Summary, Detail };

ItemView view_of(const WorkItem& item, const std::filesystem::path& project_root,
                 ViewDepth depth = ViewDepth::Detail);

}  // namespace stork::ops
