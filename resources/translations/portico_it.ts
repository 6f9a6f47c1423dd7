<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="it_IT">
<context>
    <name>Banner</name>
    <message>
        <source>Open</source>
        <translation>Apri</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Ignora</translation>
    </message>
</context>
<context>
    <name>Certificates</name>
    <message>
        <source>The certificate of {host} changed: it is not the one you trusted for this provider ({what}).</source>
        <translation>Il certificato di {host} è cambiato: non è quello che hai ritenuto attendibile per questo provider ({what}).</translation>
    </message>
    <message>
        <source>If the server's administrator renewed it, compare the fingerprint with theirs before trusting the new one.</source>
        <translation>Se l'amministratore del server lo ha rinnovato, confronta l'impronta con la sua prima di ritenere attendibile quello nuovo.</translation>
    </message>
    <message>
        <source>The secure connection failed: the certificate of {host} is not trusted ({what}).</source>
        <translation>La connessione sicura non è riuscita: il certificato di {host} non è attendibile ({what}).</translation>
    </message>
    <message>
        <source>If your company uses its own certificate authority, it can be installed in the system store instead (docs/network.md).</source>
        <translation>Se la tua azienda usa una propria autorità di certificazione, puoi invece installarla nell'archivio di sistema (docs/network.md).</translation>
    </message>
    <message>
        <source>Issued to {subject} by {issuer}, valid {start} to {end}.</source>
        <translation>Rilasciato a {subject} da {issuer}, valido dal {start} al {end}.</translation>
    </message>
    <message>
        <source>SHA-256 fingerprint: {fingerprint}</source>
        <translation>Impronta SHA-256: {fingerprint}</translation>
    </message>
    <message>
        <source>Portico cannot accept this certificate.</source>
        <translation>Portico non può accettare questo certificato.</translation>
    </message>
</context>
<context>
    <name>DesktopIntegration</name>
    <message>
        <source>Downloaded “{name}” from {title} to {folder}</source>
        <translation>Scaricato “{name}” da {title} in {folder}</translation>
    </message>
    <message>
        <source>The download of “{name}” from {title} failed: {reason}</source>
        <translation>Il download di “{name}” da {title} non è riuscito: {reason}</translation>
    </message>
    <message>
        <source>Unloaded (opens again when shown)</source>
        <translation>Scaricato dalla memoria (si riapre quando lo mostri)</translation>
    </message>
    <message>
        <source>Hibernating</source>
        <translation>In ibernazione</translation>
    </message>
    <message>
        <source>Not started yet</source>
        <translation>Non ancora avviato</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>Accesso in corso…</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Caricamento…</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>In funzione</translation>
    </message>
    <message>
        <source>Needs you to sign in</source>
        <translation>Devi accedere</translation>
    </message>
    <message>
        <source>Has a problem</source>
        <translation>Ha un problema</translation>
    </message>
</context>
<context>
    <name>EventInspector</name>
    <message>
        <source>Event Inspector – Portico</source>
        <translation>Ispettore eventi – Portico</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pausa</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Svuota</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Ora</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nome</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>Dati</translation>
    </message>
    <message>
        <source>Bridge traffic of {title} (paused)</source>
        <translation>Traffico del bridge di {title} (in pausa)</translation>
    </message>
    <message>
        <source>Bridge traffic of {title}</source>
        <translation>Traffico del bridge di {title}</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Riprendi</translation>
    </message>
