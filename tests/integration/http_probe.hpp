// A plain-socket HTTP/1.1 client for the serve tests: one request per connection
// ("Connection: close"), read to the end, chunked bodies decoded. Plain POSIX sockets, so the
// test sees the bytes a real client gets and compiles without Beast. Every call has a
// deadline; a server that does not answer fails the test instead of hanging it.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "http/request.hpp"

namespace stork::testing {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpAnswer {
  int status = 0;  // 0: no response; `error` says why
  std::map<std::string, std::string, http::CaseInsensitiveLess> headers;
  std::string body;
  std::string error;
  std::string header(const std::string& name) const;
};

// Host defaults to 127.0.0.1:port, Content-Length to the body's size (either may be given in
// `headers` instead). The body is written while the answer is read, so a server that answers
// before reading it all (413) is seen as a client sees it.
HttpAnswer http_call(unsigned short port, const std::string& method, const std::string& target,
                     const HeaderList& headers = {}, const std::string& body = {},
                     std::chrono::milliseconds timeout = std::chrono::seconds(10));

// Sends the request, waits until the response's header has arrived, then closes the
// connection without reading further: a client that goes away in the middle of a stream.
// Returns the status of the header (0 if none came).
int call_and_hang_up(unsigned short port, const std::string& method, const std::string& target,
                     const HeaderList& headers = {}, const std::string& body = {});

// Parses an SSE body into the data of each event, in order.
std::vector<std::string> sse_data(const std::string& body);

}  // namespace stork::testing
