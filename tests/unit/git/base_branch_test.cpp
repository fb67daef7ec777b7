#include "git/base_branch.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/git_fixture.hpp"
#include "support/temp_dir.hpp"

namespace stork {
namespace {

using ::testing::HasSubstr;

TEST(ResolveBaseBranch, ConfiguredValueWins) {
  testing::TempDir dir;
  testing::init_repo(dir.path());
  auto base = resolve_base_branch(dir.path(), std::string("develop"));
  ASSERT_TRUE(base.ok()) << base.error().message;
  EXPECT_EQ(*base, "develop");
}

TEST(ResolveBaseBranch, WithoutConfigIsTheMainCheckoutsBranch) {
  testing::TempDir dir;
  testing::init_repo(dir.path());
  testing::git(dir.path(), {"checkout", "-q", "-b", "trunk"});
  auto base = resolve_base_branch(dir.path(), std::nullopt);
  ASSERT_TRUE(base.ok()) << base.error().message;
  EXPECT_EQ(*base, "trunk");
}

TEST(ResolveBaseBranch, DetachedHeadIsAnErrorThatSaysHowToFixIt) {
  testing::TempDir dir;
  testing::init_repo(dir.path());
  testing::git(dir.path(), {"checkout", "-q", "--detach"});
  auto base = resolve_base_branch(dir.path(), std::nullopt);
  ASSERT_FALSE(base.ok());
  EXPECT_THAT(base.error().message, HasSubstr("detached"));
  EXPECT_THAT(base.error().message, HasSubstr("base_branch"));
}

TEST(ResolveBaseBranch, OutsideARepositoryCarriesGitsMessage) {
  testing::TempDir dir;
  auto base = resolve_base_branch(dir.path(), std::nullopt);
  ASSERT_FALSE(base.ok());
  ASSERT_TRUE(base.error().git.has_value());
  EXPECT_THAT(base.error().message, HasSubstr("not a git repository"));
}

}  // namespace
}  // namespace stork
