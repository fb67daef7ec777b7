// diff_against_base: three git diffs of the same two commits (names and statuses, line counts,
// patches), joined by path. Patches are split at their "diff --git" headers and matched by
// the path each chunk names, never by position: a file that changes type (file ↔ symlink) has
// two chunks.
#include <array>
#include <charconv>
#include <map>

#include "git/branch_status.hpp"
#include "git/git_output.hpp"

namespace stork {
namespace {

// Options that keep a user's diff configuration (colour, external diff tools, textconv
// filters, relative paths, other prefixes) out of what we parse.
constexpr std::array<const char*, 9> kDiffOptions = {
    "diff",           "--no-color",        "--no-ext-diff",   "--no-textconv",  "--no-relative",
    "--find-renames", "--submodule=short", "--src-prefix=a/", "--dst-prefix=b/"};

std::vector<std::string> diff_args(std::vector<std::string> extra, const std::string& from,
                                   const std::string& to) {
  std::vector<std::string> args(kDiffOptions.begin(), kDiffOptions.end());
  args.insert(args.end(), extra.begin(), extra.end());
  args.insert(args.end(), {from, to, "--"});
  return args;
}

std::string status_word(char letter) {
  switch (letter) {
    case 'A':
    case 'C':
      return "added";
    case 'D':
      return "deleted";
    case 'R':
      return "renamed";
    default:
      return "modified";  // M, and T (a type change)
  }
}

std::vector<FileDiff> parse_name_status(std::string_view name_status_z) {
  std::vector<FileDiff> files;
  auto tokens = split_nul(name_status_z);
  for (size_t i = 0; i + 1 < tokens.size(); i += 2) {
    FileDiff file;
    const char letter = tokens[i].empty() ? 'M' : tokens[i][0];
    file.status = status_word(letter);
    if ((letter == 'R' || letter == 'C') && i + 2 < tokens.size()) {
      if (letter == 'R') file.old_path = tokens[i + 1];
      file.path = tokens[i + 2];
      ++i;
    } else {
      file.path = tokens[i + 1];
    }
    files.push_back(std::move(file));
  }
  return files;
}

int to_int(std::string_view text) {
  int value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

// `--numstat -z`: "added\tdeleted\tpath\0", or for a rename "added\tdeleted\t\0old\0new\0";
// a binary file has "-" for both counts.
void apply_numstat(std::string_view numstat_z, std::map<std::string, FileDiff*>& by_path) {
  auto tokens = split_nul(numstat_z);
  for (size_t i = 0; i < tokens.size(); ++i) {
    const auto& entry = tokens[i];
    auto tab1 = entry.find('\t');
    auto tab2 = tab1 == std::string::npos ? tab1 : entry.find('\t', tab1 + 1);
    if (tab2 == std::string::npos) continue;
    std::string path = entry.substr(tab2 + 1);
    if (path.empty() && i + 2 < tokens.size()) {
      path = tokens[i + 2];
      i += 2;
    }
    auto found = by_path.find(path);
    if (found == by_path.end()) continue;
    auto added = std::string_view(entry).substr(0, tab1);
    auto deleted = std::string_view(entry).substr(tab1 + 1, tab2 - tab1 - 1);
    found->second->binary = added == "-" && deleted == "-";
    found->second->additions = to_int(added);
    found->second->deletions = to_int(deleted);
  }
}

// The path a patch chunk is about: "rename to <new>" when it is a rename, else the header's
// "a/<p> b/<p>", whose halves are equal, so even a path with " b/" in it splits one way only.
std::string chunk_path(std::string_view chunk) {
  auto line_end = chunk.find('\n');
  std::string_view header = chunk.substr(0, line_end);
  header.remove_prefix(std::string_view("diff --git ").size());
  // Extended header lines come before the first ---, @@ or "Binary files" line.
  size_t pos = line_end == std::string_view::npos ? chunk.size() : line_end + 1;
  while (pos < chunk.size()) {
    auto end = chunk.find('\n', pos);
    if (end == std::string_view::npos) end = chunk.size();
    auto line = chunk.substr(pos, end - pos);
    if (line.starts_with("--- ") || line.starts_with("@@") || line.starts_with("Binary files"))
      break;
    if (line.starts_with("rename to ")) return unquote_path(line.substr(10));
    pos = end + 1;
  }
  if (header.starts_with('"')) {
    // Quoted: "a/..." "b/..."; a quoted path has no unescaped quote before its end.
    size_t close = 1;
    while (close < header.size() && header[close] != '"')
      close += header[close] == '\\' ? 2 : 1;
    auto second = header.substr(std::min(header.size(), close + 2));
    auto path = unquote_path(second);
    return path.starts_with("b/") ? path.substr(2) : path;
  }
  if (header.size() >= 5 && (header.size() - 5) % 2 == 0) {
    const size_t length = (header.size() - 5) / 2;
    auto path = header.substr(2, length);
    if (header.substr(2 + length, 3) == " b/" && header.substr(5 + length) == path)
      return std::string(path);
  }
  return {};
}

void attach_patches(std::string_view patch, std::map<std::string, FileDiff*>& by_path) {
  size_t start = patch.starts_with("diff --git ") ? 0 : patch.find("\ndiff --git ");
  if (start == std::string_view::npos) return;
  if (start != 0) ++start;
  while (start < patch.size()) {
    auto next = patch.find("\ndiff --git ", start);
    size_t end = next == std::string_view::npos ? patch.size() : next + 1;
    auto chunk = patch.substr(start, end - start);
    auto found = by_path.find(chunk_path(chunk));
    if (found != by_path.end()) found->second->patch += chunk;
    start = end;
  }
}

// The changes from `base_commit` to `head_commit` (full ids), per file.
GitResult<BranchDiff> diff_commits(const GitRepo& repo, std::string base_commit,
                                   std::string head_commit, std::size_t max_patch_bytes) {
  BranchDiff diff;
  diff.base_commit = std::move(base_commit);
  diff.head_commit = std::move(head_commit);

  auto names = repo.run(diff_args({"--name-status", "-z"}, diff.base_commit, diff.head_commit));
  if (!names) return fail(std::move(names).take_error());
  diff.files = parse_name_status(*names);
  if (diff.files.empty()) return diff;
  std::map<std::string, FileDiff*> by_path;
  for (auto& file : diff.files)
    by_path[file.path] = &file;

  auto numstat = repo.run(diff_args({"--numstat", "-z"}, diff.base_commit, diff.head_commit));
  if (!numstat) return fail(std::move(numstat).take_error());
  apply_numstat(*numstat, by_path);

  // Every changed line costs at least two bytes of patch ("+" and "\n"), so a file with more
  // lines than half the cap can never fit: leave it out of the patch run instead of reading
  // a generated megabyte file only to drop it.
  auto args = diff_args({}, diff.base_commit, diff.head_commit);
  std::vector<bool> cannot_fit(diff.files.size(), false);
  size_t left_out = 0;
  for (size_t i = 0; i < diff.files.size(); ++i) {
    const auto& file = diff.files[i];
    const auto lines = static_cast<size_t>(file.additions) + static_cast<size_t>(file.deletions);
    if (2 * lines <= max_patch_bytes) continue;
    cannot_fit[i] = true;
    ++left_out;
    args.push_back(":(exclude,literal)" + file.path);
    if (!file.old_path.empty()) args.push_back(":(exclude,literal)" + file.old_path);
  }
  if (left_out < diff.files.size()) {
    auto patch = repo.run(args);
    if (!patch) return fail(std::move(patch).take_error());
    attach_patches(*patch, by_path);
  }

  size_t total = 0;
  for (size_t i = 0; i < diff.files.size(); ++i) {
    auto& file = diff.files[i];
    diff.truncated = diff.truncated || cannot_fit[i] || total + file.patch.size() > max_patch_bytes;
    if (diff.truncated) {
      file.patch.clear();
      continue;
    }
    total += file.patch.size();
  }
  return diff;
}

}  // namespace

GitResult<BranchDiff> diff_against_base(const std::filesystem::path& project_root,
                                        const std::string& branch, const std::string& base_branch,
                                        std::size_t max_patch_bytes) {
  auto repo = GitRepo::open(project_root);
  if (!repo) return fail(std::move(repo).take_error());
  auto head = branch_commit(*repo, branch);
  if (!head) return fail(std::move(head).take_error());
  auto base_tip = branch_commit(*repo, base_branch);
  if (!base_tip) return fail(std::move(base_tip).take_error());
  auto merge_base = repo->run({"merge-base", *base_tip, *head});
  if (!merge_base) {
    if (merge_base.error().exit_code == 1) {
      return fail(
          git_failure({"merge-base", *base_tip, *head},
                      "branch '" + branch + "' shares no history with '" + base_branch + "'"));
    }
    return fail(std::move(merge_base).take_error());
  }
  return diff_commits(*repo, trim_line_end(std::move(*merge_base)), std::move(*head),
                      max_patch_bytes);
}

GitResult<BranchDiff> diff_of_commit(const std::filesystem::path& project_root,
                                     const std::string& commit, std::size_t max_patch_bytes) {
  auto repo = GitRepo::open(project_root);
  if (!repo) return fail(std::move(repo).take_error());
  // "--end-of-options" keeps a commit argument that starts with "-" from being an option.
  auto head = repo->run({"rev-parse", "--verify", "--end-of-options", commit + "^{commit}"});
  if (!head) return fail(std::move(head).take_error());
  auto parent = repo->run({"rev-parse", "--verify", "--end-of-options", commit + "^1^{commit}"});
  if (!parent) return fail(std::move(parent).take_error());
  return diff_commits(*repo, trim_line_end(std::move(*parent)), trim_line_end(std::move(*head)),
                      max_patch_bytes);
}

}  // namespace stork
