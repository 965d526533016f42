#pragma once

#include <QTest>

// QVERIFY2 evaluates its message even on success; a Result's error() exists only on failure.
#define QVERIFY_OK(result) QVERIFY2((result).ok(), (result).ok() ? "" : qPrintable((result).error().message))
