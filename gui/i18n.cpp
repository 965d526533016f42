#include "i18n.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QTranslator>

namespace baricadr::gui {

QString installTranslations(const QLocale &locale)
{
    static QTranslator *own = nullptr;
    static QTranslator *qt = nullptr;
    for (QTranslator *t : {own, qt}) {
        if (t) {
            QCoreApplication::removeTranslator(t);
            delete t;
        }
    }
    own = new QTranslator(qApp);
    QString loaded;
    if (own->load(locale, QStringLiteral("baricadr"), QStringLiteral("_"), QStringLiteral(":/i18n"))) {
        loaded = own->language();
    } else if (own->load(QStringLiteral(":/i18n/baricadr_en.qm"))) {
        loaded = QStringLiteral("en"); // English source texts, with proper plural forms
    }
    QCoreApplication::installTranslator(own);
    qt = new QTranslator(qApp);
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    return loaded;
}

} // namespace baricadr::gui
