"""Language understanding: procedures, near misses, questions, mode, slots and language."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from dialogs.understanding import (
    Slots,
    Understanding,
    detect_language,
    match_name,
    parse_licence_type,
    parse_quantity,
    understand,
)
from dialogs.understanding.analysis import analyse
from dialogs.understanding.data import utterances
from dialogs.understanding.evaluation import evaluate
from dialogs.understanding.model import shipped
from dialogs.understanding.recogniser import Scores, decide, scores
from dialogs.understanding.training import checksum

CLIENTS = ("Cabinet Azur", "Garage du Port", "Hôtel des Pins", "Agence Horizon")
SITES = ("Agence Aix", "Siège Social", "Port Saint-Louis", "Entrepôt Vitrolles")


PROCEDURE_IDS = {
    "cancel_licences",
    "cancel_starter_pack",
    "change_licence_site",
    "dissociate_number",
    "add_site",
    "order_followup",
}


def read(text: str) -> Understanding:
    return understand(text, clients=CLIENTS, sites=SITES)


@pytest.mark.parametrize(
    ("text", "procedure"),
    [
        ("comment résilier une licence ?", "cancel_licences"),
        ("how do I cancel a licence?", "cancel_licences"),
        ("je veux résilier tout le starter pack de Garage du Port", "cancel_starter_pack"),
        ("cancel the whole starter pack for Cabinet Azur", "cancel_starter_pack"),
        ("passe FPC367128 sur Agence Aix", "change_licence_site"),
        ("move licence FPC367128 to another site", "change_licence_site"),
        ("dissocier le 04 91 00 00 01", "dissociate_number"),
        ("how do I unlink a number from its licence?", "dissociate_number"),
        ("ajoute un site Agence Toulon pour Garage du Port", "add_site"),
        ("add a new site for Hotel des Pins", "add_site"),
    ],
)
def test_each_procedure_is_recognised_in_french_and_in_english(text: str, procedure: str) -> None:
    assert read(text).procedure == procedure


@pytest.mark.parametrize(
    ("text", "procedure"),
    [
        ("resilir 2 licnces full chez cabinet azur", "cancel_licences"),
        ("cancle two licenses please", "cancel_licences"),
        ("chnager l'adresse d'une licence", "change_licence_site"),
        ("disocier le numero de la licence", "dissociate_number"),
        ("startr pack a resilier en entier", "cancel_starter_pack"),
        ("cree un nouveau sitte pour agence horizon", "add_site"),
    ],
)
def test_typos_and_missing_accents_do_not_hide_the_procedure(text: str, procedure: str) -> None:
    assert read(text).procedure == procedure


def test_word_order_does_not_matter() -> None:
    assert read("la licence FPC367128, je veux la résilier").procedure == "cancel_licences"
    assert read("sur le site Agence Aix, mets FPC367128").procedure == "change_licence_site"


@pytest.mark.parametrize(
    "text",
    [
        "ajouter une licence",
        "commander des licences",
        "changer le mot de passe",
        "créer un compte client",
        "porter un numéro",
        "résilier une ligne mobile",
        "changer l'adresse de facturation",
        "ajouter un utilisateur",
        "associer un numéro à une licence",
        "add a licence for Cabinet Azur",
        "change the billing address",
        "link a number to licence FPC367128",
    ],
)
def test_a_near_miss_sharing_words_with_a_procedure_is_out_of_scope(text: str) -> None:
    assert read(text).procedure is None


@pytest.mark.parametrize("text", ["hello", "bonjour", "quel temps fait-il ?", "merci", "ok"])
def test_plain_small_talk_is_out_of_scope(text: str) -> None:
    assert read(text).procedure is None


def test_a_bare_cancel_is_ambiguous_between_licences_and_the_whole_pack() -> None:
    result = read("je veux résilier")
    assert result.ambiguous
    named = {result.procedure, *(name for name, _ in result.alternatives)}
    assert {"cancel_licences", "cancel_starter_pack"} <= named
    assert set(result.offers()) == {"cancel_licences", "cancel_starter_pack"}


def test_no_reading_ever_offers_more_than_two_intents_and_an_ambiguous_one_two_procedures() -> None:
    for sample in utterances("train") + utterances("test"):
        result = read(sample.text)
        assert len(result.offers()) <= 2, sample.text
        if result.ambiguous:
            assert len(result.offers()) == 2, sample.text
            assert {result.intent, *result.offers()} <= PROCEDURE_IDS, sample.text


@pytest.mark.parametrize(
    "text", ["mon téléphone grésille depuis ce matin", "ça grésille sur la ligne du standard"]
)
def test_a_crackling_phone_is_not_corrected_into_a_cancellation(text: str) -> None:
    result = read(text)
    assert result.intent is None
    assert "cancel_licences" not in result.offers()


@pytest.mark.parametrize(
    "text", ["le client a signé la commande ?", "est-ce que le client a signé la commande ?"]
)
def test_whether_the_client_signed_the_order_is_following_it_not_the_validation_question(
    text: str,
) -> None:
    result = read(text)
    assert (result.intent, result.question) == ("order_followup", None)


def test_a_clear_request_is_not_ambiguous_and_is_confident() -> None:
    result = read("résilie 2 licences full chez Cabinet Azur")
    assert not result.ambiguous
    assert result.confidence >= 0.9


@pytest.mark.parametrize(
    "text",
    [
        "the bin icon is greyed out",
        "pourquoi je ne peux pas résilier cette licence ?",
        "l'icône poubelle n'est pas cliquable",
    ],
)
def test_a_greyed_trash_icon_asks_why_a_licence_cannot_be_cancelled(text: str) -> None:
    result = read(text)
    assert (result.question, result.procedure) == ("why_cannot_cancel", "cancel_licences")


@pytest.mark.parametrize(
    "text", ["le site n'apparaît pas dans la liste", "site not in the dropdown"]
)
def test_a_site_missing_from_the_list_asks_why_it_is_missing(text: str) -> None:
    result = read(text)
    assert (result.question, result.procedure) == ("why_site_missing", "add_site")


@pytest.mark.parametrize(
    "text",
    [
        "quelle différence entre la validation revendeur et opérateur",
        "what does notify the client for validation do",
    ],
)
def test_the_validation_question_is_reseller_versus_operator(text: str) -> None:
    result = read(text)
    assert (result.question, result.procedure) == ("reseller_vs_operator", "cancel_starter_pack")


def test_a_reseller_asking_how_to_cancel_asks_no_question() -> None:
    result = read("je suis revendeur, comment résilier une licence ?")
    assert result.question is None
    assert result.procedure == "cancel_licences"


@pytest.mark.parametrize(
    ("text", "mode"),
    [
        ("comment résilier une licence ?", "guide"),
        ("how do I move a licence to another site?", "guide"),
        ("quelle est la procédure pour dissocier un numéro ?", "guide"),
        ("explique-moi l'ajout d'un site", "guide"),
        ("résilie 2 licences full chez Cabinet Azur", "act"),
        ("passe FPC367128 sur Agence Aix", "act"),
        ("cancel 2 full licences for Garage du Port", "act"),
        ("je veux dissocier le 04 91 00 00 01", "act"),
        ("résilier une licence", None),
    ],
)
def test_the_mode_says_whether_to_guide_or_to_act(text: str, mode: str | None) -> None:
    assert read(text).mode == mode


def test_every_slot_kind_is_read_from_one_sentence() -> None:
    slots = read("transfère 3 licences full avancée FPC367128 de cabinet azur sur agence d'aix")
    assert slots.slots == Slots(
        quantity=3,
        licence_type="full_avancee",
        licence_ids=("FPC367128",),
        client="Cabinet Azur",
        site="Agence Aix",
    )


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("dissocie le 04 91 00 00 01", "+33491000001"),
        ("dissocie le 0491000001", "+33491000001"),
        ("dissocie le +33 4 91 00 00 01", "+33491000001"),
        ("dissocie le 0033491000001", "+33491000001"),
        ("dissocie le 04.91.00.00.01", "+33491000001"),
    ],
)
def test_a_french_number_in_any_form_is_read_in_e164(text: str, number: str) -> None:
    assert read(text).slots.numbers == (number,)


def test_licence_ids_are_read_in_any_case_and_uppercased() -> None:
    assert read("résilie fpc367123 et FPC 367124").slots.licence_ids == ("FPC367123", "FPC367124")


def test_a_number_is_not_mistaken_for_a_quantity() -> None:
    slots = read("dissocie le 04 91 00 00 01 de FPC367128").slots
    assert slots.quantity is None


def test_an_article_is_a_quantity_only_when_the_user_asks_to_act() -> None:
    assert read("résilie une licence full chez Cabinet Azur").slots.quantity == 1
    assert read("comment résilier une licence full ?").slots.quantity is None


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("licence simple", "simple"),
        ("les full", "full"),
        ("full avancée", "full_avancee"),
        ("full avancee", "full_avancee"),
        ("advanced full", "full_avancee"),
        ("full meeting", "full_meeting"),
        ("meeting avancée", "full_meeting_avancee"),
        ("conferencing", "full_conferencing"),
        ("fax", "fax_entreprise"),
        ("svi", "svi"),
        ("svi avancee", "svi_avancee"),
        ("advanced IVR", "svi_avancee"),
    ],
)
def test_a_typed_licence_type_is_read_as_its_slug(text: str, slug: str) -> None:
    assert parse_licence_type(text) == slug


def test_a_full_starter_pack_names_no_licence_type() -> None:
    assert read("explain how to cancel the full Starter Pack").slots.licence_type is None


@pytest.mark.parametrize(
    ("text", "quantity"),
    [
        ("3", 3),
        ("trois", 3),
        ("three", 3),
        ("non, 3 licences", 3),
        ("pas 2 mais 4", 4),
        ("une seule", 1),
        ("deux licences full", 2),
    ],
)
def test_a_typed_quantity_is_read_in_digits_or_words(text: str, quantity: int) -> None:
    assert parse_quantity(text) == quantity


def test_a_typed_answer_without_quantity_gives_none() -> None:
    assert parse_quantity("je ne sais pas") is None


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("cabinet azur", "Cabinet Azur"),
        ("hotel des pins", "Hôtel des Pins"),
        ("garage du prot", "Garage du Port"),
        ("azur", "Cabinet Azur"),
    ],
)
def test_a_typed_name_is_matched_fuzzily(text: str, name: str) -> None:
    assert match_name(text, CLIENTS) == name


def test_a_typed_answer_matches_a_longer_label_holding_all_its_words() -> None:
    labels = ["Agence Aix (13090 Aix-en-Provence)", "Siège Social (13001 Marseille)"]
    assert match_name("siege social", labels) == "Siège Social (13001 Marseille)"
    assert match_name("Moi", ["Moi", "Toi"]) == "Moi"


def test_a_too_weak_name_match_yields_nothing() -> None:
    assert match_name("boulangerie martin", CLIENTS) is None
    assert read("résilie 2 licences chez Cabinet Bleu").slots.client is None


def test_a_site_name_is_not_taken_for_a_client_name() -> None:
    slots = read("passe FPC367128 sur Port Saint-Louis").slots
    assert (slots.client, slots.site) == (None, "Port Saint-Louis")


def test_a_sentence_naming_a_site_and_a_client_gives_both() -> None:
    slots = read("déplace les licences du garage du port vers le siege social").slots
    assert (slots.client, slots.site) == ("Garage du Port", "Siège Social")


def test_a_site_to_create_is_read_as_typed() -> None:
    slots = read("ajoute un site Agence Toulon pour Garage du Port").slots
    assert (slots.new_site, slots.client, slots.site) == ("Agence Toulon", "Garage du Port", None)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("comment résilier une licence ?", "fr"),
        ("resilier 2 licences full chez cabinet azur", "fr"),
        ("the bin icon is greyed out", "en"),
        ("move FPC367128 to Agence Aix", "en"),
        # the letters of a reference are no words: « d », « c », « de » would count as French
        ("status of order CMD-D566C97B?", "en"),
        ("status of order CMD-02E8D4CE?", "en"),
        ("où en est la commande CMD-AB12BE34 ?", "fr"),
    ],
)
def test_the_language_follows_the_message(text: str, lang: str) -> None:
    assert read(text).lang == lang


@pytest.mark.parametrize(
    "text",
    # order references whose hex letters spell « de », « be », « an »: no language in them
    ["FPC367128", "ok", "3", "Cabinet Azur", "CMD-12DE34AB", "CMD-AN12BC34", "SRV-1002 0491000101"],
)
def test_a_short_or_unclear_message_gets_the_fallback_language(text: str) -> None:
    assert detect_language(text, "en") == "en"
    assert detect_language(text, "fr") == "fr"


@pytest.mark.parametrize("ref", ["CMD-C453C85B", "CMD-2D9D4CC6", "CMD-5D144D8C", "CMD-C65CE22D"])
def test_the_letters_of_an_order_reference_never_make_a_sentence_french(ref: str) -> None:
    # read whole, the letters between digits are « c » and « d », French words on their own
    assert read(f"status of order {ref}?").lang == "en"
    assert read(f"where is order {ref}?").lang == "en"
    assert read(f"où en est la commande {ref} ?").lang == "fr"


@pytest.mark.parametrize("ref", ["CMD-BE3F168F", "CMD-ADD09A23", "CMD-2E7451BE", "CMD-12DE34AB"])
def test_an_order_reference_alone_keeps_the_conversation_language(ref: str) -> None:
    assert understand(ref, clients=CLIENTS, sites=SITES, fallback_lang="fr").lang == "fr"
    assert understand(ref, clients=CLIENTS, sites=SITES, fallback_lang="en").lang == "en"


def test_as_json_gives_the_documented_keys_and_only_the_slots_found() -> None:
    data = read("résilie 2 licences full chez Cabinet Azur").as_json()
    assert set(data) == {
        "intent",
        "ambiguous",
        "suggestions",
        "near_miss",
        "procedure",
        "confidence",
        "alternatives",
        "slots",
        "lang",
        "mode",
        "question",
    }
    assert data["slots"] == {"quantity": 2, "licence_type": "full", "client": "Cabinet Azur"}


def test_the_shipped_model_was_trained_on_the_current_train_split_only() -> None:
    train, test = utterances("train"), utterances("test")
    _, provenance = shipped()
    assert provenance["samples"] == len(train)
    assert provenance["checksum"] == checksum(train)
    assert not {u.text for u in train} & {u.text for u in test}


def test_the_data_set_is_large_bilingual_and_keeps_a_seventh_or_more_for_testing() -> None:
    train, test = utterances("train"), utterances("test")
    everything = train + test
    assert len(everything) >= 350
    assert {u.lang for u in everything} == {"fr", "en"}
    assert 0.14 <= len(test) / len(everything) <= 0.4
    assert sum(u.intent is None for u in test) >= 30
    writers = {u.source for u in everything} - {"team"}
    assert len(writers) >= 5  # independent writers, each with held-out lines
    assert all(any(u.source == w for u in test) for w in writers)


def test_the_held_out_split_is_understood_well_enough() -> None:
    report = evaluate(tuple(u for u in utterances("test") if u.source == "team"))
    assert report.accuracy >= 0.95, report.errors
    assert report.rejection >= 0.95, report.errors
    assert report.slot_match >= 0.9, report.errors


def test_the_independent_writers_held_out_lines_stay_at_their_measured_level() -> None:
    # Measured when they were added: 89.9 % right, 96.4 % of out-of-scope lines rejected (the
    # README's « Understanding » gives them); a regression guard, not a target.
    report = evaluate(tuple(u for u in utterances("test") if u.source != "team"))
    assert report.accuracy >= 0.86, report.errors
    assert report.rejection >= 0.93, report.errors


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("restituer une licence", "cancel_licences"),
        ("vire-moi cette licence", "cancel_licences"),
        ("je ne veux pas tout résilier, juste deux licences", "cancel_licences"),
        ("kill le pack", "cancel_starter_pack"),
        ("la licence est rattachée au mauvais site", "change_licence_site"),
        ("ne supprime rien, déplace seulement la licence sur Agence Aix", "change_licence_site"),
        ("où en est ma commande de résiliation ?", "order_followup"),
        ("il reste combien de licences SVI chez Cabinet Azur ?", "data_question"),
        ("what numbers are free at Garage du Port?", "data_question"),
        ("je veux pas juste une licence, je veux tout arrêter", "cancel_starter_pack"),
        ("le client résilie tout : licences, numéros et offre", "cancel_starter_pack"),
        ("la commande CMD-7F3A est signée ?", "order_followup"),
        ("salut", "greeting"),
        ("merci bien", "thanks"),
        ("je voudrais parler à un conseiller", "handoff"),
        ("talk to a human please", "handoff"),
    ],
)
def test_paraphrases_complaints_negations_and_conversation_are_understood(
    text: str, intent: str
) -> None:
    result = read(text)
    assert (result.intent, result.ambiguous) == (intent, False)


def test_a_request_the_assistant_does_not_do_is_named_as_a_near_miss() -> None:
    result = read("commande-moi 3 licences full")
    assert (result.intent, result.near_miss) == (None, "order_licence")
    assert read("changer le mot de passe").near_miss == "password"


def test_an_unsure_reading_offers_one_or_two_plausible_intents() -> None:
    result = read("on n'a plus trop l'usage de ce truc")
    assert result.intent is None
    assert len(result.suggestions) <= 2
    assert result.offers() == result.suggestions


def test_a_trip_between_two_sites_takes_the_destination() -> None:
    assert read("déplace les licences de l'Agence Aix vers le Siège Social").slots.site == (
        "Siège Social"
    )
    assert read("move the licences from Siège Social to Agence Aix").slots.site == "Agence Aix"


def test_a_street_number_is_not_a_quantity_and_the_address_is_kept_for_a_new_site() -> None:
    slots = read("ajoute un site Agence Toulon au 8 rue du Port 83000 Toulon pour Garage du Port")
    assert (slots.intent, slots.slots.quantity) == ("add_site", None)
    assert (slots.slots.new_site, slots.slots.client) == ("Agence Toulon", "Garage du Port")
    assert (slots.slots.street, slots.slots.postal_code, slots.slots.city) == (
        "8 rue du Port",
        "83000",
        "Toulon",
    )


def test_not_only_one_licence_is_not_a_quantity_of_one() -> None:
    assert read("résilie pas seulement une licence chez Cabinet Azur").slots.quantity is None
    assert read("résilie juste une licence full chez Cabinet Azur").slots.quantity == 1


def test_the_shipped_table_matches_a_retrain_on_the_train_split() -> None:
    from dialogs.understanding.model import TABLE
    from dialogs.understanding.training import build, differences

    shipped_table = json.loads(TABLE.read_text(encoding="utf-8"))
    assert differences(shipped_table, build()) == 0


def test_a_negated_clause_without_a_request_keeps_its_object() -> None:
    assert read("la licence de Marc ne sert plus à rien, supprime-la").intent == "cancel_licences"


def test_a_number_alone_or_a_comparison_is_no_intent() -> None:
    assert read("1234").intent is None
    assert read("what is the difference between full and simple licences?").intent is None


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("ne touche pas à l'ancien site, crée seulement le nouveau", "add_site"),
        ("le site de Toulon n'existe pas, faut le créer", "add_site"),
        ("un site de plus pour Garage du Port", "add_site"),
        ("ne la résilie pas, mets-la seulement sur Agence Aix", "change_licence_site"),
        ("garde l'offre, enlève juste deux licences full", "cancel_licences"),
        ("faut que ce numéro soit plus rattaché à personne", "dissociate_number"),
        ("can a number be taken off a licence without cancelling it?", "dissociate_number"),
        ("annule la commande de résiliation, le client reste", "order_followup"),
        ("on annule la résiliation en cours", "order_followup"),
        ("quelles commandes sont en attente de signature ?", "data_question"),
        ("le numéro 04 91 00 01 02 est sur quelle licence ?", "data_question"),
        ("parfait", "thanks"),
        ("wesh", "greeting"),
        ("tu peux me faire rappeler par un conseiller ?", "handoff"),
    ],
)
def test_negations_held_numbers_orders_and_conversation_of_session_two(
    text: str, intent: str
) -> None:
    result = read(text)
    assert (result.intent, result.ambiguous) == (intent, False)


def test_a_number_blocking_a_cancellation_is_taken_off_or_offered_first() -> None:
    # « résiliation » (a noun, as in a follow-up) leaves the model just under its threshold
    # since the writers' complaints of session four: the dissociation is then offered first
    result = read("la licence a un numéro, ça bloque sa résiliation : retire-le d'abord")
    assert (result.question, result.ambiguous) == (None, False)
    assert "dissociate_number" in (result.intent, *result.suggestions[:1])


@pytest.mark.parametrize(
    "text",
    [
        "transfère la licence FPC367101 au client Garage du Port",
        "déplace la réunion au siège",
        "je veux 3 licences en plus",
        "rappelle-moi de relancer le client demain",
        "personne ne répond au standard",
        "c'est quand les vacances ?",
    ],
)
def test_another_client_a_meeting_more_licences_or_a_reminder_start_nothing(text: str) -> None:
    assert read(text).intent is None


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("combien de licences SVI actives chez Hôtel du Port ?", "data_question"),
        ("quels numéros sont libres chez Studio Prisme ?", "data_question"),
        ("how many full licences for Ridgeway Motors?", "data_question"),
    ],
)
def test_a_client_the_user_does_not_have_is_still_read_as_a_client(text: str, intent: str) -> None:
    result = read(text)
    assert result.intent == intent
    assert result.slots.client is None  # never filled in: reported by dialogs.named instead


@pytest.mark.parametrize(
    ("text", "near_miss"),
    [
        ("associe le numéro 01 84 22 30 30 à la licence de Julien", "attach_number"),
        ("assign the number 01 55 43 21 09 to Kim's licence", "attach_number"),
        ("réactive la licence FPC220981, résiliée par erreur", "reactivate"),
        ("bring back the Starter Pack SRV-4410, reopen it", "reactivate"),
        ("suspends la licence de Julie pendant son congé", "suspend"),
        ("temporarily suspend Anna's licence", "suspend"),
    ],
)
def test_a_reverse_action_is_a_near_miss_not_the_procedure_it_sounds_like(
    text: str, near_miss: str
) -> None:
    result = read(text)
    assert (result.intent, result.near_miss) == (None, near_miss)


@pytest.mark.parametrize(
    "text",
    [
        "pas de portabilité : je veux juste dissocier le 04 91 00 00 01 de sa licence",
        "I'm not porting it, just detach 04 91 00 00 01 from the licence",
    ],
)
def test_a_near_miss_named_in_a_negated_clause_asks_nothing(text: str) -> None:
    assert read(text).intent == "dissociate_number"


def test_a_branch_missing_from_a_clients_sites_is_a_site_to_add_not_the_portal_question() -> None:
    result = read("le client a ouvert une boutique à Bayeux et elle n'apparaît pas dans ses sites")
    assert (result.question, result.intent) == (None, "add_site")


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # « coûte » is a price word, « nom » a renaming one: the model, sure, overrules them
        (
            "la licence FPC367201 coûte pour rien, personne ne s'en sert, résilie-la",
            "cancel_licences",
        ),
        (
            "Garage du Port ouvre un second local : ajoute le site Dépôt Sud, 3 rue des Lilas "
            "13002 Marseille, nom du site Dépôt Sud",
            "add_site",
        ),
    ],
)
def test_a_near_miss_word_does_not_veto_what_the_model_is_sure_of(text: str, intent: str) -> None:
    assert read(text).intent == intent


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("à qui est attribué le 02 99 44 55 66 ?", "data_question"),
        ("la licence porte encore le 04 91 00 00 01, il faut l'enlever", "dissociate_number"),
        ("Super, merci", "thanks"),
    ],
)
def test_words_that_only_look_like_a_near_miss_are_read_for_what_they_say(
    text: str, intent: str
) -> None:
    assert read(text).intent == intent


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("résiliation totale du service SRV-4821 svp", "cancel_starter_pack"),
        ("terminate service SRV-7719 in full", "cancel_starter_pack"),
        ("résilie 2 licences full du SRV-1001", "cancel_licences"),
    ],
)
def test_a_service_reference_cancelled_is_the_starter_pack(text: str, intent: str) -> None:
    assert read(text).intent == intent


@pytest.mark.parametrize(
    "text",
    [
        "le 04 91 00 00 01 est-il rattaché à une licence ?",
        "combien de licences résilié chez Garage du Port",
        "how mny licences were cancelled for Garage du Port",
        "liste des licences suspendues chez Garage du Port",
        "combien de commandes de résiliation sont en attente ?",
    ],
)
def test_a_question_about_a_state_asks_about_ones_data(text: str) -> None:
    # a participle after what is counted, a yes/no question, a state named by a near miss's
    # word (« suspendues »): described, not asked for
    assert read(text).intent == "data_question"


def test_a_yes_no_question_the_model_reads_as_a_procedure_offers_both() -> None:
    analysis = analyse("is licence FPC367101 attached to Agence Aix?", CLIENTS, SITES)
    found = scores(analysis, None)
    assert found.rules["data_question"] == 1.0
    leaning = replace(found, model={**found.model, "change_licence_site": 0.7, "none": 0.0,
                                    "data_question": 0.3})  # fmt: skip
    decision = decide(leaning)
    assert (decision.intent, decision.suggestions) == (
        None,
        ("change_licence_site", "data_question"),
    )


def test_a_request_the_model_is_sure_of_is_not_offered_again_for_a_question_mark() -> None:
    result = read("tu peux résilier la licence FPC367105 ?")
    assert (result.intent, result.suggestions) == ("cancel_licences", ())


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("don't cancel the number, just take it off licence FPC367101", "dissociate_number"),
        (
            "je veux pas résilier le numéro, juste l'enlever de la licence FPC367101",
            "dissociate_number",
        ),
        ("ne résilie pas la licence de Julie, déplace-la sur Agence Aix", "change_licence_site"),
        ("ne résilie pas tout le pack, uniquement la licence FPC367101", "cancel_licences"),
    ],
)
def test_a_pronoun_after_a_negated_clause_stands_for_what_it_named(text: str, intent: str) -> None:
    assert read(text).intent == intent


@pytest.mark.parametrize(
    ("text", "intent", "question"),
    [
        ("quelles commandes de résiliation sont en attente chez Garage du Port ?",
         "data_question", None),
        ("there is a number on it so I cannot cancel the licence, take the number off first",
         "dissociate_number", None),
        ("pourquoi je ne peux pas résilier la licence FPC367101 ?",
         "cancel_licences", "why_cannot_cancel"),
        ("où en est la commande de résiliation de Garage du Port ?", "order_followup", None),
    ],
)  # fmt: skip
def test_a_portal_question_or_an_order_state_gives_way_when_the_model_is_sure_of_another(
    text: str, intent: str, question: str | None
) -> None:
    result = read(text)
    assert (result.intent, result.question) == (intent, question)


@pytest.mark.parametrize(
    ("text", "intent", "near_miss"),
    [
        ("y a-t-il des licences suspendues chez Garage du Port ?", "data_question", None),
        ("is FPC367101 suspended?", "data_question", None),
        ("cancel the suspended licences at Garage du Port", "cancel_licences", None),
        ("la licence de Julie doit être suspendue pendant son congé", None, "suspend"),
        ("get Anna's licence suspended for a month", None, "suspend"),
    ],
)
def test_a_state_named_by_a_participle_is_described_unless_asked_for(
    text: str, intent: str | None, near_miss: str | None
) -> None:
    result = read(text)
    assert (result.intent, result.near_miss) == (intent, near_miss)


@pytest.mark.parametrize(
    "text",
    [
        "the licence of Julie",
        "la licence de Julie",
        "licence SVI",
        "the licences of Garage du Port",
    ],
)
def test_a_thing_named_with_nothing_asked_starts_no_procedure_but_offers(text: str) -> None:
    result = read(text)
    assert result.intent is None
    assert result.suggestions


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Demat !", "greeting"),
        ("cimer", "thanks"),
        ("Passe-moi un de tes collègues en chair et en os", "handoff"),
        ("I'd like to speak to my account manager.", "handoff"),
        ("j'ai besoin de l'aide d'une personne, pas d'un robot", "handoff"),
    ],
)
def test_greetings_thanks_and_a_person_in_other_words(text: str, intent: str) -> None:
    assert read(text).intent == intent


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("quel est le SRV de Garage du Port ?", "data_question"),
        ("what's the SRV for Cabinet Azur?", "data_question"),
        ("résilie le SRV du Cabinet Azur, ils partent", "cancel_starter_pack"),
    ],
)
def test_a_services_reference_word_names_the_service(text: str, intent: str) -> None:
    assert read(text).intent == intent



@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Ma demande de dissociation du 04 91 00 00 02 a-t-elle été prise en compte ?",
         "order_followup"),
        ("any news on the site change I put in on Monday?", "order_followup"),
        ("je demande la résiliation de la licence FPC367101", "cancel_licences"),
        ("je demande qu'on déplace la licence de Julie sur Agence Aix", "change_licence_site"),
    ],
)  # fmt: skip
def test_a_request_already_made_is_followed_up_a_request_made_now_is_done(
    text: str, intent: str
) -> None:
    assert read(text).intent == intent


def test_taken_into_account_is_no_price() -> None:
    # « prise en compte » was corrected to « prix », a near miss that vetoed everything
    result = read("ma demande a-t-elle été prise en compte ?")
    assert result.near_miss is None


def test_a_clause_about_the_wanted_site_is_not_the_new_sites_name() -> None:
    # since a site missing from the list leads to adding one, its words must not name it
    result = read("le site voulu n'est pas proposé dans personnaliser vos licences")
    assert result.slots.new_site is None


def _leaning(text: str, **model: float) -> Scores:
    """The rules' evidence of ``text`` with the model's probabilities set by the test."""
    found = scores(analyse(text, CLIENTS, SITES), None)
    return replace(found, model={**dict.fromkeys(found.model, 0.0), **model})


def test_two_procedures_the_rules_cannot_tell_apart_are_asked_about_only_when_the_model_is_unsure(
) -> None:
    text = "le client ferme définitivement, rien ne doit rester"
    sure = decide(_leaning(text, cancel_starter_pack=0.9, cancel_licences=0.05, none=0.05))
    assert (sure.intent, sure.ambiguous, sure.suggestions) == ("cancel_starter_pack", False, ())
    unsure = decide(_leaning(text, cancel_starter_pack=0.5, cancel_licences=0.4, none=0.1))
    assert unsure.ambiguous
    assert set(unsure.suggestions) == {"cancel_starter_pack", "cancel_licences"}


def test_an_order_asked_about_gives_way_to_a_model_sure_it_is_out_of_scope() -> None:
    # « annule ma commande de casques »: an order, but of handsets, which OpenIP sells elsewhere
    text = "annule ma commande de casques"
    assert decide(_leaning(text, none=0.9, order_followup=0.1)).intent is None
    assert decide(_leaning(text, none=0.5, order_followup=0.5)).intent == "order_followup"


def test_a_bare_verb_naming_two_procedures_asks_which_unless_the_model_is_sure_of_a_third() -> None:
    text = "on enlève ?"
    leaning = decide(_leaning(text, dissociate_number=0.69, cancel_licences=0.06, none=0.25))
    assert leaning.ambiguous
    assert set(leaning.suggestions) == {"cancel_licences", "cancel_starter_pack"}
    sure = decide(_leaning(text, dissociate_number=0.9, cancel_licences=0.05, none=0.05))
    assert (sure.intent, sure.ambiguous) == ("dissociate_number", False)


def test_separating_a_number_from_its_licence_dissociates_it() -> None:
    assert read("sépare le 04 91 00 00 01 de la licence FPC367101").intent == "dissociate_number"
    assert read("désolidarise le 04 91 00 00 01 de FPC367101").intent == "dissociate_number"


@pytest.mark.parametrize("text", ["confirmer", "je confirme", "valider", "yes", "oui"])
def test_a_confirmation_word_typed_outside_a_confirmation_asks_for_nothing(text: str) -> None:
    result = read(text)
    assert (result.intent, result.suggestions) == (None, ())


def test_the_weight_table_keeps_every_weight_exactly_through_its_binary_block() -> None:
    from dialogs.understanding.model import LinearModel, read_table
    from dialogs.understanding.training import table

    trained = LinearModel(
        labels=("a", "b"),
        intercepts=(0.1, -0.1),
        weights={"g:ab": (1.2345, -0.0001), "w:x": (3.0, 1e-4)},
        idf={"g:ab": 1.5, "w:x": 2.25},
    )
    read = read_table(json.loads(json.dumps(table(trained, utterances("train")[:3]))))
    assert {name: tuple(read.weights[name]) for name in read.weights} == trained.weights
    assert dict(read.idf) == trained.idf
    assert read.probabilities(["g:ab", "w:x"]) == trained.probabilities(["g:ab", "w:x"])
    assert "n:unknown" not in read.weights
