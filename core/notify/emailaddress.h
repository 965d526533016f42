#pragma once

#include "util/result.h"

#include <QString>

namespace baricadr {

// Syntax check of an email address with the messages of the original Baricadr (which used
// python email_validator without the DNS check): exactly one @, a non-empty local part of
// letters, digits and !#$%&'*+-/=?^_`{|}~. (non-ASCII letters allowed), a domain name with a
// dot, limits of 64 characters before the @ and 254 in all. Pure: no DNS lookup.
// An error is ErrorCode::InvalidInput with a message that says what is wrong.
Status validateEmailAddress(const QString &address);

} // namespace baricadr
