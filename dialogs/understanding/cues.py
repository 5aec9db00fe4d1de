"""Helpdesk "why" questions and the mode (guide or act) of a request."""

from __future__ import annotations

from typing import Literal

from dialogs.understanding import lexicon as lx
from dialogs.understanding.concepts import Tagged
from dialogs.understanding.normalise import wordlist

Mode = Literal["guide", "act"]
# The procedure each question leads to. A site missing from the list of « Personnaliser vos
# licences » is to be created first (the fiche sends to « Ajouter un site »; independent writers
# label it so, 12 to 3): the site to add, then the move (dialogs.portal_questions offers both).
QUESTION_PROCEDURE = {
    "why_cannot_cancel": "cancel_licences",
    "why_site_missing": "add_site",
    "reseller_vs_operator": "cancel_starter_pack",
}
_CANCELLING = frozenset((lx.CANCEL, lx.REMOVE))
_ORDER_STATE = frozenset(
    wordlist("signee signe signed validee valide validated passee cmd ma mon my status statut ou")
)
_VERBS = frozenset((lx.CANCEL, lx.REMOVE, lx.MOVE, lx.DISSOCIATE, lx.ADD, "associate"))
_WHO = frozenset(wordlist("qui who whom"))
_DROPDOWN = frozenset(wordlist("liste list dropdown deroulant deroulante menu"))
_FIRST = frozenset(wordlist("abord first prealable prealablement beforehand"))
# Verbs that create (not « nouveau », "new": a new site may be missing from a list)
_CREATING = frozenset(
    wordlist("""
    ajouter ajoute ajoutez ajout rajouter rajoute creer cree creez creation add adding create
    declarer declare enregistrer register ouvrir ouvre setup set
    """)
)
# French imperatives ("résilie", "passez"): the user tells the bot what to do.
_IMPERATIVES = frozenset(
    wordlist("""
    resilie resiliez supprime supprimez retire retirez enleve enlevez vire virez annule annulez
    termine terminez arrete arretez passe passez mets mettez deplace deplacez change changez
    modifie modifiez transfere transferez rattache rattachez affecte affectez bouge bougez
    bascule basculez dissocie dissociez desassocie desassociez detache detachez delie deliez
    libere liberez ajoute ajoutez rajoute rajoutez cree creez reduis reduisez associe associez
    attribue attribuez
    """)
)
# English sentences that open on one of our verbs are imperatives ("cancel 2 full licences").
SUBJECTS = frozenset(wordlist("on je j il elle tu nous vous ils elles qu"))
_OPENERS = frozenset(wordlist("please ok okay now then so kindly just"))
_BASE_FORMS = frozenset(
    wordlist("""
    cancel cancle cancell remove delete terminate drop get reduce move switch put set transfer
    assign reassign relocate change update modify customise customize dissociate disassociate
    unlink detach unassign unbind free add create
    """)
)


def detect_question(tagged: Tagged, site_named: bool) -> str | None:
    """The helpdesk question the fiches answer, if the utterance asks one."""
    c = tagged.concepts
    roles = {lx.RESELLER, lx.OPERATOR, lx.DIFFERENCE, lx.NOTIFY}
    asking_who = lx.GUIDE in c or bool(_WHO.intersection(tagged.words))
    if lx.ORDER in c and not c & roles and not asking_who:
        return None  # « la commande CMD-… est signée ? »: following an order, not the question
    if lx.ORDER in c and _ORDER_STATE.intersection(tagged.words) and not c & roles:
        return None
    validation = lx.VALIDATION in c or lx.NOTIFY in c
    role = lx.RESELLER in c or lx.OPERATOR in c
    # « revendeur ou opérateur ? », « Notifier le client pour validation »: the last step of an
    # order; a signature awaited alone (« des commandes en attente de signature ? ») is no such
    # question, nor are notifications alone (« l'adresse qui reçoit les notifications »)
    if (lx.RESELLER in c and lx.OPERATOR in c) or (role and (validation or lx.DIFFERENCE in c)):
        return "reseller_vs_operator"
    if lx.NOTIFY in c and (lx.VALIDATION in c or lx.DIFFERENCE in c or role):
        return "reseller_vs_operator"
    creating = any(w in _CREATING for p, w in enumerate(tagged.words) if (p, lx.ADD) in tagged.hits)
    creating = creating or (lx.ADD in c and lx.GUIDE in c)  # « il manque le site, crée-le »
    # the site missing from the list where a licence is put (« Personnaliser vos licences »); a
    # branch missing from the client's sites, no licence said, is a site to add
    words = set(tagged.words)
    listed = bool(_DROPDOWN & words) and "sites" not in words  # the list, not « ses sites »
    placing = bool(c & {lx.LICENCE, "licence_id", "licence_type", lx.MOVE, lx.WHY}) or listed
    listed_site = lx.SITE in c or site_named or lx.LIST in c
    if lx.MISSING in c and listed_site and placing and not creating:
        return "why_site_missing"
    cancelling = bool(c & _CANCELLING)
    blocked = lx.GREY in c or lx.CANNOT in c
    if lx.STARTER in c or lx.OFFER in c:
        return None
    first = bool(_FIRST.intersection(tagged.words))  # « …grisée, il faut d'abord retirer la SDA »
    if lx.TRASH in c and (blocked or lx.WHY in c) and not (first and lx.NUMBER in c):
        return "why_cannot_cancel"
    freeing = lx.NUMBER in c and (lx.CANCEL in c or bool(tagged.negated) or first) and any(
        concept in (lx.REMOVE, lx.DISSOCIATE) and (tagged.words[p] in _IMPERATIVES or first)
        for p, concept in tagged.hits
    )  # « je peux pas la résilier : enlève d'abord le numéro »
    if (lx.NUMBER in c and c & {lx.REMOVE, lx.DISSOCIATE}) or lx.VALIDATION in c:
        return None  # « tant qu'il y a une SDA dessus, comment je la décroche ? »: a dissociation
    if cancelling and (blocked or lx.WHY in c) and not c & {lx.MOVE, lx.DISSOCIATE, lx.ADD}:
        return None if freeing and lx.WHY not in c else "why_cannot_cancel"
    return None


def detect_mode(tagged: Tagged, *, concrete: bool, question: str | None) -> Mode | None:
    """``guide`` for "how do I…", ``act`` for "do it…", None when the message does not say."""
    c = tagged.concepts
    if lx.GUIDE in c:
        return "guide"
    if question:
        return None
    if lx.WANT in c or _imperative(tagged):
        return "act"
    return "act" if concrete else None


def _imperative(tagged: Tagged) -> bool:
    verbs = [(p, concept) for p, concept in tagged.hits if concept in _VERBS]
    if not verbs:
        return False
    if any(
        tagged.words[p] in _IMPERATIVES and (p == 0 or tagged.words[p - 1] not in SUBJECTS)
        for p, _ in verbs
    ):
        return True
    first = next((i for i, w in enumerate(tagged.words) if w not in _OPENERS), -1)
    return verbs[0][0] == first and tagged.words[first] in _BASE_FORMS