</context>
<context>
    <name>FindBar</name>
    <message>
        <source>Find in page</source>
        <translation>Trova nella pagina</translation>
    </message>
    <message>
        <source>Previous match (Shift+Enter, Shift+F3)</source>
        <translation>Corrispondenza precedente (Shift+Enter, Shift+F3)</translation>
    </message>
    <message>
        <source>Next match (Enter, F3)</source>
        <translation>Corrispondenza successiva (Enter, F3)</translation>
    </message>
    <message>
        <source>Close (Esc)</source>
        <translation>Chiudi (Esc)</translation>
    </message>
    <message>
        <source>{active} of {total}</source>
        <translation>{active} di {total}</translation>
    </message>
    <message>
        <source>No matches</source>
        <translation>Nessuna corrispondenza</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>P&amp;rovider</source>
        <translation>P&amp;rovider</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Visualizza</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>Apri cartella</translation>
    </message>
    <message>
        <source>⚙  Settings</source>
        <translation>⚙  Impostazioni</translation>
    </message>
    <message>
        <source>Providers, theme and hibernation (Ctrl+,)</source>
        <translation>Provider, tema e ibernazione (Ctrl+,)</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Impostazioni…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Esci</translation>
    </message>
    <message>
        <source>&amp;Reload</source>
        <translation>&amp;Ricarica</translation>
    </message>
    <message>
        <source>Zoom &amp;In</source>
        <translation>&amp;Ingrandisci</translation>
    </message>
    <message>
        <source>Zoom &amp;Out</source>
        <translation>Rimpi&amp;cciolisci</translation>
    </message>
    <message>
        <source>&amp;Actual Size</source>
        <translation>Dimensione &amp;reale</translation>
    </message>
    <message>
        <source>&amp;Find in Page…</source>
        <translation>&amp;Trova nella pagina…</translation>
    </message>
    <message>
        <source>Find &amp;Next</source>
        <translation>Trova s&amp;uccessivo</translation>
    </message>
    <message>
        <source>Find &amp;Previous</source>
        <translation>Trova &amp;precedente</translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation>&amp;Stampa…</translation>
    </message>
    <message>
        <source>Open &amp;Downloads Folder</source>
        <translation>Apri cartella &amp;download</translation>
    </message>
    <message>
        <source>Event &amp;Inspector</source>
        <translation>Ispettore &amp;eventi</translation>
    </message>
    <message>
        <source>Welcome – Portico</source>
        <translation>Benvenuto – Portico</translation>
    </message>
    <message>
        <source>{title} – Portico</source>
        <translation>{title} – Portico</translation>
    </message>
</context>
<context>
    <name>PermissionPrompt</name>
    <message>
        <source>Allow</source>
        <translation>Consenti</translation>
    </message>
    <message>
        <source>Don't allow</source>
        <translation>Non consentire</translation>
    </message>
</context>
<context>
    <name>ProviderEditor</name>
    <message>
        <source>Edit a {kind} provider</source>
        <translation>Modifica un provider {kind}</translation>
    </message>
    <message>
        <source>Add a {kind} provider</source>
        <translation>Aggiungi un provider {kind}</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>Id</translation>
    </message>
    <message>
        <source>[a-z0-9-]+, e.g. work</source>
        <translation>[a-z0-9-]+, ad es. work</translation>
    </message>
</context>
<context>
    <name>ProviderView</name>
    <message>
        <source>Portico could not open its own page for this provider.</source>
        <translation>Portico non è riuscito ad aprire la propria pagina per questo provider.</translation>
    </message>
    <message>
        <source>Reload the provider; if it keeps failing, restart Portico.</source>
        <translation>Ricarica il provider; se il problema persiste, riavvia Portico.</translation>
    </message>
    <message>
        <source>{title} could not be loaded from {origin}.</source>
        <translation>Impossibile caricare {title} da {origin}.</translation>
    </message>
    <message>
        <source>Check your network connection and that the server is running, then press Retry.</source>
        <translation>Controlla la connessione di rete e che il server sia attivo, poi premi Riprova.</translation>
    </message>
    <message>
        <source>{title} is not answering.</source>
        <translation>{title} non risponde.</translation>
    </message>
    <message>
        <source>It did not finish loading in 30 seconds. Press Retry to reload it.</source>
        <translation>Il caricamento non è terminato entro 30 secondi. Premi Riprova per ricaricare.</translation>
    </message>
    <message>
        <source>Sign-in needed</source>
        <translation>Accesso richiesto</translation>
    </message>
    <message>
        <source>{title} is unavailable</source>
        <translation>{title} non è disponibile</translation>
    </message>
    <message>
        <source>Certificate changed</source>
        <translation>Certificato cambiato</translation>
    </message>
    <message>
        <source>Certificate not trusted</source>
        <translation>Certificato non attendibile</translation>
    </message>
    <message>
        <source>Trust the new certificate for {title}</source>
        <translation>Considera attendibile il nuovo certificato per {title}</translation>
    </message>
    <message>
        <source>Trust this certificate for {title}</source>
        <translation>Considera attendibile questo certificato per {title}</translation>
    </message>
