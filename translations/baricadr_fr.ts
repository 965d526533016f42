<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>Format</name>
    <message>
        <source>today</source>
        <translation>aujourd’hui</translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation><numerusform>%n jour</numerusform><numerusform>%n jours</numerusform></translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
</context>
<context>
    <name>Session</name>
    <message>
        <source>Cannot read the configuration file %1.</source>
        <translation>Impossible de lire le fichier de configuration %1.</translation>
    </message>
    <message>
        <source>This build has no local engine: connect to a server instead.</source>
        <translation>Cette version n’a pas de moteur local : connectez-vous plutôt à un serveur.</translation>
    </message>
    <message>
        <source>“%1” is not a server address: use http://host:port.</source>
        <translation>« %1 » n’est pas une adresse de serveur : utilisez http://hôte:port.</translation>
    </message>
    <message>
        <source>This build has no HTTP client for a Baricadr server.</source>
        <translation>Cette version n’a pas de client HTTP pour un serveur Baricadr.</translation>
    </message>
    <message>
        <source>The connection was closed.</source>
        <translation>La connexion a été fermée.</translation>
    </message>
    <message>
        <source>The configuration was closed.</source>
        <translation>La configuration a été fermée.</translation>
    </message>
</context>
<context>
    <name>StateStyle</name>
    <message>
        <source>hot</source>
        <translation>chaud</translation>
    </message>
    <message>
        <source>cold</source>
        <translation>froid</translation>
    </message>
    <message>
        <source>local only</source>
        <translation>local seulement</translation>
    </message>
    <message>
        <source>modified locally</source>
        <translation>modifié localement</translation>
    </message>
    <message>
        <source>remote only</source>
        <translation>distant seulement</translation>
    </message>
    <message>
        <source>excluded</source>
        <translation>exclu</translation>
    </message>
    <message>
        <source>scanning…</source>
        <translation>analyse…</translation>
    </message>
    <message>
        <source>Local, read within the freeze age: kept.</source>
        <translation>Local, lu depuis moins que l’âge de gel : conservé.</translation>
    </message>
    <message>
        <source>Local, not read for the freeze age, same file on the remote: freezable now.</source>
        <translation>Local, non lu depuis l’âge de gel, même fichier sur le distant : peut être gelé maintenant.</translation>
    </message>
    <message>
        <source>Not on the remote: NOT BACKED UP. Never frozen.</source>
        <translation>Absent du distant : NON SAUVEGARDÉ. Jamais gelé.</translation>
    </message>
    <message>
        <source>Local copy differs from the remote one: never frozen until backed up again.</source>
        <translation>La copie locale diffère de la copie distante : jamais gelé avant une nouvelle sauvegarde.</translation>
    </message>
    <message>
        <source>Only on the remote (frozen, or never pulled): pull to bring it back.</source>
        <translation>Seulement sur le distant (gelé, ou jamais rapatrié) : rapatriez-le pour le récupérer.</translation>
    </message>
    <message>
        <source>Matches an exclude pattern of the repository: never frozen.</source>
        <translation>Correspond à un motif d’exclusion du dépôt : jamais gelé.</translation>
    </message>
    <message>
        <source>Still being compared with the remote.</source>
        <translation>Comparaison avec le distant en cours.</translation>
    </message>
</context>
<context>
    <name>baricadr::RepoScan</name>
    <message>
        <source>The repository&apos;s local files are not visible from this computer.</source>
        <translation>Les fichiers locaux du dépôt ne sont pas visibles depuis cet ordinateur.</translation>
    </message>
    <message>
        <source>No remote listing is available.</source>
        <translation>Aucun listage distant n’est disponible.</translation>
    </message>
    <message>
        <source>Remote listing cancelled.</source>
        <translation>Listage distant annulé.</translation>
    </message>
</context>
<context>
    <name>baricadr::gui::AgeChart</name>
    <message>
        <source>Reclaimable bytes by age threshold</source>
        <translation>Octets récupérables selon le seuil d’âge</translation>
    </message>
    <message>
        <source>No local files: nothing to chart.</source>
        <translation>Aucun fichier local : rien à tracer.</translation>
    </message>
    <message>
        <source>age threshold / last access (days)</source>
        <translation>seuil d’âge / dernier accès (jours)</translation>
    </message>
    <message numerus="yes">
        <source>freeze_age = %n day(s)</source>
        <translation><numerusform>freeze_age = %n jour</numerusform><numerusform>freeze_age = %n jours</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) or more</source>
        <translation><numerusform>%n jour ou plus</numerusform><numerusform>%n jours ou plus</numerusform></translation>
    </message>
    <message>
        <source>%1–%2 days</source>
        <translation>%1 à %2 jours</translation>
    </message>
    <message numerus="yes">
        <source>Last access %1: %2 in %n file(s), %3 verified safe on the remote.
