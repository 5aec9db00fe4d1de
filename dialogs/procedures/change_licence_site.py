"""Changer l'adresse (le site) de licences — fiche « Changer l'adresse d'une licence »."""

from __future__ import annotations

from dialogs import commitment
from dialogs.procedures._portal import LOGIN, TO_THE_SERVICE
from dialogs.questions.common import ClientQuestion, LicencesQuestion, ServiceQuestion, SiteQuestion
from dialogs.spec import Ask, Branch, Outcome, Procedure, Step
from dialogs.turn import Turn
from domain.commands import ChangeLicenceSite
from domain.phone import national_format
from domain.services import change_licence_site, preview_site_change
from domain.views import SiteChangePreview


class MovedLicencesQuestion(LicencesQuestion):
    prompt_key = "change_licence_site.ask.licences"


class DestinationQuestion(SiteQuestion):
    prompt_key = "change_licence_site.ask.site"


def _command(turn: Turn) -> ChangeLicenceSite:
    a = turn.answers
    return ChangeLicenceSite(a["service"], tuple(a["licences"]), a["site"])


def _notes(turn: Turn, preview: SiteChangePreview) -> str:
    """The zone warnings and the licences already on the site, one line each."""
    lines = [
        turn.say(
            "change_licence_site.zone_warning",
            licence=w.licence_id,
            number=national_format(w.number),
            number_zone=f"0{w.number_zone}",
            site_zone=f"0{w.site_zone}",
            postal_code=preview.site.postal_code,
        )
        for w in preview.warnings
    ]
    if preview.already_there:
        lines.append(
            turn.say("change_licence_site.already_there", ids=", ".join(preview.already_there))
        )
    return "".join(f"\n{line}" for line in lines)


def summary(turn: Turn) -> str:
    preview = turn.domain.read(preview_site_change, _command(turn))
    details = turn.domain.service(preview.service_ref)
    listed = [lic for i in preview.licence_ids for lic in details.licences if lic.id == i]
    commitment.bind(turn, details.ref, listed, {"site": preview.site.name})
    return turn.say(
        "change_licence_site.summary",
        client=details.client,
        service=preview.service_ref,
        ids=list(preview.licence_ids),
        site=preview.site.name,
        address=preview.site.address,
        notes=_notes(turn, preview),
    )


def perform(turn: Turn) -> Outcome:
    a = turn.answers
    site = commitment.extra(turn)["site"]
    cmd = ChangeLicenceSite(a["service"], commitment.ids(turn), site, commitment.versions(turn))
    moved = turn.domain.change(change_licence_site, cmd).preview
    ids = [i for i in moved.licence_ids if i not in moved.already_there]
    if not ids:  # every one was on that site already: nothing moved
        there = list(moved.already_there)
        return Outcome(turn.say("change_licence_site.none_moved", ids=there, site=moved.site.name))
    return Outcome(
        turn.say(
            "change_licence_site.done",
            ids=ids,
            site=moved.site.name,
            address=moved.site.address,
            service=moved.service_ref,
        ),
        record=turn.say("change_licence_site.record", ids=ids, site=moved.site.name),
    )


PROCEDURE = Procedure(
    id="change_licence_site",
    menu=3,
    guide=(
        LOGIN,
        Step("prerequisite", branches=(Branch("no_site_yet", call="add_site", call_mode="guide"),)),
        *TO_THE_SERVICE,
        Step("utilisateurs"),
        Step("filters"),
        Step("select"),
        Step("actions"),
        Step("parameter"),
        Step("choose_site", branches=(Branch("site_missing", to="g_site_missing"),)),
        Step("validate"),
    ),
    guide_extra=(
        Step(
            "site_missing",
            back_to="g_choose_site",
            branches=(
                Branch(
                    "add_site_guide", call="add_site", call_mode="guide", resume="g_choose_site"
                ),
            ),
        ),
    ),
    act=(
        Ask("client", ClientQuestion()),
        Ask("service", ServiceQuestion()),
        Ask("licences", MovedLicencesQuestion()),
        Ask(
            "site",
            DestinationQuestion(),
            branches=(
                Branch(
                    "add_site",
                    call="add_site",
                    call_mode="act",
                    give=("client", "name"),  # a new site named in the first sentence
                    take=(("site_created", "site"),),
                    act_only=True,
                ),
            ),
        ),
    ),
    summary=summary,
    perform=perform,
    on_error={
        "licence_not_active": "a_licences",
    },
)
