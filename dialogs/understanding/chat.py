"""Evidence for what is not a procedure: greetings, thanks, asking for a person, questions about
one's data, following an order; and the near misses the assistant can name ("commander des
licences" is not something it does)."""

from __future__ import annotations

from itertools import pairwise

from dialogs.understanding import lexicon as lx
from dialogs.understanding.concepts import Tagged
from dialogs.understanding.normalise import STOPWORDS, wordlist
from dialogs.understanding.rules import relations

GREETING = frozenset(
    wordlist("""
    bonjour bonsoir salut coucou hello hi hey yo hola bjr slt cc re rebonjour morning evening
    afternoon revoir bye goodbye ciao tchao byebye later plus journee soiree weekend nuit night
    wesh kikou hiya howdy bsr salutations greetings demat
    """)
)
THANKS = frozenset(
    wordlist(
        "merci mercii merciii thanks thank thx ty cheers remercie remercier remerciements "
        "appreciated appreciate mci mrc merki thks tks tx cimer reconnaissant reconnaissante"
    )
)
# Words that may stand beside a greeting or thanks without making it a request.
POLITE = frozenset(
    wordlist("""
    beaucoup bien infiniment mille fois a toi vous you very much so lot the there all good
    bonne journee soiree semaine tout le monde ca va cava comment vas allez how are doing
    ok okay super parfait top nickel genial great perfect cool au plus tard see later a+ oui
    yes madame monsieur encore again de votre aide help your for pour l aide et and cordialement
    sir bot assistant les gars guys team equipe toujours espere tout dit quoi mate
    reactivite rapidite patience efficacite disponibilite precieuse quick fast answer reply
    response support assistance votre retour reponse gens folks people machine suis
    """)
)
# An acknowledgement alone (« parfait », « top, c'est bon ») thanks.
ACKNOWLEDGE = frozenset(
    wordlist("""
    super parfait top nickel genial great perfect cool awesome excellent impeccable parfaitement
    noted bon marche recu note
    """)
)
HANDOFF = frozenset(
    wordlist("""
    humain humaine humains human person personne conseiller conseillere conseillers agent
    agents quelqu technicien technicienne hotline helpdesk interlocuteur commercial commerciale
    representative someone somebody advisor adviser real vrai vraie support sales collegue
    collegues colleague colleagues manager chair robot
    """)
)
_SPEAK = frozenset(
    wordlist("""
    parler discuter joindre appeler contacter rappeler talk speak reach call contact escalate
    escalader transferer transfer passe passer mettre mets chat relation through parle
    parlez appelle appelez transfere transferez passez mettez joins avoir telephone tel connect
    connecter connectez echanger prefere prefererais deal rather redirige rediriger redirigez
    redirect besoin need
    """)
)
# « me faire rappeler », "call me back": a person calls back (« rappelle-moi » may be a reminder)
_CALLBACK = frozenset(wordlist("rappel callback recontacter recontactez"))
_COUNT = frozenset(
    wordlist("""
    combien reste restent nombre nb nbre many much count compte total remaining cb cbien
    """)
)
# A question anywhere in the sentence (« la licence FPC… est sur quel site ? »)
_ASKING = frozenset(
    wordlist("quel quelle quels quelles lesquels lesquelles quoi which what who whom whose koi")
)
# « qui » asks only first or after « à » (« à qui est… », « qui utilise… »); else it relates
_WHO = frozenset(wordlist("qui"))
_AUXILIARIES = frozenset(wordlist("est sont etait etaient is are was were been ete"))
_INVERTED = frozenset(wordlist("il elle ils elles t"))  # « est-il », « sont-elles »
_YES_NO_OPENERS = frozenset(wordlist("is are was were"))
_DO_OPENERS = frozenset(wordlist("does do did has have"))
# who acts on what is counted (« combien de licences je dois résilier ? »)
_SUBJECTS = frozenset(wordlist("je j on nous vous tu i we you dois doit faut should must to"))
_LIST = frozenset(
    wordlist("""
    liste lister listes montre montrer affiche afficher voir vois donne donner quels quelles
    quel quelle lesquels lesquelles show list display which what see give tell indique quoi
    detail details recap recapitulatif etat inventaire overview
    """)
)
_FREE = frozenset(
    wordlist("libre libres free disponible disponibles dispo dispos unused unassigned")
)
_PENDING = frozenset(
    wordlist("""
    en_cours cours attente attendant pending open ouvertes ouverte outstanding waiting
    signature signer signe signee unsigned
    """)
)
_FOLLOW = frozenset(
    wordlist("""
    suivi suivre statut status avancement ou where relancer relance renvoyer resend chase
    retirer withdraw signe signee signed signature valider validation finale track tracking
    """)
)


