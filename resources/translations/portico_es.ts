<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es_ES">
<context>
    <name>Banner</name>
    <message>
        <source>Open</source>
        <translation>Abrir</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Descartar</translation>
    </message>
</context>
<context>
    <name>Certificates</name>
    <message>
        <source>The certificate of {host} changed: it is not the one you trusted for this provider ({what}).</source>
        <translation>El certificado de {host} ha cambiado: no es el que marcaste como de confianza para este proveedor ({what}).</translation>
    </message>
    <message>
        <source>If the server's administrator renewed it, compare the fingerprint with theirs before trusting the new one.</source>
        <translation>Si el administrador del servidor lo renovó, compara la huella con la suya antes de confiar en el nuevo.</translation>
    </message>
    <message>
        <source>The secure connection failed: the certificate of {host} is not trusted ({what}).</source>
        <translation>La conexión segura ha fallado: el certificado de {host} no es de confianza ({what}).</translation>
    </message>
    <message>
        <source>If your company uses its own certificate authority, it can be installed in the system store instead (docs/network.md).</source>
        <translation>Si tu empresa usa su propia autoridad de certificación, puedes instalarla en el almacén del sistema (docs/network.md).</translation>
    </message>
    <message>
        <source>Issued to {subject} by {issuer}, valid {start} to {end}.</source>
        <translation>Emitido para {subject} por {issuer}, válido del {start} al {end}.</translation>
    </message>
    <message>
        <source>SHA-256 fingerprint: {fingerprint}</source>
        <translation>Huella SHA-256: {fingerprint}</translation>
    </message>
    <message>
        <source>Portico cannot accept this certificate.</source>
        <translation>Portico no puede aceptar este certificado.</translation>
    </message>
</context>
<context>
    <name>DesktopIntegration</name>
    <message>
        <source>Downloaded “{name}” from {title} to {folder}</source>
        <translation>Descargado “{name}” de {title} en {folder}</translation>
    </message>
    <message>
        <source>The download of “{name}” from {title} failed: {reason}</source>
        <translation>La descarga de “{name}” de {title} ha fallado: {reason}</translation>
    </message>
    <message>
        <source>Unloaded (opens again when shown)</source>
        <translation>Liberado de la memoria (se abre de nuevo al mostrarlo)</translation>
    </message>
    <message>
        <source>Hibernating</source>
        <translation>Hibernando</translation>
    </message>
    <message>
        <source>Not started yet</source>
        <translation>Aún no iniciado</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>Iniciando sesión…</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Cargando…</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>En marcha</translation>
    </message>
    <message>
        <source>Needs you to sign in</source>
        <translation>Necesita que inicies sesión</translation>
    </message>
    <message>
        <source>Has a problem</source>
        <translation>Tiene un problema</translation>
    </message>
</context>
<context>
    <name>EventInspector</name>
    <message>
        <source>Event Inspector – Portico</source>
        <translation>Inspector de eventos – Portico</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pausar</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Vaciar</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Hora</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>Datos</translation>
    </message>
    <message>
        <source>Bridge traffic of {title} (paused)</source>
        <translation>Tráfico del puente de {title} (en pausa)</translation>
    </message>
    <message>
        <source>Bridge traffic of {title}</source>
        <translation>Tráfico del puente de {title}</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Reanudar</translation>
    </message>
