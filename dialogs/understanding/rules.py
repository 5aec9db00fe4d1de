"""Explicit evidence for each procedure: which verb acts on which object, and the near misses.

Each procedure gets a rule score in 0..1: 1 when its verb governs its object ("résilier" →
"licence"), a partial score when only part of it is there, 0 when a negative concept vetoes it
("adresse de facturation", "mot de passe", "ligne mobile").
"""

from __future__ import annotations

from collections.abc import Collection

from dialogs.understanding import lexicon as lx
from dialogs.understanding.concepts import Tagged
from dialogs.understanding.cues import QUESTION_PROCEDURE

PROCEDURES = (
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
OBJECTS = (LICENCE_LIKE | SITE_LIKE | NUMBER_LIKE | {lx.STARTER, lx.OFFER, lx.USER, lx.ORDER}) | {
    "password",
    "billing",
    "mobile",
    "internet",
    "account",
    "email",
    "contact",
}
_CANCELLING = frozenset((lx.CANCEL, lx.REMOVE))
_ALL = frozenset(PROCEDURES)
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
}
_FORWARD, _BACKWARD = 6, 6  # how far a verb looks for its object, after and before it
_SECONDARY = 0.6  # a second procedure fully named in the same sentence ("…avant de résilier")
_PRONOUNS = frozenset(("les", "la", "le", "l", "them", "it", "en"))
Relation = tuple[int, str, str | None]  # (position of the verb, verb, object or None)


def relations(tagged: Tagged) -> list[Relation]:
    """Each verb with the object it governs: the nearest object after it, else before it."""
    hits = tagged.hits
    found: list[Relation] = []
    for index, (position, concept) in enumerate(hits):
        if concept not in VERBS:
            continue
        target: str | None = None
        for later_position, later in hits[index + 1 :]:
            if later in VERBS or later_position - position > _FORWARD:
                break
            if later in OBJECTS:
                target = later
                break
        reach = _BACKWARD
        if _PRONOUNS.intersection(tagged.words[max(0, position - 2) : position + 2]):
            reach = position  # « …licences…, tu peux les virer ? »: the pronoun names them
        if target is None:
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
    scores = dict.fromkeys(PROCEDURES, 0.0)
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
    support("cancel_licences", governs({lx.CANCEL, lx.REMOVE}, LICENCE_LIKE),
            0.3 if vague and lx.ALL in c else vague)  # fmt: skip
    starter = governs({lx.CANCEL, lx.REMOVE}, frozenset((lx.STARTER, lx.OFFER)))
    cancelling = bool(c & {lx.CANCEL, lx.REMOVE})
    if starter is None and cancelling and lx.ALL in c and c & {lx.OFFER, lx.NUMBER, lx.STARTER}:
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
    complaint = ("wrong" in c or emergency) and has_site and (has_licence or emergency)
    partial = max(partial, 0.75 if complaint else 0.0)  # « la licence est sur le mauvais site »
    support("change_licence_site", moving if has_licence and has_site else None, partial)
    removing = governs({lx.REMOVE}, NUMBER_LIKE)
    dissociating = governs({lx.DISSOCIATE}, NUMBER_LIKE | LICENCE_LIKE | {None})
    if dissociating is None and removing is not None:
        dissociating = removing if c & LICENCE_LIKE else None
        scores["cancel_licences"] = min(scores["cancel_licences"], 0.4)
    support("dissociate_number", dissociating, 0.4 if removing is not None else 0.0)
    adding_alone = governs({lx.ADD}, {None}) is not None and lx.SITE in c
    support("add_site", governs({lx.ADD}, SITE_LIKE), 0.4 if adding_alone else 0.0)
    for procedure, at in full.items():  # several procedures named: the first verb leads
        if at > min(full.values()) and scores[procedure] == 1.0:
            scores[procedure] = _SECONDARY
    for concept, vetoed in VETOES.items():
        if concept in c:
            for procedure in vetoed:
                scores[procedure] = 0.0
    return scores
