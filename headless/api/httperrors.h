#pragma once

#include "util/result.h"

namespace baricadr {

// The one mapping from a core error to an HTTP status.
int httpStatus(ErrorCode code);

} // namespace baricadr