A freeze_age of %4 days would reclaim %5.</source>
        <translation><numerusform>Dernier accès %1 : %2 dans %n fichier, dont %3 vérifiés sur le distant.
Un freeze_age de %4 jours libérerait %5.</numerusform><numerusform>Dernier accès %1 : %2 dans %n fichiers, dont %3 vérifiés sur le distant.
Un freeze_age de %4 jours libérerait %5.</numerusform></translation>
    </message>
    <message>
        <source>local bytes</source>
        <translation>octets locaux</translation>
    </message>
    <message>
        <source>verified safe on the remote</source>
        <translation>vérifiés sur le distant</translation>
    </message>
    <message>
        <source>reclaimable at this threshold (dashed: at most)</source>
        <translation>récupérables à ce seuil (pointillés : au plus)</translation>
    </message>
    <message numerus="yes">
        <source>Last access %1: %2 in %n file(s), %3 of it verified (files read within freeze_age are not checked against the remote).
A freeze_age of %4 days would reclaim at most %5.</source>
        <translation><numerusform>Dernier accès %1 : %2 dans %n fichier, dont %3 vérifiés (les fichiers lus depuis moins que freeze_age ne sont pas comparés au distant).
Un freeze_age de %4 jours libérerait au plus %5.</numerusform><numerusform>Dernier accès %1 : %2 dans %n fichiers, dont %3 vérifiés (les fichiers lus depuis moins que freeze_age ne sont pas comparés au distant).
Un freeze_age de %4 jours libérerait au plus %5.</numerusform></translation>
    </message>
</context>
<context>
    <name>baricadr::gui::BrowseModel</name>
    <message>
        <source>local files</source>
        <translation>fichiers locaux</translation>
    </message>
    <message numerus="yes">
        <source>%n folder(s) could not be read and are not shown.</source>
        <translation><numerusform>%n dossier n’a pas pu être lu et n’est pas affiché.</numerusform><numerusform>%n dossiers n’ont pas pu être lus et ne sont pas affichés.</numerusform></translation>
    </message>
    <message>
        <source>remote listing</source>
        <translation>listage distant</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>oui</translation>
    </message>
    <message>
        <source>no</source>
        <translation>non</translation>
    </message>
    <message>
        <source>yes, %1</source>
        <translation>oui, %1</translation>
    </message>
    <message numerus="yes">
        <source>%1: %2 in %n file(s)</source>
        <translation><numerusform>%1 : %2 dans %n fichier</numerusform><numerusform>%1 : %2 dans %n fichiers</numerusform></translation>
    </message>
    <message>
        <source>Empty folder</source>
        <translation>Dossier vide</translation>
    </message>
    <message>
        <source>%1
Pinned: never frozen.</source>
        <translation>%1
Épinglé : jamais gelé.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Taille</translation>
    </message>
    <message>
        <source>Last access</source>
        <translation>Dernier accès</translation>
    </message>
    <message>
        <source>Modified</source>
        <translation>Modifié</translation>
    </message>
    <message>
        <source>On remote</source>
        <translation>Sur le distant</translation>
    </message>
