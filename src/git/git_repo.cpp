#include "git/git_repo.hpp"

#include "base/git_link.hpp"
#include "base/subprocess.hpp"
#include "git/git_files.hpp"
#include "git/git_output.hpp"

namespace stork {
namespace {

GitResult<std::string> run_git(const std::filesystem::path& cwd,
                               const std::vector<std::string>& args,
                               const std::string& input = {}) {
  Command command;
  command.argv.reserve(args.size() + 1);
  command.argv.push_back("git");
  command.argv.insert(command.argv.end(), args.begin(), args.end());
  command.cwd = cwd;
  command.stdin_data = input;
  // Never stop to ask a question: no pager, no editor, no credential prompt.
  command.set_env = {{"GIT_TERMINAL_PROMPT", "0"}, {"GIT_PAGER", "cat"}, {"GIT_EDITOR", "true"}};
  auto output = run_command(command);
  if (!output) return fail(GitError{args, -1, output.error().message});
  if (!output->succeeded()) return fail(GitError{args, output->exit_code, output->err});
  return std::move(output->out);
}

}  // namespace

std::string GitError::message() const {
  std::string command = "git";
  for (const auto& arg : args)
    command += " " + arg;
  std::string text = command + " failed";
  if (exit_code >= 0) text += " (exit " + std::to_string(exit_code) + ")";
  auto detail = trim_line_end(stderr_text);
  return detail.empty() ? text : text + ": " + detail;
}

GitResult<GitRepo> GitRepo::open(const std::filesystem::path& dir) {
  // A directory holding `.git` (a directory, or the file of a linked worktree) is its own top
  // level: no need to ask git. The pipeline opens repositories dozens of times per item, and a
  // git process costs milliseconds. Anything else (a subdirectory, a broken layout) asks git.
  std::error_code error;
  if (std::filesystem::exists(dir / ".git", error)) {
    auto top = std::filesystem::canonical(dir, error);
    if (!error) return GitRepo(top);
  }
  auto top = run_git(dir, {"rev-parse", "--show-toplevel"});
  if (!top) return fail(std::move(top).take_error());
  return GitRepo(trim_line_end(std::move(*top)));
}

GitResult<GitRepo> GitRepo::open_toplevel(const std::filesystem::path& dir) {
  auto repo = open(dir);
  if (!repo) return repo;
  std::error_code error;
  auto wanted = std::filesystem::weakly_canonical(dir, error);
  auto found = std::filesystem::weakly_canonical(repo->root(), error);
  if (wanted != found) {
    return fail(GitError{{"rev-parse", "--show-toplevel"},
                         -1,
                         dir.string() + " is not the top level of a work tree (it lies inside " +
                             repo->root().string() + ")"});
  }
  return repo;
}

GitResult<std::string> GitRepo::run(const std::vector<std::string>& args) const {
  return run_git(root_, args);
}

GitResult<std::filesystem::path> GitRepo::git_dir() const {
  const auto dot_git = root_ / ".git";
  std::error_code error;
  if (std::filesystem::is_directory(dot_git, error)) return dot_git;
  if (std::filesystem::is_regular_file(dot_git, error)) {
    auto linked = read_git_link(dot_git);
    if (linked && std::filesystem::is_directory(*linked, error)) return *linked;
  }
  auto asked = run({"rev-parse", "--absolute-git-dir"});
  if (!asked) return fail(std::move(asked).take_error());
  return std::filesystem::path(trim_line_end(std::move(*asked)));
}

GitResult<std::string> GitRepo::current_branch() const {
  auto branch = run({"symbolic-ref", "--short", "-q", "HEAD"});
  if (!branch) return branch;
  return trim_line_end(std::move(*branch));
}

GitResult<std::string> GitRepo::head_commit() const {
  auto commit = run({"rev-parse", "--verify", "-q", "HEAD"});
  if (!commit) return commit;
  return trim_line_end(std::move(*commit));
}

GitResult<GitRepo::Head> GitRepo::head() const {
  // Options apply to the names after them: the id, then the full symbolic name ("HEAD" when
  // detached), then the "--" that makes both revisions. An unborn HEAD fails: ask one by one.
  if (auto both = run({"rev-parse", "HEAD", "--symbolic-full-name", "HEAD", "--"})) {
    constexpr std::string_view kHeads = "refs/heads/";
    auto lines = split_lines(*both);
    if (lines.size() == 3 && lines[2] == "--") {
      Head found{"", std::move(lines[0])};
      if (lines[1].starts_with(kHeads)) found.branch = lines[1].substr(kHeads.size());
      return found;
    }
  }
  auto branch = current_branch();
  auto commit = head_commit();
  if (!branch && !commit) return fail(std::move(commit).take_error());
  return Head{branch ? *branch : "", commit ? *commit : ""};
}

GitResult<std::vector<std::string>> GitRepo::tracked(const std::vector<std::string>& paths) const {
  std::vector<std::string> args = {"ls-files", "-z", "--"};
  args.insert(args.end(), paths.begin(), paths.end());
  auto listed = run(args);
  if (!listed) return fail(std::move(listed).take_error());
  return split_nul(*listed);
}

bool GitRepo::has_identity() const {
  return run({"var", "GIT_COMMITTER_IDENT"}).ok();
}

GitResult<std::string> GitRepo::run_committing(const std::vector<std::string>& args,
                                               const std::string& input) const {
  auto committed = run_git(root_, args, input);
  if (committed || has_identity()) return committed;
  std::vector<std::string> as_stork = {"-c", "user.name=stork", "-c", "user.email=stork@localhost"};
  as_stork.insert(as_stork.end(), args.begin(), args.end());
  return run_git(root_, as_stork, input);
}

GitResult<std::string> GitRepo::commit_paths(const std::vector<std::string>& paths,
                                             const std::string& message) const {
  std::vector<std::string> add = {"add", "-A", "--"};
  add.insert(add.end(), paths.begin(), paths.end());
  if (auto added = run(add); !added) return fail(std::move(added).take_error());

  std::vector<std::string> commit = {"commit", "-q", "--no-verify", "-m", message, "--only", "--"};
  commit.insert(commit.end(), paths.begin(), paths.end());
  if (auto committed = run_committing(commit); !committed) {
    // git refuses a commit that changes nothing; asked only then, not before every commit.
    std::vector<std::string> staged = {"diff", "--cached", "--quiet", "--"};
    staged.insert(staged.end(), paths.begin(), paths.end());
    if (run(staged).ok()) return std::string();  // nothing to commit for these paths
    return fail(std::move(committed).take_error());
  }
  // The commit just moved the checked-out branch, whose ref git wrote loose.
  auto head = head_from_files_or_git(*this);
  if (!head) return fail(std::move(head).take_error());
  return std::move(head->commit);
}

}  // namespace stork
