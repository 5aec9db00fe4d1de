"""What a sentence names without asking for it: negated clauses, and states.

Negation and contrast: « ne supprime rien, déplace seulement la licence » asks to move.

A sentence is cut into clauses at punctuation and at contrast words (« juste », « seulement »,
« mais », "only", "just", "but"). When one clause is negated and another one is not, what the
negated clause names is not asked for: its verbs and objects are dropped — its verbs only when
another clause carries a verb of its own (« je ne veux pas tout résilier, juste deux licences »
keeps « résilier » and drops « tout »).

States: in a question about one's data (« quelles licences sont résiliées ? », "which numbers
are unassigned?"), a participle describes licences, it does not ask to act on them.
"""

from __future__ import annotations

from dataclasses import replace

from dialogs.understanding import lexicon as lx
from dialogs.understanding.concepts import Tagged
from dialogs.understanding.cues import SUBJECTS
from dialogs.understanding.normalise import wordlist

PUNCTUATION = "zzpunct"
_NEGATIONS = frozenset(
    wordlist("""
    ne n pas not jamais rien aucun aucune never nothing garde gardez garder keep conserve
    conserver laisse laisser leave isn aren doesn don didn
    """)
)
# What the assistant does not do, named in a negated clause, is not asked either: « pas de
# portabilité, je veux juste dissocier le numéro », "I'm not reactivating anything, just…"
_NEAR_MISSES = frozenset(
    ("porting", "reactivate", "suspend", "billing", "rename", "buy", "upgrade", "renew")
)
_PRIVATIVE = frozenset(("sans", "without"))  # « …sans la résilier »: the clause after it
# « pas | juste… », "not | only…" (never « rien », nor « n'existe pas, crée-le »)
_DANGLING = frozenset(("pas", "not", "non"))
_ONLY = frozenset(wordlist("juste seulement only just uniquement simplement"))
_CONTRAST = frozenset(
    wordlist("""
    mais but juste seulement only just instead plutot uniquement simplement zzpunct sans without
    """)
)
_VERBS = frozenset((lx.CANCEL, lx.REMOVE, lx.MOVE, lx.DISSOCIATE, lx.ADD, "associate"))
_WHOLE = frozenset((lx.ALL, lx.STARTER, lx.OFFER))
_OBJECTS = frozenset(
    [
        *(lx.LICENCE, lx.STARTER, lx.OFFER, lx.ALL, lx.SITE, lx.NUMBER, lx.USER),
        *("licence_type", "service_ref"),
    ]
)


