// A thin RAII layer over the SQLite C API, just wide enough for the state store: a connection
// (Database), prepared statements (Statement, cached per connection and borrowed for one use),
// and IMMEDIATE transactions that roll back unless committed. Every error names the database
// file and the SQL that failed and carries SQLite's own message. Not thread-safe: one owner at
// a time (the agent pool's strand).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "base/result.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace stork::state {

struct StateError {
  std::string message;  // what failed, the file or SQL, and sqlite3_errmsg
  int code = 0;         // SQLite's extended result code, 0 when the error is not SQLite's
};

template <class T>
using StateResult = Result<T, StateError>;

enum class Step { Row, Done };

class Statement {
 public:
  Statement() = default;
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Parameters are 1-based, as in SQLite. A failed bind is remembered and reported by the next
  // step(), so a run of binds needs no error check of its own.
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, int value) { return bind(index, std::int64_t{value}); }
  Statement& bind(int index, double value);
  Statement& bind(int index, std::string_view value);  // copied by SQLite (SQLITE_TRANSIENT)
  Statement& bind(int index, std::optional<std::int64_t> value);
  Statement& bind(int index, const std::optional<std::string>& value);
  Statement& bind_null(int index);

  StateResult<Step> step();
  // Steps to the end, for statements that return no rows (INSERT, UPDATE, ...).
  StateResult<void> run();

  // Columns are 0-based. Text stays valid until the next step(), reset() or destruction.
  std::int64_t column_int64(int index) const;
  double column_double(int index) const;
  std::string_view column_text(int index) const;
  bool column_is_null(int index) const;
  std::optional<std::int64_t> column_optional_int64(int index) const;
  std::optional<std::string> column_optional_text(int index) const;

  // Ready to step again from the start; bindings are kept (clear_bindings drops them).
  void reset();
  void clear_bindings();

  std::string_view sql() const;

 private:
  friend class Database;
  explicit Statement(sqlite3_stmt* handle) : handle_(handle) {}
  void note_bind(int rc, int index);

  sqlite3_stmt* handle_ = nullptr;
  std::optional<StateError> bind_error_;
};

// A cached statement lent out for one use: bindings cleared when lent, reset when returned, so
// a half-read SELECT never keeps a read transaction open.
class BorrowedStatement {
 public:
  explicit BorrowedStatement(Statement& statement) : statement_(&statement) {}
  ~BorrowedStatement() {
    if (statement_ != nullptr) statement_->reset();
  }
  BorrowedStatement(BorrowedStatement&& other) noexcept
      : statement_(std::exchange(other.statement_, nullptr)) {}
  BorrowedStatement& operator=(BorrowedStatement&&) = delete;
  BorrowedStatement(const BorrowedStatement&) = delete;
  BorrowedStatement& operator=(const BorrowedStatement&) = delete;

  Statement* operator->() const { return statement_; }
  Statement& operator*() const { return *statement_; }

 private:
  Statement* statement_;
};

class Database {
 public:
  // Opens (creating if needed) the database file; its parent directory must exist. Sets
  // journal_mode=WAL, synchronous=NORMAL, foreign_keys=ON and a 5 s busy timeout. A file that
  // is not a SQLite database fails here, with an error naming the file.
  static StateResult<Database> open(const std::filesystem::path& path);
  // Opens an existing database file for reading only (no journal mode or pragma changed):
  // for a CLI that reads what a server, running or not, wrote.
  static StateResult<Database> open_read_only(const std::filesystem::path& path);

  Database() = default;
  ~Database();
  Database(Database&& other) noexcept;
  Database& operator=(Database&& other) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs one or more statements that return nothing of interest.
  StateResult<void> exec(std::string_view sql);
  StateResult<Statement> prepare(std::string_view sql);
  // The statement for `sql`, prepared once per connection and reused: the hot paths call this.
  StateResult<BorrowedStatement> cached(std::string_view sql);

  std::int64_t last_insert_rowid() const;
  int changes() const;  // rows changed by the last INSERT, UPDATE or DELETE
  bool in_transaction() const;
  const std::filesystem::path& path() const { return path_; }

  // An error about this database, with SQLite's current message appended.
  StateError error(std::string_view what) const;

 private:
  void close();

  sqlite3* handle_ = nullptr;
  std::filesystem::path path_;
  std::map<std::string, Statement, std::less<>> cache_;
};

// BEGIN IMMEDIATE (the write lock is taken up front, so a transaction never fails half-way on
// a lock upgrade); ROLLBACK on destruction unless commit() succeeded.
class Transaction {
 public:
  static StateResult<Transaction> begin(Database& db);
  ~Transaction();
  Transaction(Transaction&& other) noexcept
      : db_(std::exchange(other.db_, nullptr)), done_(other.done_) {}
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  StateResult<void> commit();

 private:
  explicit Transaction(Database& db) : db_(&db) {}

  Database* db_;
  bool done_ = false;
};

}  // namespace stork::state