</context>
<context>
    <name>Reconnector</name>
    <message>
        <source>Portico tries again in {seconds} s.</source>
        <translation>Portico riprova tra {seconds} s.</translation>
    </message>
    <message>
        <source>{title} is unavailable</source>
        <translation>{title} non è disponibile</translation>
    </message>
    <message>
        <source>Retry now</source>
        <translation>Riprova ora</translation>
    </message>
</context>
<context>
    <name>RemoveProviderDialog</name>
    <message>
        <source>Remove provider</source>
        <translation>Rimuovi provider</translation>
    </message>
    <message>
        <source>Remove {id} from the config?</source>
        <translation>Rimuovere {id} dalla configurazione?</translation>
    </message>
    <message>
        <source>Also delete its saved secrets (keyring)</source>
        <translation>Elimina anche i segreti salvati (portachiavi)</translation>
    </message>
    <message>
        <source>Also delete its browser data (cookies, storage, cache)</source>
        <translation>Elimina anche i dati di navigazione (cookie, archiviazione, cache)</translation>
    </message>
    <message>
        <source>Added back later, it will have to sign in again.</source>
        <translation>Se lo aggiungi di nuovo, dovrà accedere di nuovo.</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Rimuovi</translation>
    </message>
</context>
<context>
    <name>ScreenPicker</name>
    <message>
        <source>Share your screen with {title}</source>
        <translation>Condividi lo schermo con {title}</translation>
    </message>
    <message>
        <source>{title} asks to see one of your screens or windows. Choose what it may see; it sees nothing else.</source>
        <translation>{title} chiede di vedere uno dei tuoi schermi o una delle tue finestre. Scegli cosa può vedere; non vedrà nient'altro.</translation>
    </message>
    <message>
        <source>There is no screen or window Portico can share here (no display server, or the desktop does not allow capture).</source>
        <translation>Qui non c'è alcuno schermo o finestra che Portico possa condividere (nessun server grafico, oppure il desktop non consente l'acquisizione).</translation>
    </message>
    <message>
        <source>Share</source>
        <translation>Condividi</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings – Portico</source>
        <translation>Impostazioni – Portico</translation>
    </message>
    <message>
        <source>Providers</source>
        <translation>Provider</translation>
    </message>
    <message>
        <source>General</source>
        <translation>Generale</translation>
    </message>
    <message>
        <source>Plugins</source>
        <translation>Plugin</translation>
    </message>
    <message>
        <source>Permissions</source>
        <translation>Autorizzazioni</translation>
    </message>
    <message>
        <source>This Portico runs without a config file: nothing here can be saved.</source>
        <translation>Questo Portico è in esecuzione senza un file di configurazione: qui non è possibile salvare nulla.</translation>
    </message>
    <message>
        <source>Add {kind}…</source>
        <translation>Aggiungi {kind}…</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Aggiungi</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Modifica…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Rimuovi</translation>
    </message>
    <message>
        <source>Provider changes apply when Portico starts again.</source>
        <translation>Le modifiche ai provider verranno applicate al prossimo avvio di Portico.</translation>
    </message>
    <message>
        <source>  · set by your administrator</source>
        <translation>  · impostato dal tuo amministratore</translation>
    </message>
    <message>
        <source>Secrets not deleted</source>
        <translation>Segreti non eliminati</translation>
    </message>
    <message>
        <source>Follow the desktop</source>
        <translation>Come il desktop</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Chiaro</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Scuro</translation>
    </message>
    <message>
        <source>The desktop's language</source>
        <translation>La lingua del desktop</translation>
    </message>
    <message>
        <source>Used from the next start</source>
        <translation>Verrà usata dal prossimo avvio</translation>
    </message>
    <message>
        <source>Start Portico when I log in (in the tray)</source>
        <translation>Avvia Portico all'accesso (nell'area di notifica)</translation>
    </message>
    <message>
        <source>Writes {path}</source>
        <translation>Scrive {path}</translation>
    </message>
    <message>
        <source>A hibernating provider runs no script: it sends no notifications and its badge shows the last count until you open it again. 0 = never.</source>
        <translation>Un provider in ibernazione non esegue script: non invia notifiche e il suo badge mostra l'ultimo conteggio finché non lo riapri. 0 = mai.</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Salva</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>Tema</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Lingua</translation>
    </message>
    <message>
        <source>Freeze a provider hidden for (minutes)</source>
        <translation>Congela un provider nascosto da (minuti)</translation>
    </message>
    <message>
        <source>Unload a provider hidden for (minutes)</source>
        <translation>Scarica dalla memoria un provider nascosto da (minuti)</translation>
    </message>
    <message>
        <source>Spell check</source>
        <translation>Controllo ortografico</translation>
    </message>
    <message>
        <source>No dictionaries are installed (see docs/spelling.md)</source>
        <translation>Nessun dizionario installato (vedi docs/spelling.md)</translation>
    </message>
    <message>
        <source>What you answered when a provider asked for your camera or microphone. Forget an answer and the provider's page loads again, then asks the next time. Screen sharing is asked every time.</source>
        <translation>Le risposte che hai dato quando un provider ha chiesto di usare la fotocamera o il microfono. Se dimentichi una risposta, la pagina del provider viene ricaricata e la richiesta verrà ripetuta la volta successiva. La condivisione dello schermo viene chiesta ogni volta.</translation>
    </message>
    <message>
        <source>Forget the selected answers</source>
        <translation>Dimentica le risposte selezionate</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>Salvataggio non riuscito</translation>
    </message>
