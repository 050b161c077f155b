#pragma once
// A thin RAII layer over the SQLite C API for the store: connections, prepared statements and
// transactions that roll back unless committed. Private to the content module.

#include "content/error.hpp"

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <string>
#include <string_view>

namespace kohtaamo::sqlite {

struct ConnectionDeleter {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Connection = std::unique_ptr<sqlite3, ConnectionDeleter>;

[[nodiscard]] Error databaseError(sqlite3* db, std::string_view what);

/// Runs one or more statements without results.
[[nodiscard]] Result<void> execute(sqlite3* db, std::string_view sql);

/// A prepared statement; bind with 1-based indexes, step until done.
class Statement {
public:
    [[nodiscard]] static Result<Statement> prepare(sqlite3* db, std::string_view sql);

    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, std::optional<std::int64_t> value);
    Statement& bindNull(int index);

    /// True while a row is available; an error ends the loop and is kept in error().
    [[nodiscard]] bool step();
    /// Runs a statement that returns no rows.
    [[nodiscard]] Result<void> run();
    void reset();

    [[nodiscard]] std::string_view text(int column) const;
    [[nodiscard]] std::int64_t integer(int column) const;
    [[nodiscard]] std::optional<std::int64_t> optionalInteger(int column) const;
    [[nodiscard]] const std::optional<Error>& error() const { return m_error; }

private:
    struct Deleter {
        void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
    };
    Statement(sqlite3* db, sqlite3_stmt* statement) : m_db(db), m_statement(statement) {}
    sqlite3* m_db;
    std::unique_ptr<sqlite3_stmt, Deleter> m_statement;
    std::optional<Error> m_error;
};

/// BEGIN IMMEDIATE on construction; ROLLBACK on destruction unless commit() succeeded.
class Transaction {
public:
    [[nodiscard]] static Result<Transaction> begin(sqlite3* db);
    Transaction(Transaction&& other) noexcept : m_db(std::exchange(other.m_db, nullptr)) {}
    Transaction& operator=(Transaction&&) = delete;
    ~Transaction();
    [[nodiscard]] Result<void> commit();

private:
    explicit Transaction(sqlite3* db) : m_db(db) {}
    sqlite3* m_db;
};

} // namespace kohtaamo::sqlite
