# Lo que lee un miembro: respuestas (solo las ve él), el MD de acceso, los formularios.
# Idioma: el de Discord del miembro.
# Conserva el markdown de Discord (**negrita**, `código`) y los nombres de comandos (/link).
# $retry es una marca de tiempo de Discord (<t:…:R>): Discord la muestra como
# «dentro de 5 minutos» en el idioma de quien lee.

## /login

login-dm-title = Tu enlace de acceso al portal de miembros
login-button = Abrir el portal de miembros
login-dm-body =
    Toca el botón para entrar y abrir **{ $page }**.
    El enlace funciona **una sola vez** y caduca pronto. No lo compartas: cualquiera que lo tenga puede entrar en tu cuenta.
login-check-dms = Mira tus mensajes directos: ahí tienes tu enlace de acceso. 📬
login-dms-closed =
    No he podido enviarte un mensaje directo, así que aquí tienes tu enlace. Funciona una sola vez y caduca pronto; no lo compartas.
    Consejo: para recibir los enlaces por MD la próxima vez, permite los mensajes directos de miembros del servidor (nombre del servidor ▸ Ajustes de privacidad ▸ Mensajes directos).
login-dm-failed = Ahora mismo no he podido entregarte el enlace de acceso. Vuelve a intentarlo en un minuto.
not-linked =
    Tu cuenta de Discord aún no está vinculada a una cuenta del portal de miembros.
    Usa `/link` una vez con el correo y la contraseña del portal; después, `/login` funciona con un toque.
link-gone = La cuenta del portal de miembros que tenías vinculada ya no existe. Vuelve a usar `/link` con tu correo y contraseña actuales del portal.
unknown-page = Esa página no está entre las opciones. Elige una de la lista o déjalo vacío.

## /reset-password

reset-sent = Si **{ $email }** corresponde a una cuenta del portal de miembros, te llegará un correo para restablecer la contraseña. Revisa tu bandeja de entrada (y la carpeta de spam) dentro de unos minutos.
reset-needs-email =
    Dime a qué correo envío el enlace: usa `/reset-password email:tu@example.com`.
    Consejo: después de `/link`, `/reset-password` no necesita correo.
invalid-email = Eso no parece una dirección de correo ({ $reason }). Revísala y vuelve a intentarlo.
email-problem-empty = está vacía
email-problem-too-long = tiene más de 254 caracteres
email-problem-at = necesita exactamente una @
email-problem-local = falta la parte antes de la @ o es demasiado larga
email-problem-domain = la parte después de la @ necesita un punto, como example.com
email-problem-whitespace = contiene espacios o caracteres invisibles

## Formularios (títulos y etiquetas: 45 caracteres como máximo; textos de ejemplo: 100)

email-placeholder = tu@example.com
link-modal-title = Vincula tu cuenta del portal de miembros
link-modal-email = Correo del portal de miembros
link-modal-password = Contraseña del portal de miembros
link-modal-password-hint = Solo se envía a Nexudus para comprobarla; nunca se guarda
link-modal-two-factor = Código de verificación (si tu cuenta lo usa)
link-modal-two-factor-hint = El código de 6 dígitos de tu app de autenticación
reset-modal-title = Restablece la contraseña del portal
reset-modal-email = Correo del portal de miembros

## /link

linked = ¡Listo! Tu cuenta de Discord ya está vinculada a **{ $email }**. Ahora `/login` te envía un enlace de acceso con un toque.
link-invalid-credentials = El correo o la contraseña no son válidos. Revisa ambos y vuelve a probar `/link`. ¿Olvidaste la contraseña? Usa `/reset-password`.
link-two-factor-required = Tu cuenta usa verificación en dos pasos: abre `/link` de nuevo e introduce el código de 6 dígitos de tu app de autenticación.
link-must-reset-password = Nexudus te pide que primero elijas una contraseña nueva: usa `/reset-password` y luego `/link` otra vez.
link-account-not-found = Nexudus aceptó tus datos, pero no encuentro tu ficha de miembro. Pide a un community manager que vincule tu cuenta.

## /unlink y /account

unlinked = Tu cuenta de Discord ya no está vinculada a **{ $email }**.
nothing-to-unlink = Tu cuenta de Discord no está vinculada a ninguna cuenta del portal de miembros, así que no hay nada que desvincular.
account =
    Tu cuenta de Discord está vinculada a **{ $email }** (desde { $since }).
    Usa `/unlink` para desvincularla.

## Rechazos y fallos comunes a todos los comandos

rate-limited = Lo has pedido varias veces en poco tiempo. Podrás volver a intentarlo { $retry }.
already-running = Tu solicitud anterior ya está en camino. Dale un momento.
nexudus-unavailable = Ahora mismo no he podido conectar con el portal de miembros. Vuelve a intentarlo en unos minutos.
misconfigured = El bot no puede hablar con el portal de miembros por un problema de configuración. Ya se ha avisado a los community managers; inténtalo más tarde.
wrong-guild = Este bot solo funciona en el servidor de su comunidad de coworking.
not-in-guild = Usa este comando en el servidor de la comunidad, no en un mensaje directo.
shutting-down = El bot se está reiniciando. Vuelve a intentarlo en un minuto.
internal-error = Algo ha fallado por mi parte. Vuelve a intentarlo en un minuto.

## En la cola del portal de miembros

queue-place =
    { $place ->
        [1] Vas primero en la cola: { $seconds ->
            [one] { $seconds } segundo
           *[other] unos { $seconds } segundos
        } de espera.
       *[other] Eres el número { $place } en la cola: { $seconds ->
            [one] { $seconds } segundo
           *[other] unos { $seconds } segundos
        } de espera.
    }
queue-full = Ahora mismo hay muchos miembros pidiendo a la vez y no puedo atender tu solicitud. Vuelve a intentarlo { $retry }.
hourly-budget-spent = El portal de miembros está muy ocupado; vuelve a intentarlo { $retry }.
queue-restarting = El bot se está reiniciando y tu solicitud no se ha enviado. Vuelve a intentarlo en un minuto.

## El panel para miembros (lo publica un manager; en el idioma del servidor)

panel-title = Portal de miembros
panel-body = Entra en el portal de miembros sin escribir la contraseña, recibe un correo para restablecerla o vincula tu cuenta de Discord una vez y todo lo demás será un toque. Todo lo que envío solo lo ves tú.
panel-login = Entrar en el portal
panel-reset = Restablecer contraseña
panel-link = Vincular cuenta

## Roles de miembro, después de /link y en /account
# $roles: menciones de roles, separadas por comas.
linked-roles = Tus roles de miembro: { $roles }
linked-no-plan = Todavía no tienes ningún plan activo en Nexudus, así que por ahora no tienes rol de miembro.
linked-roles-later = Tus roles de miembro llegarán en unos minutos.
# $plans: nombres de planes, separados por comas.
account-plans = Tus planes: { $plans }
account-no-plans = No tienes ningún plan activo.
# $plan: el nombre de un plan.
plan-paused = { $plan } (en pausa)