</context>
<context>
    <name>FindBar</name>
    <message>
        <source>Find in page</source>
        <translation>Buscar en la página</translation>
    </message>
    <message>
        <source>Previous match (Shift+Enter, Shift+F3)</source>
        <translation>Coincidencia anterior (Shift+Enter, Shift+F3)</translation>
    </message>
    <message>
        <source>Next match (Enter, F3)</source>
        <translation>Coincidencia siguiente (Enter, F3)</translation>
    </message>
    <message>
        <source>Close (Esc)</source>
        <translation>Cerrar (Esc)</translation>
    </message>
    <message>
        <source>{active} of {total}</source>
        <translation>{active} de {total}</translation>
    </message>
    <message>
        <source>No matches</source>
        <translation>Sin coincidencias</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>P&amp;rovider</source>
        <translation>&amp;Proveedor</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ver</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>Abrir carpeta</translation>
    </message>
    <message>
        <source>⚙  Settings</source>
        <translation>⚙  Ajustes</translation>
    </message>
    <message>
        <source>Providers, theme and hibernation (Ctrl+,)</source>
        <translation>Proveedores, tema e hibernación (Ctrl+,)</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Ajustes…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Salir</translation>
    </message>
    <message>
        <source>&amp;Reload</source>
        <translation>&amp;Recargar</translation>
    </message>
    <message>
        <source>Zoom &amp;In</source>
        <translation>&amp;Aumentar</translation>
    </message>
    <message>
        <source>Zoom &amp;Out</source>
        <translation>&amp;Reducir</translation>
    </message>
    <message>
        <source>&amp;Actual Size</source>
        <translation>&amp;Tamaño real</translation>
    </message>
    <message>
        <source>&amp;Find in Page…</source>
        <translation>&amp;Buscar en la página…</translation>
    </message>
    <message>
        <source>Find &amp;Next</source>
        <translation>Buscar &amp;siguiente</translation>
    </message>
    <message>
        <source>Find &amp;Previous</source>
        <translation>Buscar a&amp;nterior</translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation>&amp;Imprimir…</translation>
    </message>
    <message>
        <source>Open &amp;Downloads Folder</source>
        <translation>Abrir la carpeta de &amp;descargas</translation>
    </message>
    <message>
        <source>Event &amp;Inspector</source>
        <translation>Inspector de &amp;eventos</translation>
    </message>
    <message>
        <source>Welcome – Portico</source>
        <translation>Bienvenida – Portico</translation>
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
        <translation>Permitir</translation>
    </message>
    <message>
        <source>Don't allow</source>
        <translation>No permitir</translation>
    </message>
</context>
<context>
    <name>ProviderEditor</name>
    <message>
        <source>Edit a {kind} provider</source>
        <translation>Editar un proveedor de {kind}</translation>
    </message>
    <message>
        <source>Add a {kind} provider</source>
        <translation>Añadir un proveedor de {kind}</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>Id</translation>
    </message>
    <message>
        <source>[a-z0-9-]+, e.g. work</source>
        <translation>[a-z0-9-]+, p. ej. work</translation>
    </message>
</context>
<context>
    <name>ProviderView</name>
    <message>
        <source>Portico could not open its own page for this provider.</source>
        <translation>Portico no ha podido abrir su propia página para este proveedor.</translation>
    </message>
    <message>
        <source>Reload the provider; if it keeps failing, restart Portico.</source>
        <translation>Recarga el proveedor; si sigue fallando, reinicia Portico.</translation>
    </message>
    <message>
        <source>{title} could not be loaded from {origin}.</source>
        <translation>No se ha podido cargar {title} desde {origin}.</translation>
    </message>
    <message>
        <source>Check your network connection and that the server is running, then press Retry.</source>
        <translation>Comprueba la conexión de red y que el servidor esté en funcionamiento; después pulsa Reintentar.</translation>
    </message>
    <message>
        <source>{title} is not answering.</source>
        <translation>{title} no responde.</translation>
    </message>
    <message>
        <source>It did not finish loading in 30 seconds. Press Retry to reload it.</source>
        <translation>No ha terminado de cargarse en 30 segundos. Pulsa Reintentar para recargarlo.</translation>
    </message>
    <message>
        <source>Sign-in needed</source>
        <translation>Es necesario iniciar sesión</translation>
    </message>
    <message>
        <source>{title} is unavailable</source>
        <translation>{title} no está disponible</translation>
    </message>
    <message>
        <source>Certificate changed</source>
        <translation>El certificado ha cambiado</translation>
    </message>
    <message>
        <source>Certificate not trusted</source>
        <translation>Certificado no fiable</translation>
    </message>
    <message>
        <source>Trust the new certificate for {title}</source>
        <translation>Confiar en el nuevo certificado de {title}</translation>
    </message>
    <message>
        <source>Trust this certificate for {title}</source>
        <translation>Confiar en este certificado de {title}</translation>
    </message>
</context>
<context>
    <name>Reconnector</name>
    <message>
        <source>Portico tries again in {seconds} s.</source>
        <translation>Portico lo intentará de nuevo en {seconds} s.</translation>
    </message>
    <message>
        <source>{title} is unavailable</source>
        <translation>{title} no está disponible</translation>
    </message>
    <message>
        <source>Retry now</source>
        <translation>Reintentar ahora</translation>
    </message>
