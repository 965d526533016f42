#pragma once

#include "rclone/rcloneoptions.h"
#include "tasks/taskrunner.h"

namespace baricadr {

// The product runners: pulls on Puller, freezes on FreezeJob (journal written to the records as
// each file goes), verifies on VerifyJob, all with these rclone options.
TaskRunnerFactory makeRunnerFactory(const RcloneOptions &rclone);

} // namespace baricadr