ELSEWHERE = frozenset(
    [
        *("price", "buy", "password", "porting", "billing", "mobile", "internet", "upgrade"),
        *("renew", "reactivate", "suspend", "attach_number"),
    ]
)
_PARTICIPLES = ("ed", "ee", "ees", "ies", "ives")


def _has(words: tuple[str, ...], vocabulary: frozenset[str]) -> bool:
    return any(word in vocabulary for word in words)


def small_talk(words: tuple[str, ...]) -> str | None:
    """``greeting`` or ``thanks`` when the message is only that (and polite words)."""
    if not words or len(words) > 8:
        return None
    allowed = GREETING | THANKS | POLITE | ACKNOWLEDGE | STOPWORDS
    if any(w not in allowed and not w.isdigit() for w in words):
        return None
    if _has(words, THANKS):
        return "thanks"
    if _has(words, GREETING):
        return "greeting"
    return "thanks" if _has(words, ACKNOWLEDGE) else None


_SOMEONE = frozenset(wordlist("une vraie autre quelque telle"))
_MEANS = frozenset(wordlist("numero telephone phone mail email coordonnees number"))
_REACH = frozenset(wordlist("joindre contacter appeler reach contact call"))


def wants_a_person(words: tuple[str, ...], tagged: Tagged) -> bool:
    """« parler à un humain », « je voudrais un conseiller », « comment joindre OpenIP ? »."""
    if tagged.concepts & ELSEWHERE:
        return False
    verbs = {lx.CANCEL, lx.REMOVE, lx.MOVE, lx.DISSOCIATE, lx.ADD, "associate"}
    asking_contact = not tagged.concepts & verbs  # "transfer my number to OpenIP" is porting
    if (
        asking_contact
        and _has(words, _REACH | _MEANS)
        and _has(words, frozenset(("openip", "support")))
    ):
        return True
    called = _pair(words, ("call", "back")) or _pair(words, ("faire", "rappeler"))
    called = called or _pair(words, ("me", "rappelle")) or _pair(words, ("me", "rappeliez"))
    if asking_contact and (_has(words, _CALLBACK) or called):
        return True
    # « personne » alone is "nobody" (« plus rattaché à personne »), « une personne » someone
    people = [
        w
        for i, w in enumerate(words)
        if w in HANDOFF and (w != "personne" or (i and words[i - 1] in _SOMEONE))
    ]
    if not people:
        return False
    if len(people) >= 2:  # « une vraie personne », "a real person"
        return True
    return _has(words, _SPEAK) or lx.WANT in tagged.concepts or len(words) <= 4


def _pair(words: tuple[str, ...], pair: tuple[str, str]) -> bool:
    """Both words, the second within three words after the first ("call me back")."""
    return any(
        w == pair[0] and pair[1] in words[i + 1 : i + 4] for i, w in enumerate(words)
    )