</context>
<context>
    <name>RemoveProviderDialog</name>
    <message>
        <source>Remove provider</source>
        <translation>Quitar proveedor</translation>
    </message>
    <message>
        <source>Remove {id} from the config?</source>
        <translation>¿Quitar {id} de la configuración?</translation>
    </message>
    <message>
        <source>Also delete its saved secrets (keyring)</source>
        <translation>Borrar también sus secretos guardados (llavero)</translation>
    </message>
    <message>
        <source>Also delete its browser data (cookies, storage, cache)</source>
        <translation>Borrar también sus datos de navegación (cookies, almacenamiento, caché)</translation>
    </message>
    <message>
        <source>Added back later, it will have to sign in again.</source>
        <translation>Si lo vuelves a añadir, tendrá que iniciar sesión de nuevo.</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Quitar</translation>
    </message>
</context>
<context>
    <name>ScreenPicker</name>
    <message>
        <source>Share your screen with {title}</source>
        <translation>Compartir tu pantalla con {title}</translation>
    </message>
    <message>
        <source>{title} asks to see one of your screens or windows. Choose what it may see; it sees nothing else.</source>
        <translation>{title} solicita ver una de tus pantallas o ventanas. Elige lo que puede ver; no verá nada más.</translation>
    </message>
    <message>
        <source>There is no screen or window Portico can share here (no display server, or the desktop does not allow capture).</source>
        <translation>Aquí no hay ninguna pantalla ni ventana que Portico pueda compartir (no hay servidor gráfico o el escritorio no permite la captura).</translation>
    </message>
    <message>
        <source>Share</source>
        <translation>Compartir</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings – Portico</source>
        <translation>Ajustes – Portico</translation>
    </message>
    <message>
        <source>Providers</source>
        <translation>Proveedores</translation>
    </message>
    <message>
        <source>General</source>
        <translation>General</translation>
    </message>
    <message>
        <source>Plugins</source>
        <translation>Complementos</translation>
    </message>
    <message>
        <source>Permissions</source>
        <translation>Permisos</translation>
    </message>
    <message>
        <source>This Portico runs without a config file: nothing here can be saved.</source>
        <translation>Este Portico se ejecuta sin archivo de configuración: aquí no se puede guardar nada.</translation>
    </message>
    <message>
        <source>Add {kind}…</source>
        <translation>Añadir {kind}…</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Añadir</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Editar…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Quitar</translation>
    </message>
    <message>
        <source>Provider changes apply when Portico starts again.</source>
        <translation>Los cambios en los proveedores se aplicarán cuando Portico se vuelva a iniciar.</translation>
    </message>
    <message>
        <source>  · set by your administrator</source>
        <translation>  · definido por tu administrador</translation>
    </message>
    <message>
        <source>Secrets not deleted</source>
        <translation>No se han eliminado los secretos</translation>
    </message>
    <message>
        <source>Follow the desktop</source>
        <translation>Como el escritorio</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Claro</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Oscuro</translation>
    </message>
    <message>
        <source>The desktop's language</source>
        <translation>El idioma del escritorio</translation>
    </message>
    <message>
        <source>Used from the next start</source>
        <translation>Se aplicará a partir del próximo inicio</translation>
    </message>
    <message>
        <source>Start Portico when I log in (in the tray)</source>
        <translation>Iniciar Portico al iniciar sesión (en la bandeja del sistema)</translation>
    </message>
    <message>
        <source>Writes {path}</source>
        <translation>Escribe {path}</translation>
    </message>
    <message>
        <source>A hibernating provider runs no script: it sends no notifications and its badge shows the last count until you open it again. 0 = never.</source>
        <translation>Un proveedor en hibernación no ejecuta ningún script: no envía notificaciones y su insignia muestra el último recuento hasta que vuelvas a abrirlo. 0 = nunca.</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Guardar</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>Tema</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Idioma</translation>
    </message>
    <message>
        <source>Freeze a provider hidden for (minutes)</source>
        <translation>Congelar un proveedor oculto durante (minutos)</translation>
    </message>
    <message>
        <source>Unload a provider hidden for (minutes)</source>
        <translation>Liberar de la memoria un proveedor oculto durante (minutos)</translation>
    </message>
    <message>
        <source>Spell check</source>
        <translation>Corrección ortográfica</translation>
    </message>
    <message>
        <source>No dictionaries are installed (see docs/spelling.md)</source>
        <translation>No hay diccionarios instalados (ver docs/spelling.md)</translation>
    </message>
    <message>
        <source>What you answered when a provider asked for your camera or microphone. Forget an answer and the provider's page loads again, then asks the next time. Screen sharing is asked every time.</source>
        <translation>Lo que respondiste cuando un proveedor pidió acceso a tu cámara o micrófono. Si olvidas una respuesta, la página del proveedor se vuelve a cargar y te lo preguntará la próxima vez. Compartir la pantalla se pregunta siempre.</translation>
    </message>
    <message>
        <source>Forget the selected answers</source>
        <translation>Olvidar las respuestas seleccionadas</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>No guardado</translation>
    </message>