</context>
<context>
    <name>Shell</name>
    <message>
        <source>Spell check has no dictionary for {languages}: those languages are not checked (see docs/spelling.md).</source>
        <translation>Il controllo ortografico non ha un dizionario per {languages}: queste lingue non vengono controllate (vedi docs/spelling.md).</translation>
    </message>
    <message>
        <source>Portico cannot save the browser data of {titles} ({why}). They work, but their sign-in is forgotten when Portico closes.</source>
        <translation>Portico non può salvare i dati di navigazione di {titles} ({why}). Funzionano, ma l'accesso viene dimenticato alla chiusura di Portico.</translation>
    </message>
    <message>
        <source>The demo opens in its own window: simulated servers, no account needed.</source>
        <translation>La demo si apre in una finestra propria: server simulati, nessun account necessario.</translation>
    </message>
    <message>
        <source>The demo could not be started.</source>
        <translation>Impossibile avviare la demo.</translation>
    </message>
    <message>
        <source>The certificate is trusted until Portico closes: it could not be saved ({why}).</source>
        <translation>Il certificato è considerato attendibile fino alla chiusura di Portico: non è stato possibile salvarlo ({why}).</translation>
    </message>
</context>
<context>
    <name>SignInForm</name>
    <message>
        <source>Remember in the system keyring</source>
        <translation>Ricorda nel portachiavi di sistema</translation>
    </message>
    <message>
        <source>The system keyring cannot be used right now: this sign-in lasts until Portico closes.</source>
        <translation>Al momento non è possibile usare il portachiavi di sistema: questo accesso durerà fino alla chiusura di Portico.</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Accedi</translation>
    </message>
