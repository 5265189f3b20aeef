# O que um membro lê: respostas (só ele vê), a DM de login, os formulários.
# Idioma: o do Discord do membro.
# Mantenha o markdown do Discord (**negrito**, `código`) e os nomes dos comandos (/link).
# $retry é um carimbo de tempo do Discord (<t:…:R>): o Discord o mostra como
# "em 5 minutos" no idioma de quem lê.

## /login

login-dm-title = Seu link de login no portal de membros
login-button = Abrir o portal de membros
login-dm-body =
    Toque no botão para entrar e abrir **{ $page }**.
    O link funciona **uma única vez** e expira logo. Não compartilhe: qualquer pessoa com ele consegue abrir sua conta.
login-check-dms = Confira suas mensagens diretas: seu link de login está lá. 📬
login-dms-closed =
    Não consegui enviar uma mensagem direta para você, então aqui está o seu link. Ele funciona uma única vez e expira logo; não compartilhe.
    Dica: para receber os links por DM da próxima vez, permita mensagens diretas de membros do servidor (nome do servidor ▸ Configurações de privacidade ▸ Mensagens diretas).
login-dm-failed = Não consegui entregar seu link de login agora. Tente de novo em um minuto.
not-linked =
    Sua conta do Discord ainda não está vinculada a uma conta do portal de membros.
    Use `/link` uma vez com o e-mail e a senha do portal; depois disso, o `/login` funciona com um toque.
link-gone = A conta do portal de membros vinculada não existe mais. Use `/link` de novo com seu e-mail e sua senha atuais do portal.
unknown-page = Essa página não está entre as opções. Escolha uma página da lista ou deixe em branco.

## /reset-password

reset-sent = Se **{ $email }** pertencer a uma conta do portal de membros, um e-mail para redefinir a senha está a caminho. Confira sua caixa de entrada (e o spam) em alguns minutos.
reset-needs-email =
    Me diga para qual e-mail enviar o link: use `/reset-password email:voce@example.com`.
    Dica: depois do `/link`, o `/reset-password` não precisa de e-mail.
invalid-email = Isso não parece um endereço de e-mail ({ $reason }). Confira e tente de novo.
email-problem-empty = está vazio
email-problem-too-long = tem mais de 254 caracteres
email-problem-at = precisa de exatamente um @
email-problem-local = a parte antes do @ está faltando ou é longa demais
email-problem-domain = a parte depois do @ precisa de um ponto, como example.com
email-problem-whitespace = contém espaços ou caracteres invisíveis

## Formulários (títulos e rótulos: no máximo 45 caracteres; exemplos: 100)

email-placeholder = voce@example.com
link-modal-title = Vincule sua conta do portal de membros
link-modal-email = E-mail do portal de membros
link-modal-password = Senha do portal de membros
link-modal-password-hint = Enviada só ao Nexudus para conferir; nunca é guardada
link-modal-two-factor = Código de verificação (se sua conta usar)
link-modal-two-factor-hint = O código de 6 dígitos do seu app autenticador
reset-modal-title = Redefina a senha do portal
reset-modal-email = E-mail do portal de membros

## /link

linked = Pronto: sua conta do Discord agora está vinculada a **{ $email }**. O `/login` agora envia um link de login para você com um toque.
link-invalid-credentials = O e-mail ou a senha não são válidos. Confira os dois e tente o `/link` de novo. Esqueceu a senha? Use `/reset-password`.
link-two-factor-required = Sua conta usa verificação em duas etapas: abra o `/link` de novo e digite o código de 6 dígitos do seu app autenticador.
link-must-reset-password = O Nexudus pede que você escolha uma senha nova primeiro: use `/reset-password` e depois o `/link` de novo.
link-account-not-found = O Nexudus aceitou seu login, mas não encontrei seu cadastro de membro. Peça a um community manager para vincular sua conta.

## /unlink e /account

unlinked = Sua conta do Discord não está mais vinculada a **{ $email }**.
nothing-to-unlink = Sua conta do Discord não está vinculada a nenhuma conta do portal de membros, então não há nada para desvincular.
account =
    Sua conta do Discord está vinculada a **{ $email }** (desde { $since }).
    Use `/unlink` para desvincular.

## Recusas e falhas comuns a todos os comandos

rate-limited = Você pediu isso várias vezes em pouco tempo. Você pode tentar de novo { $retry }.
already-running = Seu pedido anterior já está a caminho. Aguarde um instante.
nexudus-unavailable = Não consegui falar com o portal de membros agora. Tente de novo em alguns minutos.
misconfigured = O bot não consegue falar com o portal de membros por um problema de configuração. Os community managers já foram avisados; tente mais tarde.
wrong-guild = Este bot só funciona no servidor da sua comunidade de coworking.
not-in-guild = Use este comando no servidor da comunidade, não numa mensagem direta.
shutting-down = O bot está reiniciando. Tente de novo em um minuto.
internal-error = Algo deu errado do meu lado. Tente de novo em um minuto.

## Na fila do portal de membros

queue-place =
    { $place ->
        [1] Você está em primeiro lugar na fila, cerca de { $seconds ->
            [one] { $seconds } segundo.
           *[other] { $seconds } segundos.
        }
       *[other] Você está na posição { $place } da fila, cerca de { $seconds ->
            [one] { $seconds } segundo.
           *[other] { $seconds } segundos.
        }
    }
queue-full = Muitos membros estão pedindo ao mesmo tempo agora, então não consigo aceitar seu pedido. Tente de novo { $retry }.
hourly-budget-spent = O portal de membros está muito ocupado; tente de novo { $retry }.
queue-restarting = O bot está reiniciando, então seu pedido não foi enviado. Tente de novo em um minuto.

## O painel para membros (publicado por um manager; no idioma do servidor)

panel-title = Portal de membros
panel-body = Entre no portal de membros sem digitar senha, receba um e-mail para redefinir a senha ou vincule sua conta do Discord uma vez para que o resto seja um toque. Tudo o que eu envio só você vê.
panel-login = Entrar no portal
panel-reset = Redefinir senha
panel-link = Vincular conta

## Cargos de membro, depois do /link e no /account
# $roles: menções de cargos, separadas por vírgulas.
linked-roles = Seus cargos de membro: { $roles }
linked-no-plan = Você ainda não tem nenhum plano ativo no Nexudus, então por enquanto não tem cargo de membro.
linked-roles-later = Seus cargos de membro chegam em alguns minutos.
# $plans: nomes de planos, separados por vírgulas.
account-plans = Seus planos: { $plans }
account-no-plans = Você não tem nenhum plano ativo.
# $plan: o nome de um plano.
plan-paused = { $plan } (pausado)
