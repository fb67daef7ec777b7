#include "mcp/tool_registry.hpp"

#include <stdexcept>

#include <gtest/gtest.h>

namespace stork::mcp {
namespace {

Tool make_tool(std::string name) {
  Tool tool;
  tool.name = std::move(name);
  tool.handler = [](const json::object&, ToolContext&) -> boost::asio::awaitable<ToolResult> {
    co_return ToolResult::ok("ok");
  };
  return tool;
}

TEST(ToolRegistry, ListsToolsInRegistrationOrder) {
  ToolRegistry registry;
  registry.add(make_tool("b"));
  registry.add(make_tool("a"));
  registry.add(make_tool("c"));
  auto tools = registry.list();
  ASSERT_EQ(tools.size(), 3u);
  EXPECT_EQ(tools[0]->name, "b");
  EXPECT_EQ(tools[1]->name, "a");
  EXPECT_EQ(tools[2]->name, "c");
}

TEST(ToolRegistry, RefusesADuplicateName) {
  ToolRegistry registry;
  registry.add(make_tool("a"));
  EXPECT_THROW(registry.add(make_tool("a")), std::logic_error);
  EXPECT_EQ(registry.list().size(), 1u);
}

TEST(ToolRegistry, RefusesAToolWithoutHandlerOrName) {
  ToolRegistry registry;
  Tool no_handler;
  no_handler.name = "x";
  EXPECT_THROW(registry.add(no_handler), std::logic_error);
  EXPECT_THROW(registry.add(make_tool("")), std::logic_error);
}

TEST(ToolRegistry, FindsAndRemovesByName) {
  ToolRegistry registry;
  registry.add(make_tool("a"));
  ASSERT_NE(registry.find("a"), nullptr);
  EXPECT_EQ(registry.find("missing"), nullptr);
  auto held = registry.get("a");
  registry.remove("a");
  EXPECT_EQ(registry.find("a"), nullptr);
  EXPECT_EQ(held->name, "a");  // a caller's shared_ptr outlives the removal
}

TEST(ToolRegistry, TellsListenersAboutAddAndRemoveButNotAboutNothing) {
  ToolRegistry registry;
  int changes = 0;
  auto id = registry.add_listener([&] { ++changes; });
  registry.add(make_tool("a"));
  registry.remove("a");
  registry.remove("a");  // already gone: no change
  EXPECT_EQ(changes, 2);
  registry.remove_listener(id);
  registry.add(make_tool("b"));
  EXPECT_EQ(changes, 2);
}

}  // namespace
}  // namespace stork::mcp
