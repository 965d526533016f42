#pragma once

#include <QString>

#include <optional>
#include <utility>
#include <variant>

namespace baricadr {

// Machine-readable category of an expected failure. The edges map it to what they need
// (HTTP status in headless/api/httperrors.cpp, exit code in the CLI, icon in the GUI).
enum class ErrorCode
{
    InvalidInput,      // bad request field, bad path, bad email (HTTP 400)
    NotFound,          // unknown task, repo, file (HTTP 404)
    NotFreezable,      // freeze asked on a repo that is not freezable (HTTP 400)
    Unauthorized,      // missing or wrong credentials (HTTP 401)
    Conflict,          // state does not allow the operation (HTTP 409)
    Config,            // bad configuration value (refuse to start)
    RemoteUnreachable, // remote down, auth refused, timeout talking to it
    RcloneFailed,      // rclone exited non-zero for another reason
    RcloneMissing,     // rclone binary not found
    Io,                // local filesystem error
    Database,          // store error
    Cancelled,         // the operation was cancelled on purpose
    Timeout,           // our own watchdog fired
    Internal,          // a bug: never expected
};

struct Error
{
    ErrorCode code = ErrorCode::Internal;
    QString message; // plain words for a human; never contains a secret

    Error() = default;
    Error(ErrorCode c, QString m)
        : code(c)
        , message(std::move(m))
    {}
};

// A value or an Error. Exceptions never cross the event loop; expected failures travel as this.
template<typename T> class [[nodiscard]] Result
{
public:
    Result(const T &value)
        : m_data(value)
    {}
    Result(T &&value)
        : m_data(std::move(value))
    {}
    Result(const Error &error)
        : m_data(error)
    {}
    Result(Error &&error)
        : m_data(std::move(error))
    {}
    // QFuture needs default-constructible results; a default Result is an internal error.
    Result()
        : m_data(Error(ErrorCode::Internal, QStringLiteral("no result")))
    {}

    bool ok() const { return m_data.index() == 0; }
    explicit operator bool() const { return ok(); }

    const T &value() const & { return std::get<0>(m_data); }
    T &value() & { return std::get<0>(m_data); }
    T &&value() && { return std::get<0>(std::move(m_data)); }
    const T &operator*() const & { return value(); }
    const T *operator->() const { return &value(); }

    const Error &error() const { return std::get<1>(m_data); }

private:
    std::variant<T, Error> m_data;
};

// Result of an operation that returns nothing but may fail.
template<> class [[nodiscard]] Result<void>
{
public:
    Result() = default;
    Result(const Error &error)
        : m_error(error)
    {}
    Result(Error &&error)
        : m_error(std::move(error))
    {}

    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error &error() const { return *m_error; }

private:
    std::optional<Error> m_error;
};

using Status = Result<void>;

} // namespace baricadr