</context>
<context>
    <name>baricadr::gui::FreezePreviewDialog</name>
    <message>
        <source>Recently accessed</source>
        <translation>Lu récemment</translation>
    </message>
    <message>
        <source>Modified locally</source>
        <translation>Modifié localement</translation>
    </message>
    <message>
        <source>Not on the remote (not backed up)</source>
        <translation>Absent du distant (non sauvegardé)</translation>
    </message>
    <message>
        <source>Size differs from the remote copy</source>
        <translation>Taille différente de la copie distante</translation>
    </message>
    <message>
        <source>Checksum differs from the remote copy</source>
        <translation>Somme de contrôle différente de la copie distante</translation>
    </message>
    <message>
        <source>Excluded by the repository&apos;s patterns</source>
        <translation>Exclu par les motifs du dépôt</translation>
    </message>
    <message>
        <source>Pinned</source>
        <translation>Épinglé</translation>
    </message>
    <message>
        <source>Changed during the freeze</source>
        <translation>Modifié pendant le gel</translation>
    </message>
    <message>
        <source>Not a regular file</source>
        <translation>Pas un fichier ordinaire</translation>
    </message>
    <message>
        <source>Watermark reached</source>
        <translation>Seuil de remplissage atteint</translation>
    </message>
    <message>
        <source>Freeze preview — %1</source>
        <translation>Aperçu du gel — %1</translation>
    </message>
    <message>
        <source>Freeze &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>Geler &lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Nothing to freeze here.</source>
        <translation>Rien à geler ici.</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) to freeze, %1 reclaimable</source>
        <translation><numerusform>%n fichier à geler, %1 récupérables</numerusform><numerusform>%n fichiers à geler, %1 récupérables</numerusform></translation>
    </message>
    <message>
        <source>Each file is deleted locally only after checking again, right before deleting it, that the remote holds the same file and that it has not been read since. It can be pulled back at any time, or thawed from the Tasks panel.</source>
        <translation>Chaque fichier n’est supprimé localement qu’après avoir vérifié de nouveau, juste avant la suppression, que le distant détient le même fichier et qu’il n’a pas été lu depuis. Il peut être rapatrié à tout moment, ou dégelé depuis le panneau Tâches.</translation>
    </message>
    <message>
        <source>Will be frozen</source>
        <translation>Seront gelés</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Fichier</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Taille</translation>
    </message>
    <message>
        <source>Last access</source>
        <translation>Dernier accès</translation>
    </message>
    <message numerus="yes">
        <source>… and %n more file(s)</source>
        <translation><numerusform>… et %n autre fichier</numerusform><numerusform>… et %n autres fichiers</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Kept (%n file(s))</source>
        <translation><numerusform>Conservés (%n fichier)</numerusform><numerusform>Conservés (%n fichiers)</numerusform></translation>
    </message>
    <message>
        <source>Reason / file</source>
        <translation>Raison / fichier</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>Détail</translation>
    </message>
    <message>
        <source>Reclaimable space by age threshold</source>
        <translation>Espace récupérable selon le seuil d’âge</translation>
    </message>
    <message>
        <source>&amp;Freeze now</source>
        <translation>&amp;Geler maintenant</translation>
    </message>
    <message>
        <source>Checksum cannot be verified</source>
        <translation>Somme de contrôle invérifiable</translation>
    </message>
    <message>
        <source>(counted, not listed)</source>
        <translation>(comptés, non listés)</translation>
    </message>
    <message>
        <source>Other reason (%1)</source>
        <translation>Autre raison (%1)</translation>
    </message>
    <message numerus="yes">
        <source>%1 — %n file(s), %2</source>
        <translation><numerusform>%1 — %n fichier, %2</numerusform><numerusform>%1 — %n fichiers, %2</numerusform></translation>
    </message>
