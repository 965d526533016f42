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
    case ErrorCode::RemoteUnreachable:
    case ErrorCode::RcloneFailed:
        return 502; // the remote (through rclone) failed: a bad gateway
    case ErrorCode::Timeout:
        return 504;
    case ErrorCode::Config:
    case ErrorCode::RcloneMissing:
    case ErrorCode::Io:
    case ErrorCode::Database:
    case ErrorCode::Internal:
        return 500;
    }
    return 500;
}

} // namespace baricadr
