#include "state/sqlite.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace stork::state {
namespace {

using ::testing::HasSubstr;

Database open_db(const std::filesystem::path& path) {
  auto db = Database::open(path);
  EXPECT_TRUE(db.ok()) << db.error().message;
  return std::move(db).value();
}

std::int64_t count_rows(Database& db, std::string_view table) {
  auto query = db.prepare("SELECT count(*) FROM " + std::string(table));
  EXPECT_TRUE(query.ok()) << query.error().message;
  EXPECT_EQ(*query->step(), Step::Row);
  return query->column_int64(0);
}

TEST(Database, OpenSetsWalAndForeignKeys) {
  testing::TempDir dir;
  auto db = open_db(dir / "a.db");
  auto mode = db.prepare("PRAGMA journal_mode");
  ASSERT_EQ(*mode->step(), Step::Row);
  EXPECT_EQ(mode->column_text(0), "wal");
  auto keys = db.prepare("PRAGMA foreign_keys");
  ASSERT_EQ(*keys->step(), Step::Row);
  EXPECT_EQ(keys->column_int64(0), 1);
  auto sync = db.prepare("PRAGMA synchronous");
  ASSERT_EQ(*sync->step(), Step::Row);
  EXPECT_EQ(sync->column_int64(0), 1);  // NORMAL
}

TEST(Database, OpenInAMissingDirectoryNamesTheFile) {
  testing::TempDir dir;
  auto db = Database::open(dir / "no/such/dir/a.db");
  ASSERT_FALSE(db.ok());
  EXPECT_THAT(db.error().message, HasSubstr((dir / "no/such/dir/a.db").string()));
  EXPECT_THAT(db.error().message, HasSubstr("unable to open"));
}

TEST(Database, GarbageFileIsAnErrorNamingTheFile) {
  testing::TempDir dir;
  testing::write_text(dir / "bad.db", std::string(4096, 'x') + "not a database at all");
  auto db = Database::open(dir / "bad.db");
  ASSERT_FALSE(db.ok());
  EXPECT_THAT(db.error().message, HasSubstr((dir / "bad.db").string()));
  EXPECT_THAT(db.error().message, HasSubstr("file is not a database"));
}

TEST(Database, PrepareErrorCarriesSqlAndSqliteMessage) {
  testing::TempDir dir;
  auto db = open_db(dir / "a.db");
  auto statement = db.prepare("SELEKT 1");
  ASSERT_FALSE(statement.ok());
  EXPECT_THAT(statement.error().message, HasSubstr("`SELEKT 1`"));
  EXPECT_THAT(statement.error().message, HasSubstr("syntax error"));
  EXPECT_THAT(statement.error().message, HasSubstr((dir / "a.db").string()));
}

TEST(Statement, BindsAndReadsEveryType) {
  testing::TempDir dir;
  auto db = open_db(dir / "a.db");
  auto query = db.prepare("SELECT ?1, ?2, ?3, ?4, ?5, ?6");
  ASSERT_TRUE(query.ok());
  query->bind(1, std::int64_t{1} << 40)
      .bind(2, 2.5)
      .bind(3, std::string_view("text"))
      .bind_null(4)
      .bind(5, std::string_view())
      .bind(6, std::optional<std::int64_t>());
  ASSERT_EQ(*query->step(), Step::Row);
  EXPECT_EQ(query->column_int64(0), std::int64_t{1} << 40);
  EXPECT_EQ(query->column_double(1), 2.5);
  EXPECT_EQ(query->column_text(2), "text");
  EXPECT_TRUE(query->column_is_null(3));
  EXPECT_EQ(query->column_optional_text(3), std::nullopt);
  EXPECT_FALSE(query->column_is_null(4));  // an empty string is not NULL
  EXPECT_EQ(query->column_optional_text(4), std::optional<std::string>(""));
  EXPECT_EQ(query->column_optional_int64(5), std::nullopt);
  EXPECT_EQ(*query->step(), Step::Done);
}

TEST(Statement, BadBindIsReportedByStep) {
  testing::TempDir dir;
  auto db = open_db(dir / "a.db");
  auto query = db.prepare("SELECT ?1");
  query->bind(7, std::int64_t{1});
  auto step = query->step();
  ASSERT_FALSE(step.ok());
  EXPECT_THAT(step.error().message, HasSubstr("cannot bind parameter 7"));
  EXPECT_THAT(step.error().message, HasSubstr("`SELECT ?1`"));
}

TEST(Statement, ConstraintErrorCarriesExtendedCode) {
  testing::TempDir dir;
  auto db = open_db(dir / "a.db");
  ASSERT_TRUE(db.exec("CREATE TABLE t (k INTEGER PRIMARY KEY)").ok());
  ASSERT_TRUE(db.exec("INSERT INTO t VALUES (1)").ok());
  auto insert = db.prepare("INSERT INTO t VALUES (1)");
  auto result = insert->run();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, 1555);  // SQLITE_CONSTRAINT_PRIMARYKEY
  EXPECT_THAT(result.error().message, HasSubstr("UNIQUE constraint failed: t.k"));
}

TEST(Database, CachedStatementIsPreparedOnceAndComesBackClean) {
  testing::TempDir dir;
  auto db = open_db(dir / "a.db");
  Statement* first = nullptr;
  {
    auto statement = db.cached("SELECT ?1");
    ASSERT_TRUE(statement.ok());
    first = &**statement;
    (*statement)->bind(1, std::int64_t{5});
    ASSERT_EQ(*(*statement)->step(), Step::Row);  // left half-read: the borrow resets it
  }
  auto again = db.cached("SELECT ?1");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(&**again, first);
  ASSERT_EQ(*(*again)->step(), Step::Row);
  EXPECT_TRUE((*again)->column_is_null(0));  // bindings were cleared
}

TEST(Transaction, RollsBackUnlessCommitted) {
  testing::TempDir dir;
  auto db = open_db(dir / "a.db");
  ASSERT_TRUE(db.exec("CREATE TABLE t (v INTEGER)").ok());
  {
    auto transaction = Transaction::begin(db);
    ASSERT_TRUE(transaction.ok());
    ASSERT_TRUE(db.exec("INSERT INTO t VALUES (1)").ok());
  }
  EXPECT_FALSE(db.in_transaction());
  EXPECT_EQ(count_rows(db, "t"), 0);
  {
    auto transaction = Transaction::begin(db);
    ASSERT_TRUE(db.exec("INSERT INTO t VALUES (2)").ok());
    ASSERT_TRUE(transaction->commit().ok());
  }
  EXPECT_EQ(count_rows(db, "t"), 1);
}

TEST(Transaction, SecondWriterWaitsThenReportsBusy) {
  testing::TempDir dir;
  auto first = open_db(dir / "a.db");
  auto second = open_db(dir / "a.db");
  ASSERT_TRUE(second.exec("PRAGMA busy_timeout = 50").ok());  // keep the test fast
  auto held = Transaction::begin(first);
  ASSERT_TRUE(held.ok());
  auto blocked = Transaction::begin(second);
  ASSERT_FALSE(blocked.ok());
  EXPECT_THAT(blocked.error().message, HasSubstr("database is locked"));
  EXPECT_THAT(blocked.error().message, HasSubstr("BEGIN IMMEDIATE"));
}

}  // namespace
}  // namespace stork::state
