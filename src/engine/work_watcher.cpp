#include "engine/work_watcher.hpp"

#include <array>
#include <cerrno>
#include <cstring>
#include <map>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <sys/inotify.h>
#include <unistd.h>

namespace stork::engine {
namespace asio = boost::asio;
using std::chrono::steady_clock;

namespace {
constexpr std::uint32_t kItemEvents = IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO |
                                      IN_CLOSE_WRITE | IN_DELETE_SELF | IN_MOVE_SELF;
}

class WorkWatcher::Impl : public std::enable_shared_from_this<Impl> {
 public:
  Impl(const asio::any_io_executor& executor, int fd, std::filesystem::path work_dir,
       std::chrono::milliseconds debounce, std::function<void(const Burst&)> on_change)
      : stream_(executor, fd),
        timer_(executor),
        work_dir_(std::move(work_dir)),
        debounce_(debounce),
        on_change_(std::move(on_change)) {}

  Result<void, std::string> watch_all() {
    auto added = add_watch(work_dir_);
    if (!added.ok()) return added;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(work_dir_, ec)) {
      if (entry.is_directory(ec)) (void)add_watch(entry.path());
    }
    return {};
  }

  void read_next() {
    stream_.async_read_some(asio::buffer(buffer_),
                            [self = shared_from_this()](boost::system::error_code ec, size_t n) {
                              if (ec || self->stopped_) return;
                              self->handle(n);
                              self->read_next();
                            });
  }

  void stop() {
    stopped_ = true;
    timer_.cancel();
    boost::system::error_code ignored;
    stream_.close(ignored);
  }

 private:
  Result<void, std::string> add_watch(const std::filesystem::path& dir) {
    int wd = inotify_add_watch(stream_.native_handle(), dir.c_str(), kItemEvents | IN_ONLYDIR);
    if (wd < 0) return fail("cannot watch " + dir.string() + ": " + std::strerror(errno));
    watched_[wd] = dir;
    return {};
  }

  void handle(size_t bytes) {
    size_t offset = 0;
    while (offset + sizeof(inotify_event) <= bytes) {
      const auto* event = reinterpret_cast<const inotify_event*>(buffer_.data() + offset);
      offset += sizeof(inotify_event) + event->len;
      auto dir = watched_.find(event->wd);
      if (dir != watched_.end() && dir->second == work_dir_ && (event->mask & IN_ISDIR) &&
          (event->mask & (IN_CREATE | IN_MOVED_TO)) && event->len > 0) {
        (void)add_watch(work_dir_ / event->name);  // a stage directory created later
      }
      note(*event, dir == watched_.end() ? nullptr : &dir->second);
      if (event->mask & IN_IGNORED) watched_.erase(event->wd);
    }
    schedule();
  }

  // Adds what `event` (in the watched directory `dir`, null if unknown) touched to the burst.
  void note(const inotify_event& event, const std::filesystem::path* dir) {
    if (event.mask & IN_IGNORED) return;  // its watch went away: the DELETE_SELF said it
    const std::string_view name = event.len > 0 ? std::string_view(event.name) : "";
    const bool item_file = name.size() > 3 && name.front() != '.' && name.ends_with(".md");
    const bool in_stage = dir != nullptr && *dir != work_dir_;
    if (in_stage && !(event.mask & (IN_DELETE_SELF | IN_MOVE_SELF)) && !(event.mask & IN_ISDIR)) {
      if (item_file) burst_.files.emplace(name);
      return;  // an editor's temp file, a lock file: nothing a scan would list
    }
    burst_.everything = true;
  }

  void schedule() {
    auto now = steady_clock::now();
    if (!pending_) {
      pending_ = true;
      first_change_ = now;
    }
    auto due = std::min(now + debounce_, first_change_ + debounce_ * 5);
    timer_.expires_at(due);
    timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (ec || self->stopped_) return;
      self->pending_ = false;
      // The work directory itself may have been replaced (git checkout of .storkit).
      if (self->watched_.empty()) (void)self->watch_all();
      auto burst = std::move(self->burst_);
      self->burst_ = {};
      self->on_change_(burst);
    });
  }

  asio::posix::stream_descriptor stream_;
  asio::steady_timer timer_;
  std::filesystem::path work_dir_;
  std::chrono::milliseconds debounce_;
  std::function<void(const Burst&)> on_change_;
  std::map<int, std::filesystem::path> watched_;
  Burst burst_;  // what the pending burst touched so far
  alignas(inotify_event) std::array<char, std::size_t{16} << 10> buffer_{};
  bool pending_ = false;
  bool stopped_ = false;
  steady_clock::time_point first_change_;
};

Result<std::unique_ptr<WorkWatcher>, std::string> WorkWatcher::start(
    const asio::any_io_executor& executor, std::filesystem::path work_dir,
    std::chrono::milliseconds debounce, std::function<void(const Burst&)> on_change) {
  int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) return fail(std::string("inotify_init1: ") + std::strerror(errno));
  auto impl =
      std::make_shared<Impl>(executor, fd, std::move(work_dir), debounce, std::move(on_change));
  auto watched = impl->watch_all();
  if (!watched.ok()) return fail(watched.error());
  impl->read_next();
  return std::unique_ptr<WorkWatcher>(new WorkWatcher(std::move(impl)));
}

WorkWatcher::WorkWatcher(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

WorkWatcher::~WorkWatcher() {
  stop();
}

void WorkWatcher::stop() {
  if (impl_) impl_->stop();
}

}  // namespace stork::engine
