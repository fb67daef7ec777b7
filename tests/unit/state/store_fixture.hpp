// Shared by the state tests: a StateStore on a fresh project directory.
#pragma once

#include <memory>

#include <gtest/gtest.h>

#include "state/run_store.hpp"
#include "support/temp_dir.hpp"

namespace stork::state {

inline std::unique_ptr<StateStore> open_store(const std::filesystem::path& project) {
  auto store = StateStore::open(project);
  EXPECT_TRUE(store.ok()) << store.error().message;
  return store.ok() ? std::move(store).value() : nullptr;
}

inline NewRun new_run(std::string story = "1_story_a", std::string agent = "coder-1") {
  return NewRun{std::move(story), std::move(agent), "sonnet",
                "claude-code",    std::nullopt,     std::nullopt};
}

}  // namespace stork::state
