#include "mcp/stream_channel.hpp"

#include <boost/json/serialize.hpp>

#include "base/json_text.hpp"

namespace stork::mcp {

// Events carry no id: this server does not replay streams (Last-Event-ID), and an id would
// invite a client to try.
bool StreamChannel::send(const boost::json::value& message) {
  if (gone()) return false;
  if (!sink_->send(json_text(message), {})) gone_ = true;
  return !gone_;
}

bool StreamChannel::keep_alive() {
  if (gone()) return false;
  if (!sink_->keep_alive()) gone_ = true;
  return !gone_;
}

}  // namespace stork::mcp