</context>
<context>
    <name>Shell</name>
    <message>
        <source>Spell check has no dictionary for {languages}: those languages are not checked (see docs/spelling.md).</source>
        <translation>La corrección ortográfica no tiene diccionario para {languages}: esos idiomas no se revisan (ver docs/spelling.md).</translation>
    </message>
    <message>
        <source>Portico cannot save the browser data of {titles} ({why}). They work, but their sign-in is forgotten when Portico closes.</source>
        <translation>Portico no puede guardar los datos de navegación de {titles} ({why}). Funcionan, pero su sesión se olvida al cerrar Portico.</translation>
    </message>
    <message>
        <source>The demo opens in its own window: simulated servers, no account needed.</source>
        <translation>La demo se abre en su propia ventana: servidores simulados, sin necesidad de cuenta.</translation>
    </message>
    <message>
        <source>The demo could not be started.</source>
        <translation>No se pudo iniciar la demo.</translation>
    </message>
    <message>
        <source>The certificate is trusted until Portico closes: it could not be saved ({why}).</source>
        <translation>El certificado es de confianza hasta que Portico se cierre: no se pudo guardar ({why}).</translation>
    </message>
</context>
<context>
    <name>SignInForm</name>
    <message>
        <source>Remember in the system keyring</source>
        <translation>Recordar en el llavero del sistema</translation>
    </message>
    <message>
        <source>The system keyring cannot be used right now: this sign-in lasts until Portico closes.</source>
        <translation>El llavero del sistema no se puede usar en este momento: esta sesión durará hasta que se cierre Portico.</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Iniciar sesión</translation>
    </message>
</context>
<context>
    <name>StatusPanel</name>
    <message>
        <source>Retry</source>
        <translation>Reintentar</translation>
    </message>
</context>
<context>
    <name>ViewWatchdog</name>
    <message>
        <source>{title} stopped unexpectedly</source>
        <translation>{title} se detuvo inesperadamente</translation>
    </message>
    <message>
        <source>It kept stopping, so Portico stopped reloading it. Press Retry to try again.</source>
        <translation>Se detenía una y otra vez, así que Portico dejó de recargarlo. Pulsa Reintentar para probar de nuevo.</translation>
    </message>
    <message>
        <source>Reloading in {seconds} s (attempt {attempt} of {attempts})…</source>
        <translation>Recargando en {seconds} s (intento {attempt} de {attempts})…</translation>
    </message>
    <message>
        <source>Reload now</source>
        <translation>Recargar ahora</translation>
    </message>
    <message>
        <source>{title} is not responding</source>
        <translation>{title} no responde</translation>
    </message>
    <message>
        <source>Its page has not answered for {seconds} seconds.</source>
        <translation>Su página no responde desde hace {seconds} segundos.</translation>
    </message>
    <message>
        <source>It may be busy. Reload it, or keep waiting: Portico shows it again as soon as it answers.</source>
        <translation>Puede que esté ocupada. Recárgala o sigue esperando: Portico la mostrará de nuevo en cuanto responda.</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>Recargar</translation>
    </message>
    <message>
        <source>Keep waiting</source>
        <translation>Seguir esperando</translation>
    </message>
