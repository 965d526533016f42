<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>Format</name>
    <message>
        <source>today</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RepoScan</name>
    <message>
        <source>The repository&apos;s local files are not visible from this computer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No remote listing is available.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remote listing cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Session</name>
    <message>
        <source>Cannot read the configuration file %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This build has no local engine: connect to a server instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” is not a server address: use http://host:port.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This build has no HTTP client for a Baricadr server.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StateStyle</name>
    <message>
        <source>hot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cold</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>local only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>modified locally</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>remote only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>excluded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>scanning…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Local, read within the freeze age: kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Local, not read for the freeze age, same file on the remote: freezable now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not on the remote: NOT BACKED UP. Never frozen.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Local copy differs from the remote one: never frozen until backed up again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only on the remote (frozen, or never pulled): pull to bring it back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Matches an exclude pattern of the repository: never frozen.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Still being compared with the remote.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>baricadr::gui::AgeChart</name>
    <message>
        <source>Reclaimable bytes by age threshold</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No local files: nothing to chart.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>age threshold / last access (days)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>freeze_age = %n day(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) or more</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>%1–%2 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Last access %1: %2 in %n file(s), %3 verified safe on the remote.
A freeze_age of %4 days would reclaim %5.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>baricadr::gui::BrowseModel</name>
    <message>
        <source>local files</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n folder(s) could not be read and are not shown.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>remote listing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>yes, %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1: %2 in %n file(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Empty folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1
Pinned: never frozen.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last access</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Modified</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On remote</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>baricadr::gui::FreezePreviewDialog</name>
    <message>
        <source>Recently accessed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Modified locally</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not on the remote (not backed up)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size differs from the remote copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checksum differs from the remote copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Excluded by the repository&apos;s patterns</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pinned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changed during the freeze</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not a regular file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Watermark reached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Other reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Freeze preview — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Freeze &lt;b&gt;%1&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to freeze here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) to freeze, %1 reclaimable</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Each file is deleted locally only after checking again, right before deleting it, that the remote holds the same file and that it has not been read since. It can be pulled back at any time, or thawed from the Tasks panel.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Will be frozen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last access</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>… and %n more file(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Kept (%n file(s))</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Reason / file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Detail</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 — %n file(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Reclaimable space by age threshold</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Freeze now</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>baricadr::gui::MainWindow</name>
    <message>
        <source>Baricadr</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scanning the %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n file(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Scanning… %n file(s) so far (%1)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>local and remote</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>remote</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>local</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open configuration…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run the engine in this window from a baricadr.conf or repos.yml (local mode)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Connect to server…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drive a running Baricadr service over its REST API (remote mode)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;lose</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Pull</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bring the selection back from the remote (local changes are never overwritten)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Freeze…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preview, then delete locally the cold files of the selection that are safe on the remote</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>P&amp;in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Never freeze this file or folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Unpin</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open containing &amp;folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Actions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About Baricadr</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About Baricadr</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h3&gt;Baricadr %1&lt;/h3&gt;&lt;p&gt;Keeps a local data repository hot: pulls files from a remote backup on demand and freezes files nobody reads, only once the remote holds the same file.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Main</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter names (*.fastq)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All states</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h2&gt;Baricadr&lt;/h2&gt;&lt;p&gt;Open a repository configuration to run the engine in this window,&lt;br&gt;or connect to a running Baricadr service.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Repositories&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repositories</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Colours of the usage bars</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Files of the repository</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Baricadr — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opening %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open configuration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Baricadr configuration (*.conf *.ini *.yml *.yaml);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect to server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>optional</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>optional, never stored</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server &amp;URL:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;User:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading repositories…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading the repositories</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading the pins</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected — open a configuration or connect to a server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Local engine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1: %2 · %n repositor(y|ies)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n task(s) running</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>No task running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pulling %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pull of %1 queued.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Planning the freeze of %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Planning the freeze of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Freezing %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Freeze of %1 queued.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pinned from the desktop app</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pinning %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unpinning %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No file manager could open this folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Copied %n path(s).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 failed.

%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1
%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 cancelled</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>baricadr::gui::RepoDelegate</name>
    <message>
        <source>not scanned yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>empty</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>baricadr::gui::RepoListModel</name>
    <message numerus="yes">
        <source>freeze after %n day(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>not freezable</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n pin(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>baricadr::gui::StateDelegate</name>
    <message>
        <source>%1 %2%</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>baricadr::gui::TaskModel</name>
    <message>
        <source>Pull</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Freeze</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verify</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pulling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>freezing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>verifying</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) pulled, %1</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) frozen, %1 freed</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) verified, %1</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>(dry run)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1/%2 files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ETA %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Task %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duration</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>baricadr::gui::TasksDock</name>
    <message>
        <source>Tasks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thaw</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pull back exactly the files this freeze removed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading the task list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelling the task</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the task log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log of task %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running the task again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thawing the freeze</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removing the task</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Browse Baricadr repositories, preview and launch freezes and pulls.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Interface language (en, fr), default: the system&apos;s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open this baricadr.conf or repos.yml (local mode).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect to this Baricadr service (remote mode).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
