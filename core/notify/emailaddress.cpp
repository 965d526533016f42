#include "notify/emailaddress.h"

#include <QChar>
#include <QStringList>

namespace baricadr {

namespace {

Error invalid(const QString &message)
{
    return Error(ErrorCode::InvalidInput, message);
}

// How email_validator names a bad character: whitespace and controls by name, others quoted.
QString describe(char32_t c)
{
    switch (c) {
    case U' ':
        return QStringLiteral("SPACE");
    case U'\t':
        return QStringLiteral("TAB");
    case U'\n':
        return QStringLiteral("LINE FEED");
    case U'\r':
        return QStringLiteral("CARRIAGE RETURN");
    case 0:
        return QStringLiteral("NUL");
    default:
        break;
    }
    if (c < 0x20 || c == 0x7f)
        return QStringLiteral("U+%1").arg(uint(c), 4, 16, QLatin1Char('0')).toUpper();
    if (QChar::isSpace(c))
        return QStringLiteral("U+%1").arg(uint(c), 4, 16, QLatin1Char('0')).toUpper();
    return QLatin1Char('\'') + QString::fromUcs4(&c, 1) + QLatin1Char('\'');
}

QString describeAll(const QList<char32_t> &bad)
{
    QStringList names;
    for (char32_t c : bad) {
        const QString name = describe(c);
        if (!names.contains(name))
            names.append(name);
    }
    return names.join(QStringLiteral(", "));
}

bool isAtext(char32_t c)
{
    if (c >= 0x80) // internationalised local parts (SMTPUTF8), but no spaces or controls
        return !QChar::isSpace(c) && QChar::category(c) != QChar::Other_Control &&
               QChar::category(c) != QChar::Other_Format;
    if ((c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z') || (c >= U'0' && c <= U'9'))
        return true;
    return QStringView(u"!#$%&'*+-/=?^_`{|}~").contains(QChar(char16_t(c)));
}

bool isDomainChar(char32_t c)
{
    if (c >= 0x80) // internationalised domain names
        return QChar::isLetterOrNumber(c) || QChar::category(c) == QChar::Mark_NonSpacing ||
               QChar::category(c) == QChar::Mark_SpacingCombining;
    return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z') || (c >= U'0' && c <= U'9') || c == U'-' ||
           c == U'.';
}

QString tooMany(qsizetype n)
{
    return n == 1 ? QStringLiteral("1 character too many") : QStringLiteral("%1 characters too many").arg(n);
}

} // namespace

Status validateEmailAddress(const QString &address)
{
    if (address.count(QLatin1Char('@')) != 1)
        return invalid(QStringLiteral("The email address is not valid. It must have exactly one @-sign."));
    const qsizetype at = address.indexOf(QLatin1Char('@'));
    const QString local = address.left(at);
    const QString domain = address.mid(at + 1);
    if (local.isEmpty())
        return invalid(QStringLiteral("There must be something before the @-sign."));
    if (domain.isEmpty())
        return invalid(QStringLiteral("There must be something after the @-sign."));

    // Local part.
    const QList<uint> localChars = local.toUcs4();
    QList<char32_t> bad;
    for (uint c : localChars)
        if (c != U'.' && !isAtext(c))
            bad.append(c);
    if (!bad.isEmpty())
        return invalid(QStringLiteral("The email address contains invalid characters before the @-sign: %1.")
                           .arg(describeAll(bad)));
    if (local.startsWith(QLatin1Char('.')))
        return invalid(QStringLiteral("An email address cannot start with a period."));
    if (local.endsWith(QLatin1Char('.')))
        return invalid(
            QStringLiteral("An email address cannot have a period immediately before the @-sign."));
    if (local.contains(QStringLiteral("..")))
        return invalid(QStringLiteral("An email address cannot have two periods in a row."));
    if (local.toUtf8().size() > 64)
        return invalid(QStringLiteral("The email address is too long before the @-sign (%1).")
                           .arg(tooMany(local.toUtf8().size() - 64)));

    // Domain.
    if (domain.startsWith(QLatin1Char('[')))
        return invalid(QStringLiteral("A bracketed IP address after the @-sign is not allowed here."));
    const QList<uint> domainChars = domain.toUcs4();
    for (uint c : domainChars)
        if (!isDomainChar(c))
            bad.append(c);
    if (!bad.isEmpty())
        return invalid(QStringLiteral("The part after the @-sign contains invalid characters: %1.")
                           .arg(describeAll(bad)));
    if (domain.startsWith(QLatin1Char('.')))
        return invalid(QStringLiteral("An email address cannot have a period immediately after the @-sign."));
    if (domain.endsWith(QLatin1Char('.')))
        return invalid(QStringLiteral("An email address cannot end with a period."));
    if (domain.contains(QStringLiteral("..")))
        return invalid(QStringLiteral("An email address cannot have two periods in a row."));
    if (!domain.contains(QLatin1Char('.')))
        return invalid(QStringLiteral("The part after the @-sign is not valid. It should have a period."));
    const QStringList labels = domain.split(QLatin1Char('.'));
    for (const QString &label : labels) {
        if (label.startsWith(QLatin1Char('-')) || label.endsWith(QLatin1Char('-')))
            return invalid(
                QStringLiteral("The part after the @-sign is not valid. A label cannot start or end with a "
                               "hyphen (\"%1\").")
                    .arg(label));
        if (label.toUtf8().size() > 63)
            return invalid(
                QStringLiteral("The part after the @-sign is not valid. The label \"%1…\" is too long "
                               "(at most 63 characters).")
                    .arg(label.left(20)));
    }
    bool numeric = true;
    for (QChar c : labels.last())
        numeric = numeric && c.isDigit();
    if (numeric)
        return invalid(QStringLiteral(
            "The part after the @-sign is not valid. It is not within a valid top-level domain."));
    static const QStringList specialUse = {QStringLiteral("arpa"),  QStringLiteral("invalid"),
                                           QStringLiteral("local"), QStringLiteral("localhost"),
                                           QStringLiteral("onion"), QStringLiteral("test")};
    if (specialUse.contains(labels.last().toLower()))
        return invalid(
            QStringLiteral("The part after the @-sign is a special-use or reserved name that cannot be used "
                           "with email."));
    if (domain.toUtf8().size() > 253)
        return invalid(QStringLiteral("The email address is too long after the @-sign."));
    if (address.toUtf8().size() > 254)
        return invalid(QStringLiteral("The email address is too long (%1).")
                           .arg(tooMany(address.toUtf8().size() - 254)));
    return {};
}

} // namespace baricadr