</context>
<context>
    <name>StatusPanel</name>
    <message>
        <source>Retry</source>
        <translation>Riprova</translation>
    </message>
</context>
<context>
    <name>ViewWatchdog</name>
    <message>
        <source>{title} stopped unexpectedly</source>
        <translation>{title} si è chiuso inaspettatamente</translation>
    </message>
    <message>
        <source>It kept stopping, so Portico stopped reloading it. Press Retry to try again.</source>
        <translation>Continuava a chiudersi, quindi Portico ha smesso di ricaricarlo. Premi Riprova per tentare di nuovo.</translation>
    </message>
    <message>
        <source>Reloading in {seconds} s (attempt {attempt} of {attempts})…</source>
        <translation>Ricaricamento tra {seconds} s (tentativo {attempt} di {attempts})…</translation>
    </message>
    <message>
        <source>Reload now</source>
        <translation>Ricarica ora</translation>
    </message>
    <message>
        <source>{title} is not responding</source>
        <translation>{title} non risponde</translation>
    </message>
    <message>
        <source>Its page has not answered for {seconds} seconds.</source>
        <translation>La sua pagina non risponde da {seconds} secondi.</translation>
    </message>
    <message>
        <source>It may be busy. Reload it, or keep waiting: Portico shows it again as soon as it answers.</source>
        <translation>Potrebbe essere occupata. Ricaricala o continua ad aspettare: Portico la mostra di nuovo appena risponde.</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>Ricarica</translation>
    </message>
    <message>
        <source>Keep waiting</source>
        <translation>Continua ad aspettare</translation>
    </message>
</context>
<context>
    <name>WelcomePage</name>
    <message>
        <source>Add a Rocket.Chat server</source>
        <translation>Aggiungi un server Rocket.Chat</translation>
    </message>
    <message>
        <source>Add a Spoki account</source>
        <translation>Aggiungi un account Spoki</translation>
    </message>
    <message>
        <source>Add a SpatialChat site</source>
        <translation>Aggiungi un sito SpatialChat</translation>
    </message>
    <message>
        <source>Add another web app</source>
        <translation>Aggiungi un'altra app web</translation>
    </message>
    <message>
        <source>Add {kind}</source>
        <translation>Aggiungi {kind}</translation>
    </message>
    <message>
        <source>Your Rocket.Chat workspace, signed in with your password, a personal access token or SSO.</source>
        <translation>Il tuo spazio di lavoro Rocket.Chat, con accesso tramite password, token di accesso personale o SSO.</translation>
    </message>
    <message>
        <source>Spoki's WhatsApp inbox, signed in with your API key and private key.</source>
        <translation>La casella WhatsApp di Spoki, con accesso tramite chiave API e chiave privata.</translation>
    </message>
    <message>
        <source>A site made for SpatialChat rooms.</source>
        <translation>Un sito creato per le stanze SpatialChat.</translation>
    </message>
    <message>
        <source>Any web app that sends messages to its window: badges and notifications without code.</source>
        <translation>Qualsiasi app web che invia messaggi alla sua finestra: badge e notifiche senza scrivere codice.</translation>
    </message>
    <message>
        <source>Welcome to Portico</source>
        <translation>Benvenuto in Portico</translation>
    </message>
    <message>
        <source>Your team's web apps, each signed in once, in one window: add the first one. Passwords and keys go to your system keyring, never to a file.</source>
        <translation>Le app web del tuo team, ciascuna con un solo accesso, in un'unica finestra: aggiungi la prima. Password e chiavi vanno nel portachiavi di sistema, mai in un file.</translation>
    </message>
    <message>
        <source>Try the demo first (no account needed)</source>
        <translation>Prova prima la demo (nessun account necessario)</translation>
    </message>
