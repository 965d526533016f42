#pragma once

#include "util/result.h"

#include <QString>

// QVERIFY2 evaluates its message even when the check passes: never call error() on a success.
template<typename T> QByteArray why(const baricadr::Result<T> &r)
{
    return r.ok() ? QByteArray() : r.error().message.toUtf8();
}
