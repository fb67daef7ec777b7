#include "work/stage_store.hpp"

#include <algorithm>
#include <cerrno>
#include <map>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/file_io.hpp"
#include "work/item_file.hpp"
#include "work/item_index.hpp"

namespace stork {
namespace {

constexpr std::string_view kExtension = ".md";

// Holds flock(LOCK_EX) on a directory: serialises writers across processes (the CLI and a
// running server) without leaving a lock file behind in the user's tree.
class DirectoryLock {
 public:
  explicit DirectoryLock(const std::filesystem::path& dir)
      : fd_(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) {
    if (fd_ >= 0) ::flock(fd_, LOCK_EX);
  }
  ~DirectoryLock() {
    if (fd_ >= 0) ::close(fd_);  // closing releases the lock
  }
  DirectoryLock(const DirectoryLock&) = delete;
  DirectoryLock& operator=(const DirectoryLock&) = delete;

 private:
  int fd_;
};

WorkError io_error(const IoError& error, const std::filesystem::path& path) {
  return WorkError{WorkErrorKind::Io, error.message, path};
}

bool is_number(std::string_view text) {
  return !text.empty() && text.size() < 12 &&
         text.find_first_not_of("0123456789") == std::string_view::npos;
}

// The leading number of any "<digits>_..." file name, valid id or not, so allocation never
// reuses a number that a hand-made file already claims.
long leading_number(std::string_view name) {
  auto underscore = name.find('_');
  if (underscore == std::string_view::npos || !is_number(name.substr(0, underscore))) return 0;
  return std::stol(std::string(name.substr(0, underscore)));
}

// The attached ItemIndex's answer for `number` (and `wanted`, a full id), confirmed on disk;
// nothing when only a scan can answer (no index, not indexed, a number used twice, or the
// disk disagrees in a way the scan must judge).
std::optional<StageStore::Entry> locate_indexed(const StageStore& store,
                                                const std::optional<StoryId>& wanted, long number) {
  auto index = ItemIndex::find(store.project_root());
  if (!index || !index->filled()) return std::nullopt;
  auto indexed = index->with_number(number);
  if (indexed.size() != 1) return std::nullopt;  // not indexed, or a number used twice
  const auto& location = indexed.front();
  if (wanted && !(location.id == *wanted)) return std::nullopt;
  // Where the file is now: one lstat per stage directory, so a move made by hand is followed
  // and a copy left in a second stage, a symlink or a removal goes to the scan's answer.
  const auto name = location.id.str() + std::string(kExtension);
  std::optional<StageStore::Entry> found;
  for (Stage stage : kAllStages) {
    auto path = store.stage_dir(stage) / name;
    struct stat info {};
    if (::lstat(path.c_str(), &info) != 0) {
      if (errno == ENOENT || errno == ENOTDIR) continue;
      return std::nullopt;
    }
    if (!S_ISREG(info.st_mode) || found) return std::nullopt;
    found = StageStore::Entry{location.id, stage, std::move(path)};
  }
  if (found && found->stage != location.stage) index->put({found->id, found->stage, found->path});
  return found;
}

}  // namespace

StageStore::StageStore(std::filesystem::path project_root) : root_(std::move(project_root)) {}

void StageStore::note_written(const std::filesystem::path& path) const {
  if (auto index = ItemIndex::find(root_)) index->note_written(path.filename().string());
}

std::filesystem::path StageStore::work_dir() const {
  return root_ / ".storkit" / "work";
}

std::filesystem::path StageStore::stage_dir(Stage stage) const {
  return work_dir() / stage_dir_name(stage);
}

// One directory entry as scan() judges it: skipped (not an .md file), an entry, or a problem.
void StageStore::classify(Stage stage, const std::filesystem::path& path, Scan& into) const {
  const auto name = path.filename().string();
  if (name.empty() || name.front() == '.' || path.extension() != kExtension) return;
  if (auto why = not_an_item_file(path)) {
    into.problems.push_back({WorkErrorKind::Io, path.string() + ": " + *why, path});
    return;
  }
  auto id = parse_story_id(path.stem().string());
  if (!id) {
    into.problems.push_back({WorkErrorKind::InvalidId,
                             path.string() + ": not a work item file name: " + id.error().message(),
                             path});
    return;
  }
  into.entries.push_back({std::move(*id), stage, path});
}

StageStore::Scan StageStore::scan() const {
  Scan scan;
  for (Stage stage : kAllStages) {
    std::error_code error;
    for (const auto& file : std::filesystem::directory_iterator(stage_dir(stage), error))
      classify(stage, file.path(), scan);
  }
  std::sort(scan.entries.begin(), scan.entries.end(), [](const Entry& a, const Entry& b) {
    return a.id.number != b.id.number ? a.id.number < b.id.number : a.stage < b.stage;
  });
  for (size_t i = 1; i < scan.entries.size(); ++i) {
    const Entry& previous = scan.entries[i - 1];
    const Entry& current = scan.entries[i];
    if (previous.id.number == current.id.number) {
      scan.problems.push_back({WorkErrorKind::Ambiguous,
                               "number " + std::to_string(current.id.number) + " is used twice: " +
                                   previous.path.string() + " and " + current.path.string(),
                               current.path});
    }
  }
  if (auto index = ItemIndex::find(root_)) {
    std::vector<ItemIndex::Location> locations;
    locations.reserve(scan.entries.size());
    for (const auto& entry : scan.entries)
      locations.push_back({entry.id, entry.stage, entry.path});
    index->replace(locations);
  }
  return scan;
}

StageStore::Scan StageStore::scan_names(const std::set<std::string>& file_names) const {
  Scan scan;
  for (const auto& name : file_names) {
    if (name.empty() || name.find('/') != std::string::npos || name == "..") continue;
    for (Stage stage : kAllStages) {
      auto path = stage_dir(stage) / name;
      struct stat info {};
      if (::lstat(path.c_str(), &info) != 0) continue;  // not in this stage
      classify(stage, path, scan);
    }
  }
  return scan;
}

WorkResult<StageStore::Entry> StageStore::locate(std::string_view id) const {
  std::optional<StoryId> wanted;
  if (!is_number(id)) {
    auto parsed = parse_story_id(id);
    if (!parsed) return fail(WorkError{WorkErrorKind::InvalidId, parsed.error().message()});
    wanted = std::move(*parsed);
  }
  const long number = wanted ? wanted->number : std::stol(std::string(id));
  // A running server's index answers without listing the work directory (item_index.hpp).
  if (auto indexed = locate_indexed(*this, wanted, number)) return std::move(*indexed);
  std::vector<Entry> matches;
  for (auto& entry : scan().entries) {
    if (wanted ? entry.id == *wanted : entry.id.number == number)
      matches.push_back(std::move(entry));
  }
  if (matches.empty()) {
    return fail(WorkError{WorkErrorKind::NotFound,
                          "no work item '" + std::string(id) + "' in " + work_dir().string()});
  }
  if (matches.size() > 1) {
    return fail(WorkError{
        WorkErrorKind::Ambiguous,
        "'" + std::string(id) + "' matches more than one file: " + matches[0].path.string() +
            " and " + matches[1].path.string() + "; remove or renumber one of them",
        matches[1].path});
  }
  return std::move(matches.front());
}

WorkResult<WorkItem> StageStore::load_entry(const Entry& entry) const {
  auto text = read_item_file(entry.path, max_item_bytes_);
  if (!text) return fail(std::move(text).take_error());
  auto document = ItemDocument::parse(std::move(*text));
  if (!document) {
    const auto& error = document.error();
    return fail(
        WorkError{WorkErrorKind::Malformed, error.message, entry.path, error.line, error.column});
  }
  return WorkItem{entry.id, entry.stage, entry.path, std::move(*document)};
}

WorkResult<WorkItem> StageStore::load(std::string_view id) const {
  auto entry = locate(id);
  if (!entry) return fail(std::move(entry).take_error());
  return load_entry(*entry);
}

StageStore::Listing StageStore::load_all(std::optional<Stage> only) const {
  Listing listing;
  Scan found = scan();
  listing.problems = std::move(found.problems);
  listing.items.reserve(found.entries.size());
  for (const auto& entry : found.entries) {
    if (only && entry.stage != *only) continue;
    auto loaded = load_entry(entry);
    if (loaded.ok()) {
      listing.items.push_back(std::move(*loaded));
    } else {
      listing.problems.push_back(std::move(loaded).take_error());
    }
  }
  return listing;
}

WorkResult<WorkItem> StageStore::create(NewItem item) {
  if (item.name.find_first_not_of(" \t\r\n") == std::string::npos) {
    return fail(WorkError{WorkErrorKind::InvalidInput, "a work item needs a name"});
  }
  if (item.name.find_first_of("\r\n") != std::string::npos) {
    return fail(WorkError{WorkErrorKind::InvalidInput, "the name must be a single line"});
  }
  const std::string slug = slugify(item.name);
  if (auto valid = validate_slug(slug); !valid) {
    return fail(
        WorkError{WorkErrorKind::InvalidInput,
                  "cannot make a file name from '" + item.name + "': " + valid.error().reason});
  }
  std::error_code error;
  std::filesystem::create_directories(stage_dir(Stage::Backlog), error);
  if (error) {
    return fail(WorkError{WorkErrorKind::Io, "cannot create " + stage_dir(Stage::Backlog).string() +
                                                 ": " + error.message()});
  }

  DirectoryLock lock(work_dir());
  for (auto& dependency : item.depends_on) {
    auto entry = locate(dependency);
    if (!entry) {
      auto failure = std::move(entry).take_error();
      failure.message = "depends_on: " + failure.message;
      return fail(std::move(failure));
    }
    dependency = entry->id.str();
  }
  long number = 0;
  for (Stage stage : kAllStages) {
    for (const auto& file : std::filesystem::directory_iterator(stage_dir(stage), error)) {
      number = std::max(number, leading_number(file.path().filename().string()));
    }
  }
  StoryId id{number + 1, item.type, slug};
  const auto path = stage_dir(Stage::Backlog) / (id.str() + std::string(kExtension));
  if (auto created = create_file_exclusive(path, render_new_item(item, id.number)); !created) {
    return fail(io_error(created.error(), path));
  }
  if (auto index = ItemIndex::find(root_)) index->put({id, Stage::Backlog, path});
  note_written(path);
  return load_entry({id, Stage::Backlog, path});
}

WorkResult<StageStore::Move> StageStore::move(std::string_view id, Stage to) {
  DirectoryLock lock(work_dir());
  auto entry = locate(id);
  if (!entry) return fail(std::move(entry).take_error());
  Move move{entry->id, entry->stage, to, entry->path};
  if (entry->stage == to) return move;

  std::error_code error;
  std::filesystem::create_directories(stage_dir(to), error);
  move.path = stage_dir(to) / entry->path.filename();
  if (auto renamed = rename_no_replace(entry->path, move.path); !renamed) {
    return fail(io_error(renamed.error(), entry->path));
  }
  if (auto index = ItemIndex::find(root_)) index->put({move.id, to, move.path});
  note_written(move.path);
  return move;
}

WorkResult<WorkItem> StageStore::update(std::string_view id, const Edit& edit) {
  DirectoryLock lock(work_dir());
  auto item = load(id);
  if (!item) return item;
  const std::string before(item->document.text());
  if (auto edited = edit(*item); !edited) return fail(std::move(edited).take_error());
  if (item->document.text() == before) return item;
  if (auto written = write_file_atomic(item->path, item->document.text()); !written) {
    return fail(io_error(written.error(), item->path));
  }
  note_written(item->path);
  return item;
}

WorkResult<void> StageStore::save(const WorkItem& item) {
  DirectoryLock lock(work_dir());
  if (!std::filesystem::exists(item.path)) {
    return fail(WorkError{WorkErrorKind::NotFound,
                          "cannot save " + item.id.str() + ": " + item.path.string() +
                              " no longer exists (was it moved?)",
                          item.path});
  }
  if (auto written = write_file_atomic(item.path, item.document.text()); !written) {
    return fail(io_error(written.error(), item.path));
  }
  note_written(item.path);
  return {};
}

}  // namespace stork
