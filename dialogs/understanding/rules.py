"""Explicit evidence for each procedure: which verb acts on which object, and the near misses.

Each procedure gets a rule score in 0..1: 1 when its verb governs its object ("résilier" →
"licence"), a partial score when only part of it is there, 0 when a negative concept vetoes it
("adresse de facturation", "mot de passe", "ligne mobile").
"""

from __future__ import annotations

from collections.abc import Collection
from itertools import pairwise

from dialogs.understanding import lexicon as lx
from dialogs.understanding.concepts import Tagged
from dialogs.understanding.cues import QUESTION_PROCEDURE
from dialogs.understanding.normalise import wordlist

# The procedures these rules know the verbs and objects of. Not the list of procedures (that is
# dialogs.procedures): the learned model knows every labelled intent, and a procedure without
# rules (order_followup) is recognised by the model and the cues alone.
SERVICE = "service_ref"  # « SRV-1001 »: a service is the client's Starter Pack
RULED = (
    "cancel_licences",
    "cancel_starter_pack",
    "change_licence_site",
    "dissociate_number",
    "add_site",
)
VERBS = frozenset((lx.CANCEL, lx.REMOVE, lx.MOVE, lx.DISSOCIATE, lx.ADD, "associate"))
LICENCE_LIKE = frozenset((lx.LICENCE, "licence_type", "licence_id"))
SITE_LIKE = frozenset((lx.SITE, "site_name", "address"))
NUMBER_LIKE = frozenset((lx.NUMBER, "phone"))
OBJECTS = (
    LICENCE_LIKE | SITE_LIKE | NUMBER_LIKE | {lx.STARTER, lx.OFFER, lx.USER, lx.ORDER, SERVICE}
) | {
    "password",
    "billing",
    "mobile",
    "internet",
    "account",
    "email",
    "contact",
}
_CANCELLING = frozenset((lx.CANCEL, lx.REMOVE))
_ALL = frozenset(RULED)
VETOES: dict[str, frozenset[str]] = {
    "password": _ALL,
    "price": _ALL,
    "porting": _ALL,
    "buy": _ALL,
    "upgrade": _ALL,
    "renew": _ALL,
    "billing": frozenset(("change_licence_site", "add_site")),
    "email": frozenset(("change_licence_site", "add_site")),
    "rename": frozenset(("change_licence_site", "add_site")),
    "mobile": frozenset(("cancel_licences", "cancel_starter_pack")),
    "internet": _ALL - {"dissociate_number"},
    "other_client": frozenset(("change_licence_site",)),
    "appointment": _ALL,
    "reactivate": _ALL,
    "suspend": _ALL,
    "attach_number": _ALL,
}
_FORWARD, _BACKWARD = 6, 6  # how far a verb looks for its object, after and before it
_SECONDARY = 0.6  # a second procedure fully named in the same sentence ("…avant de résilier")
_PRONOUNS = frozenset(("les", "la", "le", "l", "them", "it", "en"))
_SOURCE = frozenset(("off", "from"))
_CUSTOMER = frozenset(wordlist("client clients customer customers company societe entreprise"))
_LICENCE_WORDS = frozenset(lx.WORDS[lx.LICENCE].split())
_FIRST = frozenset(("abord", "first", "prealable", "prealablement", "beforehand"))
Relation = tuple[int, str, str | None]  # (position of the verb, verb, object or None)


def relations(tagged: Tagged) -> list[Relation]:
    """Each verb with the object it governs: the nearest object after it, else before it."""
    hits = tagged.hits
    found: list[Relation] = []
    for index, (position, concept) in enumerate(hits):
        if concept not in VERBS:
            continue
        target: str | None = None
        source = False  # "taken off a licence": what follows « off », "from" is the source
        for later_position, later in hits[index + 1 :]:
            if later in VERBS or later_position - position > _FORWARD:
                break
            if later in OBJECTS:
                target = later
                source = bool(_SOURCE.intersection(tagged.words[position + 1 : later_position]))
                break
        reach = _BACKWARD
        if _PRONOUNS.intersection(tagged.words[max(0, position - 2) : position + 2]):
            reach = position  # « …licences…, tu peux les virer ? »: the pronoun names them
        if target is None or source:
            for earlier_position, earlier in reversed(hits[:index]):
                if earlier in VERBS or position - earlier_position > reach:
                    break
                if earlier in OBJECTS:
                    target = earlier
                    break
        found.append((position, concept, target))
    return found


