<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>Format</name>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n day</numerusform>
            <numerusform>%n days</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>baricadr::gui::AgeChart</name>
    <message numerus="yes">
        <source>freeze_age = %n day(s)</source>
        <translation>
            <numerusform>freeze_age = %n day</numerusform>
            <numerusform>freeze_age = %n days</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) or more</source>
        <translation>
            <numerusform>%n day or more</numerusform>
            <numerusform>%n days or more</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Last access %1: %2 in %n file(s), %3 verified safe on the remote.
A freeze_age of %4 days would reclaim %5.</source>
        <translation>
            <numerusform>Last access %1: %2 in %n file, %3 verified safe on the remote.
A freeze_age of %4 days would reclaim %5.</numerusform>
            <numerusform>Last access %1: %2 in %n files, %3 verified safe on the remote.
A freeze_age of %4 days would reclaim %5.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Last access %1: %2 in %n file(s), %3 of it verified (files read within freeze_age are not checked against the remote).
A freeze_age of %4 days would reclaim at most %5.</source>
        <translation>
            <numerusform>Last access %1: %2 in %n file, %3 of it verified (files read within freeze_age are not checked against the remote).
A freeze_age of %4 days would reclaim at most %5.</numerusform>
            <numerusform>Last access %1: %2 in %n files, %3 of it verified (files read within freeze_age are not checked against the remote).
A freeze_age of %4 days would reclaim at most %5.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>baricadr::gui::BrowseModel</name>
    <message numerus="yes">
        <source>%n folder(s) could not be read and are not shown.</source>
        <translation>
            <numerusform>%n folder could not be read and are not shown.</numerusform>
            <numerusform>%n folders could not be read and are not shown.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1: %2 in %n file(s)</source>
        <translation>
            <numerusform>%1: %2 in %n file</numerusform>
            <numerusform>%1: %2 in %n files</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>baricadr::gui::FreezePreviewDialog</name>
    <message numerus="yes">
        <source>%n file(s) to freeze, %1 reclaimable</source>
        <translation>
            <numerusform>%n file to freeze, %1 reclaimable</numerusform>
            <numerusform>%n files to freeze, %1 reclaimable</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>… and %n more file(s)</source>
        <translation>
            <numerusform>… and %n more file</numerusform>
            <numerusform>… and %n more files</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Kept (%n file(s))</source>
        <translation>
            <numerusform>Kept (%n file)</numerusform>
            <numerusform>Kept (%n files)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 — %n file(s), %2</source>
        <translation>
            <numerusform>%1 — %n file, %2</numerusform>
            <numerusform>%1 — %n files, %2</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>baricadr::gui::MainWindow</name>
    <message numerus="yes">
        <source>%n file(s)</source>
        <translation>
            <numerusform>%n file</numerusform>
            <numerusform>%n files</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Scanning… %n file(s) so far (%1)</source>
        <translation>
            <numerusform>Scanning… %n file so far (%1)</numerusform>
            <numerusform>Scanning… %n files so far (%1)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1: %2 · %n repositor(y|ies)</source>
        <translation>
            <numerusform>%1: %2 · %n repository</numerusform>
            <numerusform>%1: %2 · %n repositories</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n task(s) running</source>
        <translation>
            <numerusform>%n task running</numerusform>
            <numerusform>%n tasks running</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Copied %n path(s).</source>
        <translation>
            <numerusform>Copied %n path.</numerusform>
            <numerusform>Copied %n paths.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>baricadr::gui::RepoListModel</name>
    <message numerus="yes">
        <source>freeze after %n day(s)</source>
        <translation>
            <numerusform>freeze after %n day</numerusform>
            <numerusform>freeze after %n days</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n pin(s)</source>
        <translation>
            <numerusform>%n pin</numerusform>
            <numerusform>%n pins</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>baricadr::gui::TaskModel</name>
    <message numerus="yes">
        <source>%n file(s) pulled, %1</source>
        <translation>
            <numerusform>%n file pulled, %1</numerusform>
            <numerusform>%n files pulled, %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) frozen, %1 freed</source>
        <translation>
            <numerusform>%n file frozen, %1 freed</numerusform>
            <numerusform>%n files frozen, %1 freed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) verified, %1</source>
        <translation>
            <numerusform>%n file verified, %1</numerusform>
            <numerusform>%n files verified, %1</numerusform>
        </translation>
    </message>
</context>
</TS>
