// GET /api/items/{id}/diff: the changes on the item's branch (feature/story-<id>) since it left
// the base branch, per file with status, line counts and patch; for a merged item, whose branch
// is gone, the changes of its squash commit on the base. git runs on the worker pool.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "api/api_context.hpp"
#include "api/routes.hpp"
#include "api/story_lookup.hpp"
#include "git/branch_ops.hpp"
#include "git/branch_status.hpp"
#include "git/merge_workspace.hpp"

namespace stork::api {
namespace json = boost::json;
namespace asio = boost::asio;

namespace {

// How far back on the base branch a merged item's squash commit is looked for.
constexpr int kMergedSearchDepth = 1000;

json::object diff_json(const std::string& story, const std::string& branch,
                       const std::string& base_branch, const BranchDiff& diff) {
  json::array files;
  int additions = 0;
  int deletions = 0;
  for (const auto& file : diff.files) {
    json::object entry{{"path", file.path},           {"status", file.status},
                       {"additions", file.additions}, {"deletions", file.deletions},
                       {"binary", file.binary},       {"patch", file.patch}};
    if (!file.old_path.empty()) entry["old_path"] = file.old_path;
    files.push_back(std::move(entry));
    additions += file.additions;
    deletions += file.deletions;
  }
  return json::object{{"id", story},
                      {"branch", branch},
                      {"base_branch", base_branch},
                      {"base_commit", diff.base_commit},
                      {"head_commit", diff.head_commit},
                      {"additions", additions},
                      {"deletions", deletions},
                      {"truncated", diff.truncated},
                      {"files", std::move(files)}};
}

ApiResult<json::object> branch_diff(const std::filesystem::path& root,
                                    const std::string& base_branch, const std::string& text) {
  auto entry = locate_story(root, text);
  if (!entry.ok()) return fail(entry.error());
  const auto story = entry.value().id.str();
  const std::string branch = "feature/story-" + story;
  auto exists = branch_exists(root, branch);
  if (!exists.ok()) return fail(ApiError{500, "git_error", exists.error().message()});
  if (!exists.value()) {
    // Merged: the branch was deleted once its squash commit (trailer `Stork-Merge: <id>`)
    // landed on the base, and that commit is what the item changed.
    auto landed = find_landed_merge(root, base_branch, entry.value().id, kMergedSearchDepth);
    if (!landed.ok()) return fail(ApiError{500, "git_error", landed.error().message()});
    if (!landed.value()) {
      return fail(not_found("'" + story + "' has no branch " + branch +
                            " (no agent has worked on it yet) and no merge commit on " +
                            base_branch));
    }
    auto merged = diff_of_commit(root, *landed.value());
    if (!merged.ok()) return fail(ApiError{500, "git_error", merged.error().message()});
    auto out = diff_json(story, branch, base_branch, merged.value());
    out["merged_commit"] = *landed.value();
    return out;
  }
  auto diff = diff_against_base(root, branch, base_branch);
  if (!diff.ok()) return fail(ApiError{500, "git_error", diff.error().message()});
  return diff_json(story, branch, base_branch, diff.value());
}

asio::awaitable<http::Response> get_diff(ContextPtr context, http::Request& request) {
  auto compute = [root = context->services().project_root, base = context->services().base_branch,
                  id = request.path_params["id"]] { return branch_diff(root, base, id); };
  auto diff = co_await context->offload(compute);
  if (!diff.ok()) co_return to_response(diff.error());
  co_return json_response(200, diff.value());
}

}  // namespace

void add_diff_routes(http::Router& router, const ContextPtr& context) {
  router.add(
      "GET", "/api/items/{id}/diff",
      [context](http::Request& request) { return get_diff(context, request); }, "item_diff");
}

}  // namespace stork::api