def asks_about_data(words: tuple[str, ...], tagged: Tagged, *, asked: bool = False) -> bool:
    """A question about licences, numbers, sites or orders that asks to see, not to change.

    ``asked``: the sentence ends on a question mark; with a state (« est », "is") it asks
    whether something is so (« FPC… est déclarée sur l'agence de Lyon ou sur le siège ? »,
    « le Starter Pack est toujours en service ? »)."""
    c = tagged.concepts
    if lists_orders(words) and ("zzclient" in words or _has(words, _LIST | _COUNT)):
        return True
    stating = asked and _has(words, _AUXILIARIES)
    owned = {lx.LICENCE, "licence_type", lx.NUMBER, lx.SITE, lx.ORDER, "service_ref"}
    owned |= {lx.STARTER, "licence_id"} if stating else set()
    objects = c & owned or "zzclient" in words
    opening = tuple(w for w in words if w not in ("et", "and", "ok", "alors", "so"))[:2]
    listing = _has(opening, _LIST) or (lx.WANT in c and _has(words, _LIST))
    asking = listing or _has(words, _COUNT) or "count" in c or lx.LIST in c
    who = any(w in _WHO and (not i or words[i - 1] == "a") for i, w in enumerate(words))
    asking = asking or who or _has(words, _ASKING) or (_has(words, _FREE) and lx.NUMBER in c)
    # « la signature de … est-elle toujours en attente ? » follows an order
    asking = asking or ((yes_no(words, asked=asked) or stating) and not _has(words, _SIGNED))
    counting = counts(words, tagged)
    verbs = {lx.CANCEL, lx.REMOVE, lx.DISSOCIATE, lx.ADD, lx.MOVE, "associate"}
    changing = any(  # "cancelled", « résiliées », « est attribué »: a state, not an action
        concept in verbs
        and not tagged.words[p].endswith(_PARTICIPLES)
        and not (p and tagged.words[p - 1] in _AUXILIARIES)
        and not (p > 1 and tagged.words[p - 2] in _AUXILIARIES and tagged.words[p - 1] in _INVERTED)
        and not (counting and not _SUBJECTS.intersection(tagged.words[max(0, p - 3) : p]))
        for p, concept in tagged.hits
    )
    general = c & ELSEWHERE or lx.GUIDE in c or lx.DIFFERENCE in c  # how-to, prices, "difference"
    return bool(objects and asking and not changing and not general)


def yes_no(words: tuple[str, ...], *, asked: bool = False) -> bool:
    """« est-ce que la licence … est rattachée… », « le numéro … est-il associé… », "is the
    number … linked…": a question answered yes or no (whether it asks about a state or to act
    is for the verbs to say)."""
    if words[:3] == ("est", "ce", "que") or (words and words[0] in _YES_NO_OPENERS):
        return True
    if asked and len(words) > 1 and words[0] in _DO_OPENERS and words[1] != "not":
        return True  # "does the client have free numbers?" (never "do not cancel…")
    return any(a in _AUXILIARIES and b in _INVERTED for a, b in pairwise(words))


def counts(words: tuple[str, ...], tagged: Tagged) -> bool:
    """« combien de licences résiliées… », "how many licences are…": a question that counts;
    a verb after what is counted describes it (« combien de licence resilié »)."""
    opening = tuple(w for w in words if w not in ("et", "and", "ok", "alors", "so"))[:2]
    return _has(opening, _COUNT) or any(c == "count" and p <= 1 for p, c in tagged.hits)


def asks_order_status(words: tuple[str, ...], tagged: Tagged) -> bool:
    """« où en est ma commande de résiliation du pack ? »: the state of an order, whatever else
    the sentence names."""
    c = tagged.concepts
    where = "ou" in words and "en" in words and "est" in words
    return (where or _has(words, frozenset(("status", "statut")))) and bool(
        c & {lx.ORDER, lx.CANCEL}
    )


def lists_orders(words: tuple[str, ...]) -> bool:
    """« les commandes en attente de Cabinet Azur », "pending orders of …": a list, not one."""
    return _has(words, frozenset(("commandes", "orders"))) and _has(words, _PENDING | _LIST)


def follows_an_order(words: tuple[str, ...], tagged: Tagged) -> bool:
    """« où en est ma commande ? », "has the client signed?", "resend the signature request"."""
    c = tagged.concepts
    if lists_orders(words) and ("zzclient" in words or _has(words, _LIST)):
        return False
    order = lx.ORDER in c or "cmd" in words
    withdrawing = bool(c & {lx.CANCEL, lx.REMOVE}) and not c & {lx.LICENCE, lx.STARTER, lx.OFFER}
    if order and withdrawing and "buy" not in c:
        return True  # « annule ma commande » withdraws an order
    signed = _has(words, _SIGNED)
    following = "ou" in words and "en" in words and "est" in words  # « où en est la résiliation »
    if following and c & {lx.CANCEL, lx.ORDER}:
        return True
    if asks_after_a_request(words):
        return True
    return (order and (_has(words, _FOLLOW | _PENDING) or lx.VALIDATION in c)) or (
        signed and bool(words) and lx.ADD not in c
    )


