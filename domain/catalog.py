"""The MetaCentrex catalogue: licence types, service and product names as the portal labels them."""

from __future__ import annotations

from domain.errors import UnknownLicenceType

LICENCE_TYPES: dict[str, str] = {
    "simple": "Licence simple",
    "full": "Licence full",
    "full_avancee": "Licence full avancée",
    "full_meeting": "Licence full meeting",
    "full_meeting_avancee": "Licence full meeting avancée",
    "full_conferencing": "Licence full conferencing",
    "fax_entreprise": "Licence fax entreprise",
    "svi": "Licence SVI",
    "svi_avancee": "Licence SVI avancée",
}

SERVICE_TYPE = "MetaCentrex"
STARTER_PACK = "Starter Pack"


def licence_label(slug: str) -> str:
    """Return the portal's label of a licence type slug."""
    return LICENCE_TYPES[check_licence_type(slug)]


def check_licence_type(slug: str) -> str:
    """Return ``slug`` if it names a licence type, else raise :class:`UnknownLicenceType`."""
    if slug not in LICENCE_TYPES:
        raise UnknownLicenceType(slug, tuple(LICENCE_TYPES))
    return slug
