#pragma once

#include <QLocale>

namespace baricadr::gui {

// Installs Baricadr's catalogue for `locale` (embedded under :/i18n; English gets its plural
// forms from baricadr_en) and Qt's own (standard buttons…). Returns the language loaded.
QString installTranslations(const QLocale &locale);

} // namespace baricadr::gui