</context>
<context>
    <name>baricadr::gui::MainWindow</name>
    <message>
        <source>Baricadr</source>
        <translation>Baricadr</translation>
    </message>
    <message>
        <source>Scanning the %1</source>
        <translation>Analyse : %1</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s)</source>
        <translation><numerusform>%n fichier</numerusform><numerusform>%n fichiers</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Scanning… %n file(s) so far (%1)</source>
        <translation><numerusform>Analyse… %n fichier pour l’instant (%1)</numerusform><numerusform>Analyse… %n fichiers pour l’instant (%1)</numerusform></translation>
    </message>
    <message>
        <source>local and remote</source>
        <translation>local et distant</translation>
    </message>
    <message>
        <source>remote</source>
        <translation>distant</translation>
    </message>
    <message>
        <source>local</source>
        <translation>local</translation>
    </message>
    <message>
        <source>&amp;Open configuration…</source>
        <translation>&amp;Ouvrir une configuration…</translation>
    </message>
    <message>
        <source>Run the engine in this window from a baricadr.conf or repos.yml (local mode)</source>
        <translation>Faire tourner le moteur dans cette fenêtre à partir d’un baricadr.conf ou d’un repos.yml (mode local)</translation>
    </message>
    <message>
        <source>&amp;Connect to server…</source>
        <translation>Se &amp;connecter à un serveur…</translation>
    </message>
    <message>
        <source>Drive a running Baricadr service over its REST API (remote mode)</source>
        <translation>Piloter un service Baricadr en cours d’exécution par son API REST (mode distant)</translation>
    </message>
    <message>
        <source>C&amp;lose</source>
        <translation>&amp;Fermer</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>&amp;Pull</source>
        <translation>&amp;Rapatrier</translation>
    </message>
    <message>
        <source>Bring the selection back from the remote (local changes are never overwritten)</source>
        <translation>Ramener la sélection depuis le distant (les modifications locales ne sont jamais écrasées)</translation>
    </message>
    <message>
        <source>&amp;Freeze…</source>
        <translation>&amp;Geler…</translation>
    </message>
    <message>
        <source>Preview, then delete locally the cold files of the selection that are safe on the remote</source>
        <translation>Prévisualiser, puis supprimer localement les fichiers froids de la sélection qui sont en sécurité sur le distant</translation>
    </message>
    <message>
        <source>P&amp;in</source>
        <translation>É&amp;pingler</translation>
    </message>
    <message>
        <source>Never freeze this file or folder</source>
        <translation>Ne jamais geler ce fichier ou ce dossier</translation>
    </message>
    <message>
        <source>&amp;Unpin</source>
        <translation>&amp;Désépingler</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>Actualis&amp;er</translation>
    </message>
    <message>
        <source>Open containing &amp;folder</source>
        <translation>Ouvrir le &amp;dossier parent</translation>
    </message>
    <message>
        <source>&amp;Copy path</source>
        <translation>Co&amp;pier le chemin</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Affichage</translation>
    </message>
    <message>
        <source>&amp;Actions</source>
        <translation>A&amp;ctions</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Aid&amp;e</translation>
    </message>
    <message>
        <source>&amp;About Baricadr</source>
        <translation>À &amp;propos de Baricadr</translation>
    </message>
    <message>
        <source>About Baricadr</source>
        <translation>À propos de Baricadr</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Baricadr %1&lt;/h3&gt;&lt;p&gt;Keeps a local data repository hot: pulls files from a remote backup on demand and freezes files nobody reads, only once the remote holds the same file.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Baricadr %1&lt;/h3&gt;&lt;p&gt;Garde un dépôt de données local « chaud » : rapatrie à la demande les fichiers depuis une sauvegarde distante et gèle les fichiers que personne ne lit, seulement une fois que le distant détient le même fichier.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>Principale</translation>
    </message>
    <message>
        <source>Filter names (*.fastq)…</source>
        <translation>Filtrer les noms (*.fastq)…</translation>
    </message>
    <message>
        <source>Name filter</source>
        <translation>Filtre de nom</translation>
    </message>
    <message>
        <source>State filter</source>
        <translation>Filtre d’état</translation>
    </message>
    <message>
        <source>All states</source>
        <translation>Tous les états</translation>
    </message>
    <message>
        <source>Only %1</source>
        <translation>Seulement : %1</translation>
    </message>
    <message>
        <source>&lt;h2&gt;Baricadr&lt;/h2&gt;&lt;p&gt;Open a repository configuration to run the engine in this window,&lt;br&gt;or connect to a running Baricadr service.&lt;/p&gt;</source>
        <translation>&lt;h2&gt;Baricadr&lt;/h2&gt;&lt;p&gt;Ouvrez une configuration de dépôts pour faire tourner le moteur dans cette fenêtre,&lt;br&gt;ou connectez-vous à un service Baricadr en cours d’exécution.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;Repositories&lt;/b&gt;</source>
        <translation>&lt;b&gt;Dépôts&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Repositories</source>
        <translation>Dépôts</translation>
    </message>
    <message>
        <source>Colours of the usage bars</source>
        <translation>Couleurs des barres d’occupation</translation>
    </message>
    <message>
        <source>Files of the repository</source>
        <translation>Fichiers du dépôt</translation>
    </message>
    <message>
        <source>Details…</source>
        <translation>Détails…</translation>
    </message>
    <message>
        <source>Baricadr — %1</source>
        <translation>Baricadr — %1</translation>
    </message>
    <message>
        <source>Opening %1</source>
        <translation>Ouverture de %1</translation>
    </message>
    <message>
        <source>Connecting to %1</source>
        <translation>Connexion à %1</translation>
    </message>
    <message>
        <source>Open configuration</source>
        <translation>Ouvrir une configuration</translation>
    </message>
    <message>
        <source>Baricadr configuration (*.conf *.ini *.yml *.yaml);;All files (*)</source>
        <translation>Configuration Baricadr (*.conf *.ini *.yml *.yaml);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Connect to server</source>
        <translation>Connexion à un serveur</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>facultatif</translation>
    </message>
    <message>
        <source>optional, never stored</source>
        <translation>facultatif, jamais enregistré</translation>
    </message>
    <message>
        <source>Server &amp;URL:</source>
        <translation>&amp;URL du serveur :</translation>
    </message>
    <message>
        <source>&amp;User:</source>
        <translation>&amp;Utilisateur :</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Mot de passe :</translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation>Se &amp;connecter</translation>
    </message>
    <message>
        <source>Loading repositories…</source>
        <translation>Chargement des dépôts…</translation>
    </message>
    <message>
        <source>Loading the repositories</source>
        <translation>Le chargement des dépôts</translation>
    </message>
    <message>
        <source>Loading the pins</source>
        <translation>Le chargement des épingles</translation>
    </message>
    <message>
        <source>Not connected — open a configuration or connect to a server.</source>
        <translation>Non connecté — ouvrez une configuration ou connectez-vous à un serveur.</translation>
    </message>
    <message>
        <source>Local engine</source>
        <translation>Moteur local</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Serveur</translation>
    </message>
    <message numerus="yes">
        <source>%1: %2 · %n repositor(y|ies)</source>
        <translation><numerusform>%1 : %2 · %n dépôt</numerusform><numerusform>%1 : %2 · %n dépôts</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n task(s) running</source>
        <translation><numerusform>%n tâche en cours</numerusform><numerusform>%n tâches en cours</numerusform></translation>
    </message>
    <message>
        <source>No task running</source>
        <translation>Aucune tâche en cours</translation>
    </message>
    <message>
        <source>Pulling %1</source>
        <translation>Le rapatriement de %1</translation>
    </message>
    <message>
        <source>Pull of %1 queued.</source>
        <translation>Rapatriement de %1 mis en file.</translation>
    </message>
    <message>
        <source>Planning the freeze of %1…</source>
        <translation>Préparation du gel de %1…</translation>
    </message>
    <message>
        <source>Planning the freeze of %1</source>
        <translation>La préparation du gel de %1</translation>
    </message>
    <message>
        <source>Freezing %1</source>
        <translation>Le gel de %1</translation>
    </message>
    <message>
        <source>Freeze of %1 queued.</source>
        <translation>Gel de %1 mis en file.</translation>
    </message>
    <message>
        <source>pinned from the desktop app</source>
        <translation>épinglé depuis l’application de bureau</translation>
    </message>
    <message>
        <source>Pinning %1</source>
        <translation>L’épinglage de %1</translation>
    </message>
    <message>
        <source>Unpinning %1</source>
        <translation>Le désépinglage de %1</translation>
    </message>
    <message>
        <source>No file manager could open this folder.</source>
        <translation>Aucun gestionnaire de fichiers n’a pu ouvrir ce dossier.</translation>
    </message>
    <message numerus="yes">
        <source>Copied %n path(s).</source>
        <translation><numerusform>%n chemin copié.</numerusform><numerusform>%n chemins copiés.</numerusform></translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation>%1 a échoué : %2</translation>
    </message>
    <message>
        <source>%1 failed.

