"""The few texts that only the Telegram edge says (account linking, commands, failures)."""

from __future__ import annotations

from dialogs.texts import Lang

_TEXTS: dict[str, dict[Lang, str]] = {
    "linked": {
        "fr": "✅ Votre compte Telegram est lié à l'utilisateur « {handle} ».",
        "en": "✅ Your Telegram account is now linked to the user “{handle}”.",
    },
    "link_refused": {
        "fr": "Ce lien d'invitation n'est pas valable (déjà utilisé, expiré ou inconnu). "
        "Demandez-en un nouveau à votre opérateur.",
        "en": "This invitation link is not valid (already used, expired or unknown). "
        "Ask your operator for a new one.",
    },
    "account_taken": {
        "fr": "Ce compte Telegram est déjà lié à un autre utilisateur : rien n'a été modifié.",
        "en": "This Telegram account is already linked to another user: nothing was changed.",
    },
    "failure": {
        "fr": "Une erreur inattendue est survenue. Réessayez, ou tapez /menu.",
        "en": "Something unexpected went wrong. Please try again, or type /menu.",
    },
}

COMMANDS: dict[Lang, list[tuple[str, str]]] = {
    "fr": [
        ("start", "Démarrer l'assistant"),
        ("menu", "Les procédures MyOpenIP"),
        ("aide", "Ce que l'assistant sait faire"),
        ("annuler", "Arrêter la procédure en cours"),
    ],
    "en": [
        ("start", "Start the assistant"),
        ("menu", "The MyOpenIP procedures"),
        ("aide", "What the assistant can do"),
        ("annuler", "Stop the current procedure"),
    ],
}


def text(lang: Lang | None, key: str, **params: object) -> str:
    template = _TEXTS[key][lang or "fr"]
    return template.format(**params) if params else template
