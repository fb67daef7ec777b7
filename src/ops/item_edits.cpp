#include "ops/item_edits.hpp"

#include "base/utf8.hpp"
#include "pipeline/start_checks.hpp"

namespace stork::ops {

OpResult<void> set_criterion(WorkItem& item, std::size_t index, bool checked) {
  if (item.set_criterion(index, checked)) return {};
  const auto count = item.criteria().size();
  OpError error{OpError::Kind::NotFound, "'" + item.id.str() + "' has no criterion " +
                                             std::to_string(index) + " (it has " +
                                             std::to_string(count) + ", numbered from 0)"};
  error.story = item.id.str();
  error.field = "index";
  error.limit = count;
  return fail(std::move(error));
}

void block(WorkItem& item, const std::string& reason) {
  item.set_blocked(true, reason.empty() ? std::nullopt : std::optional<std::string>(reason));
}

void clear_block(WorkItem& item) {
  item.set_blocked(false);
  item.set_merge_failure(std::nullopt);
  item.document.remove("retry_count");
}

std::string record_test_results(WorkItem& item, std::int64_t passed, std::int64_t failed,
                                const std::optional<std::string>& summary) {
  std::string results = "passed " + std::to_string(passed) + ", failed " + std::to_string(failed);
  if (summary) results += ": " + *summary;
  item.document.set_string("test_results", results);
  return results;
}

namespace {

void set_or_remove(ItemDocument& document, std::string_view key,
                   const std::optional<std::optional<std::string>>& value) {
  if (value && *value) document.set_string(key, **value);
  if (value && !*value) document.remove(key);
}

}  // namespace

void ItemPatch::apply(WorkItem& item) const {
  auto& document = item.document;
  set_or_remove(document, "name", name);
  set_or_remove(document, "agent", agent);
  set_or_remove(document, "qa", qa);
  if (depends_on && depends_on->empty()) document.remove("depends_on");
  if (depends_on && !depends_on->empty()) document.set_string_list("depends_on", *depends_on);
  if (manual_qa && *manual_qa) document.set_bool("manual_qa", true);
  if (manual_qa && !*manual_qa) document.remove("manual_qa");
}

OpResult<void> check_agent(const ProjectConfig* config, const std::string& field,
                           const std::string& agent) {
  if (config == nullptr) return {};
  auto found = pipeline::find_configured_agent(*config, agent);
  if (found.ok()) return {};
  return fail(invalid_input(field, found.error().message()));
}

OpResult<void> check_item_name(const std::string& name) {
  if (name.find_first_not_of(" \t\r\n") == std::string::npos)
    return fail(invalid_input("name", "a work item needs a name"));
  if (name.find_first_of("\r\n") != std::string::npos)
    return fail(invalid_input("name", "the name must be a single line"));
  for (std::size_t at = 0; at < name.size(); ++at) {
    const auto byte = static_cast<unsigned char>(name[at]);
    if ((byte < 0x20 && byte != '\t') || byte == 0x7f) {
      return fail(invalid_input("name", "the name must not contain control characters (byte " +
                                            std::to_string(byte) + " at offset " +
                                            std::to_string(at) + ")"));
    }
  }
  if (auto bad = find_invalid_utf8(name); bad != std::string::npos) {
    return fail(invalid_input(
        "name", "the name is not valid UTF-8 (at byte offset " + std::to_string(bad) + ")"));
  }
  return {};
}

}  // namespace stork::ops