%2</source>
        <translation>%1 a échoué.

%2</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Effacer</translation>
    </message>
    <message>
        <source>%1 failed</source>
        <translation>%1 : échec</translation>
    </message>
    <message>
        <source>%1
%2</source>
        <translation>%1
%2</translation>
    </message>
    <message>
        <source>%1 finished</source>
        <translation>%1 : terminé</translation>
    </message>
    <message>
        <source>%1 cancelled</source>
        <translation>%1 : annulé</translation>
    </message>
</context>
<context>
    <name>baricadr::gui::RepoDelegate</name>
    <message>
        <source>not scanned yet</source>
        <translation>pas encore analysé</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>empty</source>
        <translation>vide</translation>
    </message>
</context>
<context>
    <name>baricadr::gui::RepoListModel</name>
    <message numerus="yes">
        <source>freeze after %n day(s)</source>
        <translation><numerusform>gel après %n jour</numerusform><numerusform>gel après %n jours</numerusform></translation>
    </message>
    <message>
        <source>not freezable</source>
        <translation>non gelable</translation>
    </message>
    <message numerus="yes">
        <source>%n pin(s)</source>
        <translation><numerusform>%n épingle</numerusform><numerusform>%n épingles</numerusform></translation>
    </message>
</context>
<context>
    <name>baricadr::gui::StateDelegate</name>
    <message>
        <source>%1 %2%</source>
        <translation>%1 %2 %</translation>
    </message>