</context>
<context>
    <name>WelcomePage</name>
    <message>
        <source>Add a Rocket.Chat server</source>
        <translation>Añadir un servidor de Rocket.Chat</translation>
    </message>
    <message>
        <source>Add a Spoki account</source>
        <translation>Añadir una cuenta de Spoki</translation>
    </message>
    <message>
        <source>Add a SpatialChat site</source>
        <translation>Añadir un sitio de SpatialChat</translation>
    </message>
    <message>
        <source>Add another web app</source>
        <translation>Añadir otra aplicación web</translation>
    </message>
    <message>
        <source>Add {kind}</source>
        <translation>Añadir {kind}</translation>
    </message>
    <message>
        <source>Your Rocket.Chat workspace, signed in with your password, a personal access token or SSO.</source>
        <translation>Tu espacio de trabajo de Rocket.Chat, con sesión iniciada mediante contraseña, token de acceso personal o SSO.</translation>
    </message>
    <message>
        <source>Spoki's WhatsApp inbox, signed in with your API key and private key.</source>
        <translation>La bandeja de WhatsApp de Spoki, con sesión iniciada mediante tu clave API y tu clave privada.</translation>
    </message>
    <message>
        <source>A site made for SpatialChat rooms.</source>
        <translation>Un sitio creado para las salas de SpatialChat.</translation>
    </message>
    <message>
        <source>Any web app that sends messages to its window: badges and notifications without code.</source>
        <translation>Cualquier aplicación web que envía mensajes a su ventana: insignias y notificaciones sin código.</translation>
    </message>
    <message>
        <source>Welcome to Portico</source>
        <translation>Te damos la bienvenida a Portico</translation>
    </message>
    <message>
        <source>Your team's web apps, each signed in once, in one window: add the first one. Passwords and keys go to your system keyring, never to a file.</source>
        <translation>Las aplicaciones web de tu equipo, cada una con una sola sesión iniciada, en una única ventana: añade la primera. Las contraseñas y claves se guardan en el llavero del sistema, nunca en un archivo.</translation>
    </message>
    <message>
        <source>Try the demo first (no account needed)</source>
        <translation>Prueba primero la demo (no necesitas cuenta)</translation>
    </message>
