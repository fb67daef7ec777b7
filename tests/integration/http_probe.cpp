#include "http_probe.hpp"

#include <cstring>
#include <sstream>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace stork::testing {
namespace {

using Clock = std::chrono::steady_clock;

int connect_loopback(unsigned short port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

std::string request_text(unsigned short port, const std::string& method, const std::string& target,
                         const HeaderList& headers, const std::string& body) {
  bool has_host = false, has_length = false;
  std::string text = method + " " + target + " HTTP/1.1\r\n";
  for (const auto& [name, value] : headers) {
    has_host = has_host || strcasecmp(name.c_str(), "host") == 0;
    has_length = has_length || strcasecmp(name.c_str(), "content-length") == 0;
    text += name + ": " + value + "\r\n";
  }
  if (!has_host) text += "Host: 127.0.0.1:" + std::to_string(port) + "\r\n";
  if (!has_length && (!body.empty() || method == "POST"))
    text += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  text += "Connection: close\r\n\r\n";
  return text + body;
}

void send_all(int fd, const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;  // the server closed: it answered early (413) or went away
    sent += static_cast<std::size_t>(n);
  }
}

// Reads until EOF (or, with `stop_after_header`, until the header is complete).
std::string receive(int fd, Clock::time_point deadline, bool stop_after_header,
                    std::string& error) {
  std::string bytes;
  char buffer[16384];
  while (true) {
    if (stop_after_header && bytes.find("\r\n\r\n") != std::string::npos) return bytes;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      error = "timed out";
      return bytes;
    }
    pollfd poll_fd{fd, POLLIN, 0};
    if (::poll(&poll_fd, 1, static_cast<int>(left.count())) <= 0) continue;
    ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n == 0) return bytes;
    if (n < 0) {
      error = std::strerror(errno);
      return bytes;
    }
    bytes.append(buffer, static_cast<std::size_t>(n));
  }
}

std::string dechunk(const std::string& chunked) {
  std::string body;
  std::size_t at = 0;
  while (at < chunked.size()) {
    std::size_t line_end = chunked.find("\r\n", at);
    if (line_end == std::string::npos) break;
    std::size_t size = std::stoul(chunked.substr(at, line_end - at), nullptr, 16);
    if (size == 0) break;
    body += chunked.substr(line_end + 2, size);
    at = line_end + 2 + size + 2;
  }
  return body;
}

HttpAnswer parse(const std::string& bytes) {
  HttpAnswer answer;
  std::size_t head_end = bytes.find("\r\n\r\n");
  if (head_end == std::string::npos) {
    answer.error = "no complete response header in " + std::to_string(bytes.size()) + " bytes";
    return answer;
  }
  std::istringstream head(bytes.substr(0, head_end));
  std::string line;
  std::getline(head, line);
  if (line.size() > 12) answer.status = std::stoi(line.substr(9, 3));
  while (std::getline(head, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    answer.headers[line.substr(0, colon)] = value;
  }
  std::string body = bytes.substr(head_end + 4);
  answer.body = answer.header("transfer-encoding") == "chunked" ? dechunk(body) : body;
  return answer;
}

}  // namespace

std::string HttpAnswer::header(const std::string& name) const {
  auto found = headers.find(name);
  return found == headers.end() ? std::string() : found->second;
}

HttpAnswer http_call(unsigned short port, const std::string& method, const std::string& target,
                     const HeaderList& headers, const std::string& body,
                     std::chrono::milliseconds timeout) {
  int fd = connect_loopback(port);
  if (fd < 0) return HttpAnswer{0, {}, {}, std::string("connect: ") + std::strerror(errno)};
  const std::string request = request_text(port, method, target, headers, body);
  std::thread writer([fd, &request] { send_all(fd, request); });
  std::string error;
  std::string bytes = receive(fd, Clock::now() + timeout, false, error);
  ::shutdown(fd, SHUT_RDWR);  // unblocks the writer if the server stopped reading
  writer.join();
  ::close(fd);
  HttpAnswer answer = parse(bytes);
  if (!error.empty()) answer.error = error + (answer.error.empty() ? "" : "; " + answer.error);
  return answer;
}

int call_and_hang_up(unsigned short port, const std::string& method, const std::string& target,
                     const HeaderList& headers, const std::string& body) {
  int fd = connect_loopback(port);
  if (fd < 0) return 0;
  send_all(fd, request_text(port, method, target, headers, body));
  std::string error;
  std::string bytes = receive(fd, Clock::now() + std::chrono::seconds(5), true, error);
  ::close(fd);
  return parse(bytes).status;
}

std::vector<std::string> sse_data(const std::string& body) {
  std::vector<std::string> events;
  std::string current;
  std::istringstream lines(body);
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) {
      if (!current.empty()) events.push_back(current);
      current.clear();
    } else if (line.starts_with("data:")) {
      std::string data = line.substr(5);
      if (!data.empty() && data.front() == ' ') data.erase(0, 1);
      current += current.empty() ? data : "\n" + data;
    }
  }
  if (!current.empty()) events.push_back(current);
  return events;
}

}  // namespace stork::testing