def _negated(
    words: tuple[str, ...], clauses: list[tuple[int, int]]
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Clauses holding a negation, and those negated by « pas juste X », "not only X"."""
    direct, not_only = [], []
    for index, (start, end) in enumerate(clauses):
        if start and words[start - 1] in _PRIVATIVE:
            direct.append((start, end))
        elif _NEGATIONS.intersection(words[start:end]):
            dangling = words[end - 1] in _DANGLING and end < len(words) and words[end] in _ONLY
            if dangling and index + 1 < len(clauses):
                not_only.append(clauses[index + 1])  # « je veux pas | juste | une licence »
            else:
                direct.append((start, end))
    return direct, not_only


def _clauses(words: tuple[str, ...]) -> list[tuple[int, int]]:
    bounds = [i for i, word in enumerate(words) if word in _CONTRAST]
    spans, start = [], 0
    for bound in [*bounds, len(words)]:
        if bound > start:
            spans.append((start, bound))
        start = bound + 1
    return spans


def drop_negated(tagged: Tagged) -> Tagged:
    """``tagged`` without the verbs and objects of its negated clauses (see the module)."""
    words = tagged.words
    if not (_NEGATIONS | _PRIVATIVE).intersection(words) or not _CONTRAST.intersection(words):
        return tagged
    clauses = _clauses(words)
    direct, not_only = _negated(words, clauses)
    negated = direct + not_only
    kept = [c for c in clauses if c not in negated]

    def inside(position: int, spans: list[tuple[int, int]]) -> bool:
        return any(start <= position < end for start, end in spans)

    kept_hits = [concept for p, concept in tagged.hits if inside(p, kept)]
    if not negated or not set(kept_hits) & (_VERBS | _OBJECTS):
        return tagged
    asked = {concept for p, concept in tagged.hits if inside(p, direct)} & (_VERBS | _WHOLE)
    contrast = any(  # « pas une licence, … », « …sans la résilier »
        words[start] in _NEGATIONS or (start and words[start - 1] in _PRIVATIVE)
        for start, _ in direct
    )
    if not asked and not contrast:  # « la licence ne sert plus, supprime-la »: nothing asked
        negated = not_only
    verbs_kept = not set(kept_hits) & _VERBS
    droppable = _OBJECTS | (frozenset() if verbs_kept else _VERBS)
    if not set(kept_hits) & _OBJECTS:  # « ne supprime pas l'ancien site, ajoute le nouveau »
        droppable -= _OBJECTS - _WHOLE
    target = min((p for p, concept in tagged.hits if inside(p, kept) and concept in _OBJECTS),
                 default=None)  # fmt: skip
    pronoun = _pronoun(tagged, kept)
    if pronoun is not None:  # « …, on la met sur… »: what the kept clause does, not the negated
        droppable |= _VERBS
    hits = []
    for p, concept in tagged.hits:
        if pronoun is not None and inside(p, direct) and concept in _OBJECTS - _WHOLE:
            hits.append((pronoun, concept))  # « ne résilie pas le numéro, enlève-le de… »
            continue
        if inside(p, negated) and concept in droppable:
            continue
        if inside(p, direct) and concept in _NEAR_MISSES:
            continue
        if verbs_kept and target is not None and inside(p, negated) and concept in _VERBS:
            p = target - 1  # « ne résilie pas tout le pack, uniquement la licence »
        hits.append((p, concept))
    return replace(tagged, hits=tuple(sorted(hits)), negated=tuple(negated))


# A pronoun standing for what the negated clause named: before a French verb (« juste
# l'enlever », « on la met »), after an English one ("just remove it")
_BEFORE = frozenset(wordlist("l le la les"))
_AFTER = frozenset(wordlist("it them"))
_PREPOSITIONS = frozenset(wordlist(f"sur vers a au aux de du des dans chez {PUNCTUATION}"))


def _pronoun(tagged: Tagged, kept: list[tuple[int, int]]) -> int | None:
    """The position of a pronoun object in the kept clauses, if there is one: "it", "them";
    « le », « la », « l' » before a verb or after a subject (« on la met… »), or after a verb
    and before a preposition (« déplace-la sur… »)."""
    words = tagged.words
    verbs = {p for p, concept in tagged.hits if concept in _VERBS}
    for start, end in kept:
        for p in range(start, end):
            before, after = words[p - 1] if p else "", words[p + 1] if p + 1 < end else ""
            if words[p] in _AFTER:
                return p
            if words[p] not in _BEFORE:
                continue
            if p + 1 in verbs or before in SUBJECTS:
                return p
            if p - 1 in verbs and (after in _PREPOSITIONS or p + 1 == end):
                return p
    return None


_ASKING = frozenset(
    wordlist("""
    quels quelles quel quelle combien liste lister montre affiche which what how list show
    display
    """)
)
_PARTICIPLES = ("ed", "ee", "ees", "es", "ies")
# States of a licence named by words of actions the assistant does not take (« les licences
# suspendues », "active licences"): in a question they describe, they ask nothing
_STATES = frozenset(
    wordlist("""
    suspendu suspendue suspendus suspendues suspended active actives actif actifs activated
    activee activees reactivee reactivees reactivated
    """)
)
_STATE_CONCEPTS = frozenset(("suspend", "reactivate", "activate"))
_PASSIVE = frozenset(wordlist("etre soit soient sera be get gets getting got being"))


def drop_states(tagged: Tagged) -> Tagged:
    """``tagged`` without the verbs that are participles of a question about one's data, nor
    the states named by a near miss's participle (« les licences suspendues », "is FPC…
    suspended?") — unless asked for (« elle doit être suspendue », "get it suspended")."""
    words = tagged.words
    hits = tuple(
        (p, concept)
        for p, concept in tagged.hits
        if not (
            concept in _STATE_CONCEPTS
            and words[p] in _STATES
            and not _PASSIVE.intersection(words[max(0, p - 4) : p])
        )
    )
    tagged = replace(tagged, hits=hits)
    first = next((w for w in words if w not in ("et", "and", "ok", "alors", "so")), "")
    if first not in _ASKING or lx.GUIDE in tagged.concepts:
        return tagged
    hits = tuple(
        (p, concept)
        for p, concept in tagged.hits
        if not (concept in _VERBS and words[p].endswith(_PARTICIPLES) and len(words[p]) > 5)
    )
    return replace(tagged, hits=hits)
