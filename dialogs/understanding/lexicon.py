"""Concept vocabulary (FR and EN, folded): the words and phrases that carry each meaning.

A word ending with ``*`` is a prefix (it covers conjugations and plurals). Phrases are matched
before words and consume their tokens, so "mot de passe" never reads as the verb "passer".
"""

from __future__ import annotations

from dialogs.understanding.normalise import wordlist

# Verbs of the procedures.
CANCEL = "cancel"  # résilier, cancel: the strong verbs of cancellation
REMOVE = "remove"  # supprimer, retirer, remove: cancellation or dissociation by their object
MOVE = "move"  # changer, passer, déplacer, move: a licence to another site
DISSOCIATE = "dissociate"
ADD = "add"
# Objects.
LICENCE = "licence"
STARTER = "starter"
OFFER = "offer"
ALL = "all"
SITE = "site"
NUMBER = "number"
USER = "user"
# Helpdesk questions.
WHY = "why"
CANNOT = "cannot"
GREY = "grey"
TRASH = "trash"
MISSING = "missing"
LIST = "list"
RESELLER = "reseller"
OPERATOR = "operator"
VALIDATION = "validation"
NOTIFY = "notify"
DIFFERENCE = "difference"
ORDER = "order"
# Mode markers.
GUIDE = "guide"
WANT = "want"

