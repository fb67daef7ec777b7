#include "app/config_watcher.hpp"

#include <array>
#include <cerrno>
#include <cstring>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <sys/inotify.h>

namespace stork::app {
namespace asio = boost::asio;

class ConfigWatcher::Impl : public std::enable_shared_from_this<Impl> {
 public:
  Impl(const asio::any_io_executor& executor, int fd, std::string file_name,
       std::chrono::milliseconds debounce, std::function<void()> on_change)
      : stream_(executor, fd),
        timer_(executor),
        file_name_(std::move(file_name)),
        debounce_(debounce),
        on_change_(std::move(on_change)) {}

  void read_next() {
    stream_.async_read_some(asio::buffer(buffer_),
                            [self = shared_from_this()](boost::system::error_code ec, size_t n) {
                              if (ec || self->stopped_) return;
                              if (self->names_the_file(n)) self->schedule();
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
  bool names_the_file(size_t bytes) const {
    bool seen = false;
    size_t offset = 0;
    while (offset + sizeof(inotify_event) <= bytes) {
      const auto* event = reinterpret_cast<const inotify_event*>(buffer_.data() + offset);
      offset += sizeof(inotify_event) + event->len;
      if (event->len > 0 && file_name_ == event->name) seen = true;
    }
    return seen;
  }

  void schedule() {
    timer_.expires_after(debounce_);
    timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (!ec && !self->stopped_) self->on_change_();
    });
  }

  asio::posix::stream_descriptor stream_;
  asio::steady_timer timer_;
  std::string file_name_;
  std::chrono::milliseconds debounce_;
  std::function<void()> on_change_;
  alignas(inotify_event) std::array<char, std::size_t{8} * 1024> buffer_{};
  bool stopped_ = false;
};

Result<std::unique_ptr<ConfigWatcher>, std::string> ConfigWatcher::start(
    const asio::any_io_executor& executor, const std::filesystem::path& config_file,
    std::chrono::milliseconds debounce, std::function<void()> on_change) {
  const int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) return fail(std::string("inotify_init1: ") + std::strerror(errno));
  auto impl = std::make_shared<Impl>(executor, fd, config_file.filename().string(), debounce,
                                     std::move(on_change));
  const auto dir = config_file.parent_path();
  if (inotify_add_watch(fd, dir.c_str(), IN_CLOSE_WRITE | IN_MOVED_TO | IN_ONLYDIR) < 0) {
    const std::string error = std::strerror(errno);
    impl->stop();  // closes fd
    return fail("cannot watch " + dir.string() + ": " + error);
  }
  impl->read_next();
  return std::unique_ptr<ConfigWatcher>(new ConfigWatcher(std::move(impl)));
}

ConfigWatcher::~ConfigWatcher() {
  stop();
}

void ConfigWatcher::stop() {
  if (impl_) impl_->stop();
}

}  // namespace stork::app
