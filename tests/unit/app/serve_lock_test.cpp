// One server per project: the second ServeLock on a project is refused with the first
// holder's pid and port, the lock goes with its holder (also when the process dies), and the
// lock file stays out of `git status`.
#include "app/serve_lock.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support/git_fixture.hpp"
#include "support/temp_dir.hpp"

namespace stork::app {
namespace {

using ::testing::HasSubstr;

class ServeLockTest : public ::testing::Test {
 protected:
  ServeLockTest() {
    testing::init_repo(dir_.path());
    std::filesystem::create_directories(dir_ / ".storkit");
  }
  testing::TempDir dir_;
};

TEST_F(ServeLockTest, SecondLockIsRefusedNamingTheFirstServersPidAndPort) {
  auto first = ServeLock::acquire(dir_.path());
  ASSERT_TRUE(first.ok()) << first.error();
  first.value().record(3456);
  auto second = ServeLock::acquire(dir_.path());
  ASSERT_FALSE(second.ok());
  EXPECT_THAT(second.error(), HasSubstr("pid " + std::to_string(::getpid())));
  EXPECT_THAT(second.error(), HasSubstr("http://127.0.0.1:3456"));
  EXPECT_THAT(second.error(), HasSubstr("already serves " + dir_.path().string()));
}

TEST_F(ServeLockTest, LockIsFreeAgainOnceItsHolderIsGone) {
  {
    auto first = ServeLock::acquire(dir_.path());
    ASSERT_TRUE(first.ok());
  }
  auto again = ServeLock::acquire(dir_.path());
  EXPECT_TRUE(again.ok()) << (again.ok() ? "" : again.error());
}

TEST_F(ServeLockTest, LockOfAKilledProcessIsReleasedByTheKernel) {
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto held = ServeLock::acquire(dir_.path());
    const char byte = held.ok() ? 'y' : 'n';
    (void)!::write(ready[1], &byte, 1);
    ::pause();  // killed below while holding the lock
    ::_exit(0);
  }
  char byte = 0;
  ASSERT_EQ(::read(ready[0], &byte, 1), 1);
  ASSERT_EQ(byte, 'y');
  EXPECT_FALSE(ServeLock::acquire(dir_.path()).ok());
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  EXPECT_TRUE(ServeLock::acquire(dir_.path()).ok());
  ::close(ready[0]);
  ::close(ready[1]);
}

TEST_F(ServeLockTest, LockFileIsKeptOutOfGitStatus) {
  auto lock = ServeLock::acquire(dir_.path());
  ASSERT_TRUE(lock.ok());
  EXPECT_EQ(testing::git(dir_.path(), {"status", "--porcelain"}), "");
}

}  // namespace
}  // namespace stork::app