</context>
<context>
    <name>kinds</name>
    <message>
        <source>Title</source>
        <translation>Título</translation>
    </message>
    <message>
        <source>What the sidebar shows (default: the kind's name).</source>
        <translation>Lo que muestra la barra lateral (por defecto: el nombre del tipo).</translation>
    </message>
    <message>
        <source>Icon</source>
        <translation>Icono</translation>
    </message>
    <message>
        <source>An image file for the sidebar (default: the site's icon).</source>
        <translation>Un archivo de imagen para la barra lateral (por defecto: el icono del sitio).</translation>
    </message>
    <message>
        <source>Zoom</source>
        <translation>Zoom</translation>
    </message>
    <message>
        <source>The page zoom factor.</source>
        <translation>El factor de zoom de la página.</translation>
    </message>
    <message>
        <source>Trusted certificates (SHA-256)</source>
        <translation>Certificados de confianza (SHA-256)</translation>
    </message>
    <message>
        <source>Fingerprints of self-signed or private certificates you trusted for this provider's server (the certificate prompt adds them); any other certificate error is refused.</source>
        <translation>Huellas de los certificados autofirmados o privados en los que confiaste para el servidor de este proveedor (las añade el aviso de certificado); cualquier otro error de certificado se rechaza.</translation>
    </message>
    <message>
        <source>Spell-check languages</source>
        <translation>Idiomas del corrector ortográfico</translation>
    </message>
    <message>
        <source>e.g. en-US, it-IT; empty: the General setting ([settings] spellcheck); [] in the file: off</source>
        <translation>p. ej. en-US, it-IT; vacío: el ajuste General ([settings] spellcheck); [] en el archivo: desactivado</translation>
    </message>
    <message>
        <source>Download folder</source>
        <translation>Carpeta de descargas</translation>
    </message>
    <message>
        <source>where this provider's downloads go (default: your Downloads folder); ~ is your home</source>
        <translation>dónde se guardan las descargas de este proveedor (por defecto: tu carpeta Descargas); ~ es tu carpeta personal</translation>
    </message>
    <message>
        <source>Remember the sign-in across restarts (kept on disk)</source>
        <translation>Recordar el inicio de sesión entre reinicios (se guarda en disco)</translation>
    </message>
    <message>
        <source>Keep the browser profile (cookies, storage, cache) on disk; only for kinds Portico does not sign in from the keyring.</source>
        <translation>Guarda el perfil del navegador (cookies, almacenamiento, caché) en disco; solo para los tipos en los que Portico no inicia sesión desde el llavero.</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Servidor</translation>
    </message>
    <message>
        <source>https://chat.example.com</source>
        <translation>https://chat.example.com</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Canal</translation>
    </message>
    <message>
        <source>optional: the whole workspace without it</source>
        <translation>opcional: sin él, todo el espacio de trabajo</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>Nombre de usuario</translation>
    </message>
    <message>
        <source>the account's username or e-mail</source>
        <translation>el nombre de usuario o el correo electrónico de la cuenta</translation>
    </message>
    <message>
        <source>User id</source>
        <translation>Id de usuario</translation>
    </message>
    <message>
        <source>for a personal access token</source>
        <translation>para un token de acceso personal</translation>
    </message>
    <message>
        <source>SSO sign-in</source>
        <translation>Inicio de sesión SSO</translation>
    </message>
    <message>
        <source>oauth:&lt;service&gt; to sign in through the server's OAuth service, iframe for its own iframe sign-in page (no password either way)</source>
        <translation>oauth:&lt;service&gt; para iniciar sesión con el servicio OAuth del servidor, iframe para su propia página de inicio de sesión en iframe (sin contraseña en ambos casos)</translation>
    </message>
    <message>
        <source>Integration</source>
        <translation>Integración</translation>
    </message>
    <message>
        <source>auto: the server's Iframe Integration where it is on, else desktop mode (the web client on its own, as Rocket.Chat Desktop shows it); iframe or desktop forces one</source>
        <translation>auto: la Iframe Integration del servidor si está activada; si no, el modo escritorio (el cliente web por sí solo, como lo muestra Rocket.Chat Desktop); iframe o desktop fuerzan uno de los dos</translation>
    </message>
    <message>
        <source>Hidden actions</source>
        <translation>Acciones ocultas</translation>
    </message>
    <message>
        <source>action ids the web client hides (overrideUi, Rocket.Chat 6.6 and later)</source>
        <translation>ids de las acciones que oculta el cliente web (overrideUi, Rocket.Chat 6.6 y posteriores)</translation>
    </message>
    <message>
        <source>Room actions</source>
        <translation>Acciones de sala</translation>
    </message>
    <message>
        <source>ids of the room toolbox's actions, e.g. ["start-call"]</source>
        <translation>ids de las acciones de la barra de herramientas de la sala, p. ej. ["start-call"]</translation>
    </message>
    <message>
        <source>Message actions</source>
        <translation>Acciones de mensaje</translation>
    </message>
    <message>
        <source>ids of the message toolbox's actions, e.g. ["reply-in-thread"]</source>
        <translation>ids de las acciones de la barra de herramientas del mensaje, p. ej. ["reply-in-thread"]</translation>
    </message>
    <message>
        <source>Composer actions</source>
        <translation>Acciones del editor</translation>
    </message>
    <message>
        <source>ids of the composer toolbox's actions, e.g. ["video-message"]</source>
        <translation>ids de las acciones de la barra de herramientas del editor, p. ej. ["video-message"]</translation>
    </message>
    <message>
        <source>User actions</source>
        <translation>Acciones de usuario</translation>
    </message>
    <message>
        <source>ids of the user toolbox's actions, e.g. ["logout"]</source>
        <translation>ids de las acciones de la barra de herramientas del usuario, p. ej. ["logout"]</translation>
    </message>
    <message>
        <source>Service user e-mail</source>
        <translation>Correo del usuario de servicio</translation>
    </message>
    <message>
        <source>the Spoki service user</source>
        <translation>el usuario de servicio de Spoki</translation>
    </message>
    <message>
        <source>Page</source>
        <translation>Página</translation>
    </message>
    <message>
        <source>chats, templates or chats/&lt;uuid&gt;</source>
        <translation>chats, templates o chats/&lt;uuid&gt;</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Idioma</translation>
    </message>
    <message>
        <source>the embedded app's language (window: the language Portico's window speaks)</source>
        <translation>el idioma de la app integrada (window: el idioma de la ventana de Portico)</translation>
    </message>
    <message>
        <source>Can view the chat list</source>
        <translation>Puede ver la lista de chats</translation>
    </message>
    <message>
        <source>show the list of chats</source>
        <translation>mostrar la lista de chats</translation>
    </message>
    <message>
        <source>Can reply in chats</source>
        <translation>Puede responder en los chats</translation>
    </message>
    <message>
        <source>allow replies</source>
        <translation>permitir respuestas</translation>
    </message>
    <message>
        <source>Can send PayPal links</source>
        <translation>Puede enviar enlaces de PayPal</translation>
    </message>
    <message>
        <source>allow PayPal links</source>
        <translation>permitir enlaces de PayPal</translation>
    </message>
    <message>
        <source>API base</source>
        <translation>Base de la API</translation>
    </message>
    <message>
        <source>https://app.spoki.it</source>
        <translation>https://app.spoki.it</translation>
    </message>
    <message>
        <source>App base</source>
        <translation>Base de la app</translation>
    </message>
    <message>
        <source>https://spoki.app</source>
        <translation>https://spoki.app</translation>
    </message>
    <message>
        <source>Site URL</source>
        <translation>URL del sitio</translation>
    </message>
    <message>
        <source>https://board.example.com/</source>
        <translation>https://board.example.com/</translation>
    </message>
    <message>
        <source>Space id</source>
        <translation>Id del espacio</translation>
    </message>
    <message>
        <source>answered to get_space_ids</source>
        <translation>respondido a get_space_ids</translation>
    </message>
    <message>
        <source>Room id</source>
        <translation>Id de la sala</translation>
    </message>
    <message>
        <source>Space slug</source>
        <translation>Slug del espacio</translation>
    </message>
    <message>
        <source>Space URL</source>
        <translation>URL del espacio</translation>
    </message>
    <message>
        <source>optional: https://app.spatial.chat/s/&lt;id&gt;, for room links</source>
        <translation>opcional: https://app.spatial.chat/s/&lt;id&gt;, para los enlaces de sala</translation>
    </message>
    <message>
        <source>Your details</source>
        <translation>Tus datos</translation>
    </message>
    <message>
        <source>What sites in this room see about you:</source>
        <translation>Lo que ven de ti los sitios de esta sala:</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>Id</translation>
    </message>
    <message>
        <source>answered to the page's get_user_info</source>
        <translation>respondido al get_user_info de la página</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>About</source>
        <translation>Acerca de ti</translation>
    </message>
    <message>
        <source>Pronoun</source>
        <translation>Pronombre</translation>
    </message>
    <message>
        <source>Avatar URL</source>
        <translation>URL del avatar</translation>
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
        <translation>Clave del nombre</translation>
    </message>
    <message>
        <source>the path of a message's name, e.g. type or event</source>
        <translation>la ruta del nombre de un mensaje, p. ej. type o event</translation>
    </message>
    <message>
        <source>Unread messages</source>
        <translation>Mensajes no leídos</translation>
    </message>
    <message>
        <source>names of the messages that carry the unread count</source>
        <translation>nombres de los mensajes que llevan el recuento de no leídos</translation>
    </message>
    <message>
        <source>Unread count path</source>
        <translation>Ruta del recuento de no leídos</translation>
    </message>
    <message>
        <source>where the count is in them, e.g. data.count</source>
        <translation>dónde está el recuento en ellos, p. ej. data.count</translation>
    </message>
    <message>
        <source>Notifying messages</source>
        <translation>Mensajes que notifican</translation>
    </message>
    <message>
        <source>names of the messages that raise a notification</source>
        <translation>nombres de los mensajes que generan una notificación</translation>
    </message>
    <message>
        <source>Notification title path</source>
        <translation>Ruta del título de la notificación</translation>
    </message>
    <message>
        <source>e.g. data.from (default: the title)</source>
        <translation>p. ej. data.from (por defecto: el título)</translation>
    </message>
    <message>
        <source>Notification text path</source>
        <translation>Ruta del texto de la notificación</translation>
    </message>
    <message>
        <source>e.g. data.text</source>
        <translation>p. ej. data.text</translation>
    </message>
    <message>
        <source>Other messages</source>
        <translation>Otros mensajes</translation>
    </message>
    <message>
        <source>names of further messages to accept (for plugins and the event log); any other message is dropped</source>
        <translation>nombres de otros mensajes que aceptar (para plugins y el registro de eventos); cualquier otro mensaje se descarta</translation>
    </message>
    <message>
        <source>Commands</source>
        <translation>Comandos</translation>
    </message>
    <message>
        <source>names of the messages `portico send` and plugins may post to the page</source>
        <translation>nombres de los mensajes que `portico send` y los plugins pueden enviar a la página</translation>
    </message>
    <message>
        <source>Command data key</source>
        <translation>Clave de datos del comando</translation>
    </message>
    <message>
        <source>where a command's argument goes in the message posted</source>
        <translation>dónde va el argumento de un comando en el mensaje enviado</translation>
    </message>
</context>
</TS>