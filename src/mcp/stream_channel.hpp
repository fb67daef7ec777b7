// One open SSE reply as the server sees it (internal): JSON-RPC messages go out through the
// transport's sink until the client is gone. Used only on the server's strand.
#pragma once

#include <memory>

#include <boost/json/value.hpp>

#include "mcp/exchange.hpp"

namespace stork::mcp {

class StreamChannel {
 public:
  explicit StreamChannel(std::shared_ptr<SseSink> sink) : sink_(std::move(sink)) {}

  // False (and nothing sent) once the client is gone.
  bool send(const boost::json::value& message);
  bool keep_alive();
  bool gone() const { return gone_ || sink_->closed(); }

 private:
  std::shared_ptr<SseSink> sink_;
  bool gone_ = false;
};

}  // namespace stork::mcp
