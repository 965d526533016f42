#include "notify/emailaddress.h"

#include <QTest>

using namespace baricadr;

class tst_EmailAddress : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void validate_data()
    {
        QTest::addColumn<QString>("address");
        QTest::addColumn<QString>("error"); // empty = valid

        QTest::newRow("plain") << "user@example.org"
                               << "";
        QTest::newRow("subdomain, plus, dots") << "first.last+tag@mail.genouest.example.org"
                                               << "";
        QTest::newRow("atext specials") << "a!#$%&'*+-/=?^_`{|}~z@example.com"
                                        << "";
        QTest::newRow("unicode local") << "jörg@example.de"
                                       << "";
        QTest::newRow("idn domain") << "user@bücher.example"
                                    << "";
        QTest::newRow("64 before @") << QString(64, QLatin1Char('a')) + "@example.org"
                                     << "";

        const QString oneAt = "The email address is not valid. It must have exactly one @-sign.";
        QTest::newRow("no @") << "user.example.org" << oneAt;
        QTest::newRow("empty") << "" << oneAt;
        QTest::newRow("two @") << "a@b@example.org" << oneAt;
        QTest::newRow("empty local") << "@example.org"
                                     << "There must be something before the @-sign.";
        QTest::newRow("empty domain") << "user@"
                                      << "There must be something after the @-sign.";
        QTest::newRow("space") << "us er@example.org"
                               << "The email address contains invalid characters before the @-sign: SPACE.";
        QTest::newRow("comma and quote")
            << "a,b\"c@example.org"
            << "The email address contains invalid characters before the @-sign: ',', '\"'.";
        QTest::newRow("newline (header injection)")
            << "a\nBcc: x@example.org"
            << "The email address contains invalid characters before the @-sign: LINE FEED, ':', SPACE.";
        QTest::newRow("newline before @")
            << "a\nb@example.org"
            << "The email address contains invalid characters before the @-sign: LINE FEED.";
        QTest::newRow("leading dot") << ".user@example.org"
                                     << "An email address cannot start with a period.";
        QTest::newRow("dot before @")
            << "user.@example.org"
            << "An email address cannot have a period immediately before the @-sign.";
        QTest::newRow("two dots") << "us..er@example.org"
                                  << "An email address cannot have two periods in a row.";
        QTest::newRow("domain without dot")
            << "user@localdomain"
            << "The part after the @-sign is not valid. It should have a period.";
        QTest::newRow("domain bad char") << "user@exa_mple.org"
                                         << "The part after the @-sign contains invalid characters: '_'.";
        QTest::newRow("domain space") << "user@exa mple.org"
                                      << "The part after the @-sign contains invalid characters: SPACE.";
        QTest::newRow("domain leading dot")
            << "user@.example.org"
            << "An email address cannot have a period immediately after the @-sign.";
        QTest::newRow("domain trailing dot") << "user@example.org."
                                             << "An email address cannot end with a period.";
        QTest::newRow("domain two dots") << "user@example..org"
                                         << "An email address cannot have two periods in a row.";
        QTest::newRow("hyphen label")
            << "user@-example.org"
            << "The part after the @-sign is not valid. A label cannot start or end with a "
               "hyphen (\"-example\").";
        QTest::newRow("numeric tld")
            << "user@192.168.0.1"
            << "The part after the @-sign is not valid. It is not within a valid top-level domain.";
        QTest::newRow("ip literal") << "user@[127.0.0.1]"
                                    << "A bracketed IP address after the @-sign is not allowed here.";
        QTest::newRow("special use")
            << "user@host.localhost"
            << "The part after the @-sign is a special-use or reserved name that cannot be used "
               "with email.";
        QTest::newRow("65 before @")
            << QString(65, QLatin1Char('a')) + "@example.org"
            << "The email address is too long before the @-sign (1 character too many).";
        QTest::newRow("label too long")
            << "user@" + QString(64, QLatin1Char('b')) + ".org"
            << "The part after the @-sign is not valid. The label \"bbbbbbbbbbbbbbbbbbbb…\" "
               "is too long (at most 63 characters).";
        QString longDomain;
        for (int i = 0; i < 5; ++i)
            longDomain += QString(49, QLatin1Char('d')) + QLatin1Char('.');
        longDomain += QStringLiteral("org"); // 253 characters
        QTest::newRow("address too long") << QString(10, QLatin1Char('u')) + "@" + longDomain
                                          << "The email address is too long (10 characters too many).";
        QTest::newRow("domain too long")
            << "u@d" + longDomain << "The email address is too long after the @-sign.";
    }

    void validate()
    {
        QFETCH(QString, address);
        QFETCH(QString, error);
        const Status s = validateEmailAddress(address);
        if (error.isEmpty()) {
            QVERIFY2(s.ok(), s ? "" : qPrintable(s.error().message));
        } else {
            QVERIFY(!s.ok());
            QCOMPARE(s.error().message, error);
            QCOMPARE(s.error().code, ErrorCode::InvalidInput);
        }
    }
};

QTEST_GUILESS_MAIN(tst_EmailAddress)
#include "tst_emailaddress.moc"
