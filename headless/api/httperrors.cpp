#include "api/httperrors.h"

namespace baricadr {

int httpStatus(ErrorCode code)
{
    switch (code) {
    case ErrorCode::InvalidInput:
    case ErrorCode::NotFreezable:
        return 400;
    case ErrorCode::Unauthorized:
        return 401;
    case ErrorCode::NotFound:
        return 404;
    case ErrorCode::Conflict:
    case ErrorCode::Cancelled:
        return 409;
    // Every server-side failure is 502, as the original answered anything unexpected: barique
    // maps 400 and 502 to errors and reads any other status's body as the answer (a 500 or 504
    // would make `barique list` print the error object as a listing, and `tree` crash on it).
    case ErrorCode::RemoteUnreachable:
    case ErrorCode::RcloneFailed:
    case ErrorCode::Timeout:
    case ErrorCode::Config:
    case ErrorCode::RcloneMissing:
    case ErrorCode::Io:
    case ErrorCode::Database:
    case ErrorCode::Internal:
        return 502;
    }
    return 502;
}

} // namespace baricadr