WORDS: dict[str, str] = {
    CANCEL: "resilier resilie resiliez resilies resili* resil* cancel cancel* cancle cancell "
    "terminate "
    "terminat* annuler annule annulez annulation mettre_fin clotur* unsubscribe termine end "
    "shut_down close met_fin mets_fin mettez_fin mettons_fin put_an_end restituer restitue "
    "rendre rends desabonner desabonne unsubscribe decommission decommissionner wind_up "
    "clore clos give_back hand_back scrap mettre_un_terme mets_un_terme mettez_un_terme "
    "met_un_terme denoncer denonce denoncez fermer fermez fermeture ferme",
    REMOVE: "supprimer supprime supprimez suppression retirer retire retirez retrait enlever "
    "enleve enlevez virer vire virez remove remov* delete delet* drop reduire reduis reduce "
    "diminuer diminue baisser decrease get_rid arreter arrete arretez stopper stoppe kill "
    "degage degager suppr sauter lose couper coupe plus_besoin not_need no_longer_need "
    "pas_besoin desactiver desactivez deactivate debarrasser debarrasse nuke partir strip dump "
    "take_away taken_off take_off taking_off get_it_off get_off pull_it_off pull_off "
    "plus_garder plus_conserver no_longer_keep oter ote "
    "otez",
    MOVE: "changer change changez chang* modifier modifie modifiez modif* deplacer deplace "
    "deplacez deplac* passer passe passez mettre mets mettez transferer transfere transfer "
    "transf* affecter affecte affect* rattacher rattache rattach* bouger bouge basculer bascule "
    "migrer migre demenager demenagement move moving switch assign reassign reassign* relocate "
    "reloc* put "
    "set update modify customise customize personnaliser personnalis* attribuer attribue "
    "reaffecter reaffecte moved switcher corriger corrige fix rehome remettre remets muter mute "
    "mutee",
    DISSOCIATE: "dissocier dissocie dissociez dissoci* desassocier desassocie desassoci* "
    "detacher detache detach* delier delie liberer libere dissociate disassociate disassoc* "
    "separer separe separez desolidariser desolidarise "
    "unlink unlink* unassign unassign* unbind desaffecter desaffecte couper_le_lien "
    "release free_the free_up free_its recuperer recupere plus_rattache plus_rattachee "
    "plus_associe plus_associee plus_lie plus_liee plus_attache no_longer_linked "
    "no_longer_attached no_longer_assigned",
    ADD: "ajouter ajoute ajoutez ajout rajouter rajoute creer cree creez creation nouveau "
    "nouvelle nouvel add adding create creat* new declarer declare enregistrer register ouvrir "
    "ouvre open opened set_up setup",
    LICENCE: "licence licences license licenses licenc* licens* lic lics poste postes seat seats",
    STARTER: "starter starterpack starter_pack pack packs package",
    OFFER: "offre offres offer offers abonnement abonnements subscription subscriptions contrat "
    "contrats contract contracts",
    ALL: "tout toute toutes tous ensemble integralite totalite entier entiere complet complete "
    "completement whole entire entirely everything all en_une_fois in_one_go at_once",
    SITE: "site sites adresse adresses address addresses localisation location locations "
    "emplacement etablissement etablissements locaux agence agences bureau bureaux office "
    "offices branch depot entrepot boutique succursale filiale antenne magasin shop "
    "warehouse endroit",
    NUMBER: "numero numeros num sda sdas did dids number numbers phone_number",
    USER: "utilisateur utilisateurs user users",
    WHY: "pourquoi why how_come comment_se_fait",
    CANNOT: "impossible cannot unable peux_pas arrive_pas pas_possible pas_moyen bloque "
    "empeche empechent prevents prevent "
    "blocked stuck will_not not_let",
    GREY: "grise grisee grises grisees gris greyed grayed grey gray desactive desactivee "
    "disabled inactive inactif inactif* pas_cliquable non_cliquable not_clickable "
    "unclickable marche_pas not_work fonctionne_pas not_working broken",
    TRASH: "poubelle poubelles corbeille bin trash trash_can delete_icon icone icon",
    MISSING: "apparait_pas apparaissent_pas pas_dans introuvable manque absent absente "
    "pas_propose trouve_pas vois_pas existe_pas missing not_in not_appear not_listed "
    "not_show not_showing cannot_find cannot_see not_there not_available isnt_listed",
    LIST: "liste list dropdown drop_down menu_deroulant deroulant deroulante",
    RESELLER: "revendeur revendeurs reseller resellers revendeu*",
    OPERATOR: "operateur operateurs operator operators",
    VALIDATION: "validation valider valide validez validate validated validating signature "
    "signer sign signe signee signes signees signed",
    NOTIFY: "notifier notifie notify notifying notification",
    DIFFERENCE: "difference differences versus vs change_quoi",
    ORDER: "commande commandes commander commande* order orders ordering devis quote quotes "
    "la_demande ma_demande cette_demande notre_demande sa_demande leur_demande the_request "
    "my_request that_request this_request",
    GUIDE: "comment how demarche indiquer the_way way_to procedure procedures explique "
    "expliquer explain etapes etape steps "
    "step marche_a_suivre tuto tutoriel guide fiche walk_me show_me_how what_are_the_steps "
    "quel_onglet quelle_page quel_menu which_tab which_page which_menu what_tab "
    "ou_se_trouve where ou_je ou_est est_ou ou_puis ou_dois ou_peut ou_on can_i",
    WANT: "veux voudrais souhaite souhaiterais aimerais want would_like need faut dois "
    "please svp stp merci_de peux_tu pouvez_vous can_you could_you tu_peux",
    "password": "mot_de_passe mdp password passwords passwd",
    "billing": "facturation facture factures billing invoice invoices invoicing paiement "
    "postale postal livraison shipping delivery",
    "mobile": "mobile mobiles portable sim forfait_mobile mobile_plan",
    "internet": "internet fibre fiber box adsl vdsl wifi web website site_web site_internet",
    "porting": "porter portabilite portage port porting",
    "account": "compte comptes account accounts",
    "email": "email mail courriel e_mail",
    "rename": "renommer renomme rename renaming nom noms name names",
    "count": "nombre_de number_of quantite quantity combien_de how_many how_mny how_meny "
    "how_manny hw_many",
    "upgrade": "upgrade upgrading downgrade",
    "activate": "activer active activate renouveler renew",
    "price": "prix coute tarif tarifs price cost costs how_much est_combien combien_ca",
    "buy": "acheter achete buy purchase souscrire subscribe more_licences more_licenses "
    "more_seats",
    # « un site de plus » adds a site, « des licences en plus » buys licences (see concepts.tag)
    "more": "de_plus en_plus one_more supplementaire supplementaires additional extra",
    "renew": "renouveler renouvelle renew renewal",
    "contact": "contact contacts",
    "service_ref": "srv srvs",  # « quel est le SRV de … ? »: the service, its reference
    "associate": "associer associe associez associate link attach",
    # reverse actions: a cancelled licence brought back, a licence paused for a while
    "reactivate": "reactiver reactive reactivez reactivation reactivate reactivating reinstate "
    "retablir retablis retablissez restore reouvrir rouvrir reopen",
    "suspend": "suspendre suspends suspendez suspendu suspendue suspension suspend suspended "
    "mettre_en_pause geler freeze temporairement temporarily",
    "wrong": "mauvais mauvaise faux fausse fausses wrong incorrect incorrecte erronee ancienne old "
    "mal pas_la_bonne pas_le_bon pas_bonne pas_bon not_right not_correct alors_qu alors_que "
    "au_lieu_de instead_of previous ancien",
    "emergency": "samu pompiers urgence urgences emergency secours",
    # another client (a licence moves between sites of one client, never between clients)
    "other_client": "au_client vers_le_client autre_client another_customer another_client "
    "other_customer other_client to_the_customer to_the_client to_client to_customer "
    "other_company another_company autre_societe autre_entreprise",
    "appointment": "reunion reunions rdv rendez_vous appointment appointments agenda calendrier "
    "calendar",
}

# "not" near a word of seeing, in any order ("why isn't the site listed"), means MISSING.
NEGATIONS = frozenset(wordlist("not pas cannot jamais aucun aucune"))
VISIBLE = frozenset(
    wordlist("""
    listed appear appears apparait apparaissent affiche affichee show shows shown showing see
    vois voit voir trouve trouver find found offered propose proposee proposes available
    disponible dispo visible present presente existe exist exists
    """)
)

# Phrases, folded and written with underscores above; listed here as token tuples.
PHRASES: dict[tuple[str, ...], str] = {
    tuple(word.split("_")): concept
    for concept, words in WORDS.items()
    for word in words.split()
    if "_" in word
}
EXACT: dict[str, str] = {
    word: concept
    for concept, words in WORDS.items()
    for word in words.split()
    if "_" not in word and not word.endswith("*")
}
PREFIXES: tuple[tuple[str, str], ...] = tuple(
    sorted(
        (
            (word[:-1], concept)
            for concept, words in WORDS.items()
            for word in words.split()
            if word.endswith("*")
        ),
        key=lambda item: -len(item[0]),
    )
)