</context>
<context>
    <name>kinds</name>
    <message>
        <source>Title</source>
        <translation>Titolo</translation>
    </message>
    <message>
        <source>What the sidebar shows (default: the kind's name).</source>
        <translation>Ciò che mostra la barra laterale (predefinito: il nome del tipo).</translation>
    </message>
    <message>
        <source>Icon</source>
        <translation>Icona</translation>
    </message>
    <message>
        <source>An image file for the sidebar (default: the site's icon).</source>
        <translation>Un file immagine per la barra laterale (predefinito: l'icona del sito).</translation>
    </message>
    <message>
        <source>Zoom</source>
        <translation>Zoom</translation>
    </message>
    <message>
        <source>The page zoom factor.</source>
        <translation>Il fattore di zoom della pagina.</translation>
    </message>
    <message>
        <source>Trusted certificates (SHA-256)</source>
        <translation>Certificati attendibili (SHA-256)</translation>
    </message>
    <message>
        <source>Fingerprints of self-signed or private certificates you trusted for this provider's server (the certificate prompt adds them); any other certificate error is refused.</source>
        <translation>Impronte dei certificati autofirmati o privati che hai considerato attendibili per il server di questo provider (le aggiunge la richiesta di conferma del certificato); qualsiasi altro errore di certificato viene rifiutato.</translation>
    </message>
    <message>
        <source>Spell-check languages</source>
        <translation>Lingue del controllo ortografico</translation>
    </message>
    <message>
        <source>e.g. en-US, it-IT; empty: the General setting ([settings] spellcheck); [] in the file: off</source>
        <translation>ad es. en-US, it-IT; vuoto: l'impostazione Generale ([settings] spellcheck); [] nel file: disattivato</translation>
    </message>
    <message>
        <source>Download folder</source>
        <translation>Cartella dei download</translation>
    </message>
    <message>
        <source>where this provider's downloads go (default: your Downloads folder); ~ is your home</source>
        <translation>dove vanno i download di questo provider (predefinito: la tua cartella Download); ~ è la tua cartella home</translation>
    </message>
    <message>
        <source>Remember the sign-in across restarts (kept on disk)</source>
        <translation>Ricorda l'accesso tra un riavvio e l'altro (conservato su disco)</translation>
    </message>
    <message>
        <source>Keep the browser profile (cookies, storage, cache) on disk; only for kinds Portico does not sign in from the keyring.</source>
        <translation>Conserva il profilo del browser (cookie, archiviazione, cache) su disco; solo per i tipi a cui Portico non accede dal portachiavi.</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>https://chat.example.com</source>
        <translation>https://chat.example.com</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Canale</translation>
    </message>
    <message>
        <source>optional: the whole workspace without it</source>
        <translation>facoltativo: senza, l'intero workspace</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>Nome utente</translation>
    </message>
    <message>
        <source>the account's username or e-mail</source>
        <translation>il nome utente o l'e-mail dell'account</translation>
    </message>
    <message>
        <source>User id</source>
        <translation>Id utente</translation>
    </message>
    <message>
        <source>for a personal access token</source>
        <translation>per un token di accesso personale</translation>
    </message>
    <message>
        <source>SSO sign-in</source>
        <translation>Accesso SSO</translation>
    </message>
    <message>
        <source>oauth:&lt;service&gt; to sign in through the server's OAuth service, iframe for its own iframe sign-in page (no password either way)</source>
        <translation>oauth:&lt;service&gt; per accedere tramite il servizio OAuth del server, iframe per la sua pagina di accesso iframe (in entrambi i casi senza password)</translation>
    </message>
    <message>
        <source>Integration</source>
        <translation>Integrazione</translation>
    </message>
    <message>
        <source>auto: the server's Iframe Integration where it is on, else desktop mode (the web client on its own, as Rocket.Chat Desktop shows it); iframe or desktop forces one</source>
        <translation>auto: l'Iframe Integration del server dove è attiva, altrimenti la modalità desktop (il client web da solo, come lo mostra Rocket.Chat Desktop); iframe o desktop ne impone una</translation>
    </message>
    <message>
        <source>Hidden actions</source>
        <translation>Azioni nascoste</translation>
    </message>
    <message>
        <source>action ids the web client hides (overrideUi, Rocket.Chat 6.6 and later)</source>
        <translation>id delle azioni che il client web nasconde (overrideUi, Rocket.Chat 6.6 e successivi)</translation>
    </message>
    <message>
        <source>Room actions</source>
        <translation>Azioni della stanza</translation>
    </message>
    <message>
        <source>ids of the room toolbox's actions, e.g. ["start-call"]</source>
        <translation>id delle azioni della barra strumenti della stanza, ad es. ["start-call"]</translation>
    </message>
    <message>
        <source>Message actions</source>
        <translation>Azioni dei messaggi</translation>
    </message>
    <message>
        <source>ids of the message toolbox's actions, e.g. ["reply-in-thread"]</source>
        <translation>id delle azioni della barra strumenti dei messaggi, ad es. ["reply-in-thread"]</translation>
    </message>
    <message>
        <source>Composer actions</source>
        <translation>Azioni dell'editor</translation>
    </message>
    <message>
        <source>ids of the composer toolbox's actions, e.g. ["video-message"]</source>
        <translation>id delle azioni della barra strumenti dell'editor, ad es. ["video-message"]</translation>
    </message>
    <message>
        <source>User actions</source>
        <translation>Azioni dell'utente</translation>
    </message>
    <message>
        <source>ids of the user toolbox's actions, e.g. ["logout"]</source>
        <translation>id delle azioni della barra strumenti dell'utente, ad es. ["logout"]</translation>
    </message>
    <message>
        <source>Service user e-mail</source>
        <translation>E-mail dell'utente di servizio</translation>
    </message>
    <message>
        <source>the Spoki service user</source>
        <translation>l'utente di servizio Spoki</translation>
    </message>
    <message>
        <source>Page</source>
        <translation>Pagina</translation>
    </message>
    <message>
        <source>chats, templates or chats/&lt;uuid&gt;</source>
        <translation>chats, templates o chats/&lt;uuid&gt;</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Lingua</translation>
    </message>
    <message>
        <source>the embedded app's language (window: the language Portico's window speaks)</source>
        <translation>la lingua dell'app incorporata (window: la lingua della finestra di Portico)</translation>
    </message>
    <message>
        <source>Can view the chat list</source>
        <translation>Può vedere l'elenco delle chat</translation>
    </message>
    <message>
        <source>show the list of chats</source>
        <translation>mostra l'elenco delle chat</translation>
    </message>
    <message>
        <source>Can reply in chats</source>
        <translation>Può rispondere nelle chat</translation>
    </message>
    <message>
        <source>allow replies</source>
        <translation>consenti le risposte</translation>
    </message>
    <message>
        <source>Can send PayPal links</source>
        <translation>Può inviare link PayPal</translation>
    </message>
    <message>
        <source>allow PayPal links</source>
        <translation>consenti i link PayPal</translation>
    </message>
    <message>
        <source>API base</source>
        <translation>Base API</translation>
    </message>
    <message>
        <source>https://app.spoki.it</source>
        <translation>https://app.spoki.it</translation>
    </message>
    <message>
        <source>App base</source>
        <translation>Base dell'app</translation>
    </message>
    <message>
        <source>https://spoki.app</source>
        <translation>https://spoki.app</translation>
    </message>
    <message>
        <source>Site URL</source>
        <translation>URL del sito</translation>
    </message>
    <message>
        <source>https://board.example.com/</source>
        <translation>https://board.example.com/</translation>
    </message>
    <message>
        <source>Space id</source>
        <translation>Id dello spazio</translation>
    </message>
    <message>
        <source>answered to get_space_ids</source>
        <translation>risposto a get_space_ids</translation>
    </message>
    <message>
        <source>Room id</source>
        <translation>Id della stanza</translation>
    </message>
    <message>
        <source>Space slug</source>
        <translation>Slug dello spazio</translation>
    </message>
    <message>
        <source>Space URL</source>
        <translation>URL dello spazio</translation>
    </message>
    <message>
        <source>optional: https://app.spatial.chat/s/&lt;id&gt;, for room links</source>
        <translation>facoltativo: https://app.spatial.chat/s/&lt;id&gt;, per i link alle stanze</translation>
    </message>
    <message>
        <source>Your details</source>
        <translation>I tuoi dati</translation>
    </message>
    <message>
        <source>What sites in this room see about you:</source>
        <translation>Cosa vedono di te i siti in questa stanza:</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>Id</translation>
    </message>
    <message>
        <source>answered to the page's get_user_info</source>
        <translation>risposto a get_user_info della pagina</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nome</translation>
    </message>
    <message>
        <source>About</source>
        <translation>Informazioni</translation>
    </message>
    <message>
        <source>Pronoun</source>
        <translation>Pronome</translation>
    </message>
    <message>
        <source>Avatar URL</source>
        <translation>URL dell'avatar</translation>
    </message>
    <message>
        <source>https://…</source>
        <translation>https://…</translation>
    </message>
    <message>
        <source>https://app.example.com/</source>
        <translation>https://app.example.com/</translation>
    </message>
    <message>
        <source>Name key</source>
        <translation>Chiave del nome</translation>
    </message>
    <message>
        <source>the path of a message's name, e.g. type or event</source>
        <translation>il percorso del nome di un messaggio, ad es. type o event</translation>
    </message>
    <message>
        <source>Unread messages</source>
        <translation>Messaggi non letti</translation>
    </message>
    <message>
        <source>names of the messages that carry the unread count</source>
        <translation>nomi dei messaggi che riportano il numero di non letti</translation>
    </message>
    <message>
        <source>Unread count path</source>
        <translation>Percorso del numero di non letti</translation>
    </message>
    <message>
        <source>where the count is in them, e.g. data.count</source>
        <translation>dove si trova il numero al loro interno, ad es. data.count</translation>
    </message>
    <message>
        <source>Notifying messages</source>
        <translation>Messaggi con notifica</translation>
    </message>
    <message>
        <source>names of the messages that raise a notification</source>
        <translation>nomi dei messaggi che generano una notifica</translation>
    </message>
    <message>
        <source>Notification title path</source>
        <translation>Percorso del titolo della notifica</translation>
    </message>
    <message>
        <source>e.g. data.from (default: the title)</source>
        <translation>ad es. data.from (predefinito: il titolo)</translation>
    </message>
    <message>
        <source>Notification text path</source>
        <translation>Percorso del testo della notifica</translation>
    </message>
    <message>
        <source>e.g. data.text</source>
        <translation>ad es. data.text</translation>
    </message>
    <message>
        <source>Other messages</source>
        <translation>Altri messaggi</translation>
    </message>
    <message>
        <source>names of further messages to accept (for plugins and the event log); any other message is dropped</source>
        <translation>nomi di ulteriori messaggi da accettare (per i plugin e il registro eventi); qualsiasi altro messaggio viene scartato</translation>
    </message>
    <message>
        <source>Commands</source>
        <translation>Comandi</translation>
    </message>
    <message>
        <source>names of the messages `portico send` and plugins may post to the page</source>
        <translation>nomi dei messaggi che `portico send` e i plugin possono inviare alla pagina</translation>
    </message>
    <message>
        <source>Command data key</source>
        <translation>Chiave dei dati del comando</translation>
    </message>
    <message>
        <source>where a command's argument goes in the message posted</source>
        <translation>dove va l'argomento di un comando nel messaggio inviato</translation>
    </message>
</context>
</TS>