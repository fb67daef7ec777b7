// The chat bot in the object graph: built when .storkit/project.toml has [chat.matrix] (and
// the graph has a pipeline), from the same operations REST and MCP use. The app starts it after the
// notifier and stops it first at shutdown.
#pragma once

#include <memory>

#include <boost/asio/any_io_executor.hpp>

#include "app/object_graph.hpp"

namespace stork::app {

// Null without [chat.matrix] or without a pipeline.
std::unique_ptr<chat::ChatTransport> build_chat_bot(const boost::asio::any_io_executor& io,
                                                    ObjectGraph& graph,
                                                    const GraphOptions& options);

}  // namespace stork::app