</context>
<context>
    <name>baricadr::gui::TaskModel</name>
    <message>
        <source>Pull</source>
        <translation>Rapatriement</translation>
    </message>
    <message>
        <source>Freeze</source>
        <translation>Gel</translation>
    </message>
    <message>
        <source>Verify</source>
        <translation>Vérification</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>en attente</translation>
    </message>
    <message>
        <source>started</source>
        <translation>démarrée</translation>
    </message>
    <message>
        <source>pulling</source>
        <translation>rapatriement</translation>
    </message>
    <message>
        <source>freezing</source>
        <translation>gel en cours</translation>
    </message>
    <message>
        <source>verifying</source>
        <translation>vérification</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>terminée</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>échouée</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>annulée</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) pulled, %1</source>
        <translation><numerusform>%n fichier rapatrié, %1</numerusform><numerusform>%n fichiers rapatriés, %1</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) frozen, %1 freed</source>
        <translation><numerusform>%n fichier gelé, %1 libérés</numerusform><numerusform>%n fichiers gelés, %1 libérés</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) verified, %1</source>
        <translation><numerusform>%n fichier vérifié, %1</numerusform><numerusform>%n fichiers vérifiés, %1</numerusform></translation>
    </message>
    <message>
        <source>(dry run)</source>
        <translation>(à blanc)</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 sur %2</translation>
    </message>
    <message>
        <source>%1/%2 files</source>
        <translation>%1/%2 fichiers</translation>
    </message>
    <message>
        <source>ETA %1</source>
        <translation>reste %1</translation>
    </message>
    <message>
        <source>Task %1</source>
        <translation>Tâche %1</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>Chemin</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Progression</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Démarrée</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Durée</translation>
    </message>
</context>
<context>
    <name>baricadr::gui::TasksDock</name>
    <message>
        <source>Tasks</source>
        <translation>Tâches</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Show log</source>
        <translation>Voir le journal</translation>
    </message>
    <message>
        <source>Run again</source>
        <translation>Relancer</translation>
    </message>
    <message>
        <source>Thaw</source>
        <translation>Dégeler</translation>
    </message>
    <message>
        <source>Pull back exactly the files this freeze removed</source>
        <translation>Rapatrier exactement les fichiers que ce gel a supprimés</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <source>Loading the task list</source>
        <translation>Le chargement de la liste des tâches</translation>
    </message>
    <message>
        <source>Cancelling the task</source>
        <translation>L’annulation de la tâche</translation>
    </message>
    <message>
        <source>Reading the task log</source>
        <translation>La lecture du journal de la tâche</translation>
    </message>
    <message>
        <source>Log of task %1</source>
        <translation>Journal de la tâche %1</translation>
    </message>
    <message>
        <source>Running the task again</source>
        <translation>La relance de la tâche</translation>
    </message>
    <message>
        <source>Thawing the freeze</source>
        <translation>Le dégel</translation>
    </message>
    <message>
        <source>Removing the task</source>
        <translation>La suppression de la tâche</translation>
    </message>
    <message>
        <source>Refreshing the task list</source>
        <translation>L’actualisation de la liste des tâches</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Browse Baricadr repositories, preview and launch freezes and pulls.</source>
        <translation>Parcourir les dépôts Baricadr, prévisualiser et lancer des gels et des rapatriements.</translation>
    </message>
    <message>
        <source>Interface language (en, fr), default: the system&apos;s.</source>
        <translation>Langue de l’interface (en, fr), par défaut celle du système.</translation>
    </message>
    <message>
        <source>Open this baricadr.conf or repos.yml (local mode).</source>
        <translation>Ouvrir ce baricadr.conf ou ce repos.yml (mode local).</translation>
    </message>
    <message>
        <source>Connect to this Baricadr service (remote mode).</source>
        <translation>Se connecter à ce service Baricadr (mode distant).</translation>
    </message>
</context>
</TS>