def asks_after_a_request(words: tuple[str, ...]) -> bool:
    """« ma demande de dissociation a-t-elle été prise en compte ? », "any news on the site
    change I put in on Monday?", « j'ai demandé de résilier deux licences il y a dix jours, rien
    n'a bougé »: a request already made, and how it stands."""
    asked = _has(words, _REQUESTS) or any(_pair(words, pair) for pair in _ASKED)
    return asked and (_has(words, _STANDING) or _pair(words, ("prise", "compte")))


_REQUESTS = frozenset(wordlist("demande demandes requete requetes request requests ticket"))
# « j'ai demandé », "I requested", "I put in", "I asked for"
_ASKED = (
    *(("ai", "demande"), ("avais", "demande")),
    *(("i", "requested"), ("i", "asked"), ("put", "in")),
)
_STANDING = frozenset(
    wordlist("""
    passee passe traitee traite traitees effective effectif effectue effectuee done handled
    completed processed news nouvelles avancement status statut pending toujours still bouge
    bouger moved yet encore attente valide validee confirmed confirmer confirm through
    """)
)


_SIGNED = frozenset(
    wordlist("signe signee signed signature signatures sign signer signing")
)
_RESEND = frozenset(
    wordlist("renvoyer renvoie renvoies renvoyez resend relancer relance relancez chase")
)


def acts_on_order(words: tuple[str, ...], tagged: Tagged) -> bool:
    """« retire la demande de résiliation du pack », "resend the signature request": an order
    is withdrawn or chased, whatever procedure its content names."""
    c = tagged.concepts
    if "buy" in c:
        return False
    if cancels_a_cancellation(tagged):
        return True
    if not (lx.ORDER in c or _has(words, _SIGNED)):
        return False
    if counts(words, tagged):  # « combien de commandes de résiliation sont en cours ? »
        return False
    if _has(words, _RESEND):
        return True
    withdrawing = {lx.CANCEL, lx.REMOVE}
    return any(v in withdrawing and o == lx.ORDER for _, v, o in relations(tagged))


_CANCELLATION = frozenset(wordlist("resiliation resiliations resil cancellation termination"))


def cancels_a_cancellation(tagged: Tagged) -> bool:
    """« on annule la résiliation en cours »: the order under way is withdrawn."""
    hits = [(p, c) for p, c in tagged.hits if c in (lx.CANCEL, lx.REMOVE)]
    return any(
        tagged.words[later] in _CANCELLATION and tagged.words[at] not in _CANCELLATION
        for (at, _), (later, _) in pairwise(hits)
        if later - at <= 3
    )


def asks_for_free(words: tuple[str, ...]) -> bool:
    return _has(words, _FREE)


def asks_for_pending(words: tuple[str, ...]) -> bool:
    return _has(words, _PENDING) or "cours" in words


# Near misses: the concept found → the text that says what the assistant does not do.
NEAR_MISSES = (
    "buy",
    "order_licence",
    "add_licence",
    "password",
    "porting",
    "billing",
    "mobile",
    "internet",
    "upgrade",
    "price",
    "rename",
    "user",
    "reactivate",
    "suspend",
    "attach_number",
)


def near_miss(tagged: Tagged) -> str | None:
    """The kind of request the assistant does not do, when the message is one it can name."""
    c = tagged.concepts
    for concept in (
        *("password", "porting", "billing", "mobile", "internet", "upgrade", "rename"),
        *("reactivate", "suspend", "attach_number"),
    ):
        if concept in c:
            return concept
    licence = bool(c & {lx.LICENCE, "licence_type"})
    if "buy" in c or (lx.ORDER in c and (licence or lx.NUMBER in c or lx.STARTER in c)):
        return "order_licence" if licence or lx.STARTER in c else "buy"
    if lx.ADD in c and licence:
        return "add_licence"
    if "price" in c:
        return "price"
    if lx.ADD in c and lx.USER in c:
        return "user"
    return None
