"""A service as text, as the portal's « Détails » and « Utilisateurs » tabs show it (read-only)."""

from __future__ import annotations

from dialogs.texts import Lang, say
from domain.catalog import LICENCE_TYPES
from domain.phone import national_format
from domain.views import ServiceDetails


def service_text(lang: Lang, details: ServiceDetails) -> str:
    """A service: client, state, sites, counts per licence type, every licence."""
    lines = [
        say(
            lang,
            "lookup.service_header",
            ref=details.ref,
            name=details.name,
            client=details.client,
            client_ref=details.client_ref,
            state=details.state,
        ),
        say(lang, "lookup.sites", sites=", ".join(details.sites)),
        say(lang, "lookup.counts_header"),
    ]
    total_active = total_subscribed = 0
    for slug, count in details.counts.items():
        lines.append(f"  {LICENCE_TYPES[slug]:<30} {count.active} / {count.subscribed}")
        total_active += count.active
        total_subscribed += count.subscribed
    lines.append(f"  {say(lang, 'lookup.total'):<30} {total_active} / {total_subscribed}")
    lines.append(say(lang, "lookup.licences_header"))
    for lic in details.licences:
        sda = national_format(lic.sda) if lic.sda else say(lang, "lookup.no_number")
        state = say(lang, f"lookup.state_{lic.state}")
        lines.append(f"  {lic.id}  {LICENCE_TYPES[lic.type]:<30} {state:<10} {lic.site:<16} {sda}")
    return "\n".join(lines)
