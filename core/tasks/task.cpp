#include "tasks/task.h"

#include <array>

namespace baricadr {

namespace {
constexpr std::array<const char16_t *, 3> kTypeNames = {u"pull", u"freeze", u"verify"};
constexpr std::array<const char16_t *, 8> kStatusNames = {
    u"waiting", u"started", u"pulling", u"freezing", u"verifying", u"finished", u"failed", u"cancelled"};
} // namespace

QString toString(TaskType type)
{
    return QString::fromUtf16(kTypeNames[static_cast<size_t>(type)]);
}

QString toString(TaskStatus status)
{
    return QString::fromUtf16(kStatusNames[static_cast<size_t>(status)]);
}

std::optional<TaskType> taskTypeFromString(const QString &s)
{
    for (size_t i = 0; i < kTypeNames.size(); ++i)
        if (s == QStringView(kTypeNames[i]))
            return static_cast<TaskType>(i);
    return std::nullopt;
}

std::optional<TaskStatus> taskStatusFromString(const QString &s)
{
    for (size_t i = 0; i < kStatusNames.size(); ++i)
        if (s == QStringView(kStatusNames[i]))
            return static_cast<TaskStatus>(i);
    return std::nullopt;
}

bool isFinal(TaskStatus status)
{
    return status == TaskStatus::Finished || status == TaskStatus::Failed || status == TaskStatus::Cancelled;
}

} // namespace baricadr