def rule_scores(tagged: Tagged, question: str | None) -> dict[str, float]:
    """Rule evidence for every procedure, 0..1."""
    scores = dict.fromkeys(RULED, 0.0)
    if question:
        scores[QUESTION_PROCEDURE[question]] = 1.0
        return scores
    c = tagged.concepts
    pairs = relations(tagged)
    full: dict[str, int] = {}  # procedure → position of the verb that fully names it

    def governs(verbs: set[str], objects: Collection[str | None]) -> int | None:
        return next((at for at, v, o in pairs if v in verbs and o in objects), None)

    def support(procedure: str, at: int | None, otherwise: float = 0.0) -> None:
        if at is not None:
            full[procedure] = at
        scores[procedure] = 1.0 if at is not None else otherwise

    # "je veux résilier": licences or the whole pack? Both, equally (the caller asks which).
    bare = governs({lx.CANCEL, lx.REMOVE}, {None})
    vague = 0.0 if bare is None else 0.3 if tagged.unknown else 0.75
    if vague == 0.75 and _CUSTOMER.intersection(tagged.words):
        vague = 0.5  # « supprimer le client »: maybe the client itself, never asked « lequel ? »
    support("cancel_licences", governs({lx.CANCEL, lx.REMOVE}, LICENCE_LIKE),
            0.3 if vague and lx.ALL in c else vague)  # fmt: skip
    starter = governs({lx.CANCEL, lx.REMOVE}, frozenset((lx.STARTER, lx.OFFER, SERVICE)))
    cancelling = bool(c & {lx.CANCEL, lx.REMOVE})
    removing = governs({lx.REMOVE}, NUMBER_LIKE)
    whole = c & {lx.OFFER, lx.STARTER} or (lx.NUMBER in c and removing is None)
    if starter is None and cancelling and lx.ALL in c and whole:
        starter = governs({lx.CANCEL, lx.REMOVE}, LICENCE_LIKE | {lx.ALL, None, lx.NUMBER})
        # « résilie tout : licences, numéros et offre »: the whole offer, not licences
    support("cancel_starter_pack", bare if starter is None and lx.ALL in c else starter, vague)
    if scores["cancel_starter_pack"] == 1.0 and lx.ALL in c:
        scores["cancel_licences"] = min(scores["cancel_licences"], 0.3)
    moving = governs({lx.MOVE, "associate"}, LICENCE_LIKE | SITE_LIKE | {lx.USER})
    has_licence, has_site = bool(c & (LICENCE_LIKE | {lx.USER})), bool(c & SITE_LIKE)
    partial = 0.4 if (moving is not None and has_site) or (has_licence and "site_name" in c) else 0
    partial = max(partial, 0.5 if governs({lx.MOVE}, LICENCE_LIKE) is not None else 0.0)
    emergency = "emergency" in c
    placed = has_site or bool(c & {lx.MOVE, lx.ADD})  # « déclarée sur », « rattachée à »
    complaint = ("wrong" in c or emergency) and placed and (has_licence or emergency)
    partial = max(partial, 0.75 if complaint else 0.0)  # « la licence est sur le mauvais site »
    support("change_licence_site", moving if has_licence and has_site else None, partial)
    dissociating = governs({lx.DISSOCIATE}, NUMBER_LIKE | LICENCE_LIKE | {lx.USER, None})
    licence_named = bool(c & LICENCE_LIKE) or bool(_LICENCE_WORDS.intersection(tagged.words))
    if dissociating is None and removing is not None:
        dissociating = removing if licence_named else None  # « …pas la licence, juste le numéro »
        scores["cancel_licences"] = min(scores["cancel_licences"], 0.4)
    freeing = next((at for at, v, _ in pairs if v in {lx.REMOVE, lx.DISSOCIATE}), None)
    first = bool(_FIRST.intersection(tagged.words))
    blocked = lx.CANNOT in c or first or _holds(tagged)
    if freeing is not None and lx.NUMBER in c and licence_named and blocked:
        # « la licence a un numéro, je ne peux pas la résilier : enlève-le d'abord »
        dissociating = freeing
        full.pop("cancel_licences", None)
        scores["cancel_licences"] = min(scores["cancel_licences"], 0.4)
        if bare is not None:  # the cancellation named is the one blocked, not a request
            scores["cancel_licences"] = scores["cancel_starter_pack"] = 0.0
    support("dissociate_number", dissociating, 0.4 if removing is not None else 0.0)
    adding_alone = governs({lx.ADD}, {None}) is not None and lx.SITE in c
    support("add_site", governs({lx.ADD}, SITE_LIKE), 0.4 if adding_alone else 0.0)
    if complaint and "wrong" in c and has_licence:  # « déclarée sur le mauvais site »: a move
        full.pop("add_site", None)
        scores["add_site"] = min(scores["add_site"], 0.4)
    for procedure, at in full.items():  # several procedures named: the first verb leads
        if at > min(full.values()) and scores[procedure] == 1.0:
            scores[procedure] = _SECONDARY
    for procedure in vetoes(c):
        scores[procedure] = 0.0
    return scores


_ON = frozenset(
    wordlist("""
    sur on lie liee attache attachee associe associee rattache rattachee affecte affectee linked
    attached assigned tied
    """)
)


def _holds(tagged: Tagged) -> bool:
    """« un numéro sur la licence », "the number is still attached to the seat": a number
    held by a licence (what is then removed is the number)."""
    hits, words = tagged.hits, tagged.words
    return any(
        concept in NUMBER_LIKE
        and other in LICENCE_LIKE
        and later - at <= 5
        and _ON.intersection(words[at + 1 : later])
        for (at, concept), (later, other) in pairwise(hits)
    )


def vetoes(concepts: Collection[str]) -> frozenset[str]:
    """The procedures the near misses of an utterance rule out (« mot de passe »: all); the
    licence's « adresse postale » for the emergency services is no billing address."""
    emergency = "emergency" in concepts
    return frozenset(
        procedure
        for concept, vetoed in VETOES.items()
        if concept in concepts and not (concept == "billing" and emergency)
        for procedure in vetoed
    )
