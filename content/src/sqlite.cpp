#include "sqlite.hpp"

#include <fmt/format.h>

namespace kohtaamo::sqlite {

Error databaseError(sqlite3* db, std::string_view what)
{
    const int code = sqlite3_errcode(db);
    return Error{ErrorCode::Database, fmt::format("{}: {} (SQLite {})", what, sqlite3_errmsg(db), code)};
}

Result<void> execute(sqlite3* db, std::string_view sql)
{
    const std::string text(sql);
    if (sqlite3_exec(db, text.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
        return std::unexpected(databaseError(db, "executing SQL"));
    }
    return {};
}

Result<Statement> Statement::prepare(sqlite3* db, std::string_view sql)
{
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &statement, nullptr) != SQLITE_OK) {
        return std::unexpected(databaseError(db, fmt::format("preparing \"{}\"", sql.substr(0, 60))));
    }
    return Statement(db, statement);
}

Statement& Statement::bind(int index, std::string_view text)
{
    // An empty view may have a null data(), which SQLite would bind as NULL rather than ''.
    sqlite3_bind_text(m_statement.get(), index, text.empty() ? "" : text.data(), static_cast<int>(text.size()),
                      SQLITE_TRANSIENT);
    return *this;
}

Statement& Statement::bind(int index, std::int64_t value)
{
    sqlite3_bind_int64(m_statement.get(), index, value);
    return *this;
}

Statement& Statement::bind(int index, std::optional<std::int64_t> value)
{
    return value ? bind(index, *value) : bindNull(index);
}

Statement& Statement::bindNull(int index)
{
    sqlite3_bind_null(m_statement.get(), index);
    return *this;
}

bool Statement::step()
{
    const int rc = sqlite3_step(m_statement.get());
    if (rc == SQLITE_ROW) return true;
    if (rc != SQLITE_DONE) m_error = databaseError(m_db, "reading the cache");
    return false;
}

Result<void> Statement::run()
{
    const int rc = sqlite3_step(m_statement.get());
    sqlite3_reset(m_statement.get());
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) return std::unexpected(databaseError(m_db, "writing the cache"));
    return {};
}

void Statement::reset()
{
    sqlite3_reset(m_statement.get());
    sqlite3_clear_bindings(m_statement.get());
    m_error.reset();
}

std::string_view Statement::text(int column) const
{
    const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(m_statement.get(), column));
    return data ? std::string_view(data, static_cast<std::size_t>(sqlite3_column_bytes(m_statement.get(), column)))
                : std::string_view{};
}

std::int64_t Statement::integer(int column) const { return sqlite3_column_int64(m_statement.get(), column); }

std::optional<std::int64_t> Statement::optionalInteger(int column) const
{
    if (sqlite3_column_type(m_statement.get(), column) == SQLITE_NULL) return std::nullopt;
    return integer(column);
}

Result<Transaction> Transaction::begin(sqlite3* db)
{
    if (auto started = execute(db, "BEGIN IMMEDIATE"); !started) return std::unexpected(started.error());
    return Transaction(db);
}

Transaction::~Transaction()
{
    if (m_db) sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
}

Result<void> Transaction::commit()
{
    if (auto committed = execute(m_db, "COMMIT"); !committed) return committed;
    m_db = nullptr;
    return {};
}

} // namespace kohtaamo::sqlite
