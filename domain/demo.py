"""The demo data set: two resellers, three clients, their services, offers and licences."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.model import (
    Base,
    BotUser,
    Client,
    Contact,
    Licence,
    Number,
    Offer,
    ProductSheet,
    Reseller,
    Role,
    Service,
    Site,
)
from domain.queries import site_key

_ALPHA, _BETA = "Alpha Télécom", "Beta Réseaux"
_USERS = [
    ("operateur", Role.OPERATOR, None),
    ("revendeur-alpha", Role.RESELLER, _ALPHA),
    ("revendeur-beta", Role.RESELLER, _BETA),
    ("helpdesk", Role.HELPDESK, None),
]
# (reseller, name, account, sites, contacts, service ref, offer ref, products, licences)
# licences: (id, type, number or None); numbers listed in the offer but with no licence: extra
_CLIENTS: list[tuple[Any, ...]] = [
    (
        _ALPHA,
        "Cabinet Azur",
        "CA-1001",
        [
            ("Siège Social", "12 rue de la République", "13001", "Marseille", "+33491000000"),
            ("Agence Aix", "5 cours Mirabeau", "13100", "Aix-en-Provence", None),
        ],
        [("Service informatique", "it@cabinet-azur.example", "+33491000009")],
        "SRV-1001",
        "OFF-1001",
        ["Starter Pack", "Option enregistrement des appels"],
        [
            ("FPC367101", "full", "+33491000001"),
            ("FPC367102", "full", "+33491000002"),
            ("FPC367103", "full", "+33491000003"),
            ("FPC367104", "full", "+33491000004"),
            ("FPC367105", "full", None),
            ("FPC367106", "full", None),
            ("FPC367123", "svi", None),
            ("FPC367124", "svi_avancee", "+33491000010"),
            ("FPC367127", "fax_entreprise", "+33491000020"),
            ("FPC367128", "full_conferencing", None),
            ("FPC367129", "full_meeting_avancee", None),
        ],
        [],
    ),
    (
        _ALPHA,
        "Garage du Port",
        "CA-1002",
        [("Atelier", "3 quai du Port", "13002", "Marseille", None)],
        [("Accueil", "accueil@garage-du-port.example", "+33491000100")],
        "SRV-1002",
        "OFF-1002",
        ["Starter Pack"],
        [
            ("FPC367201", "full", "+33491000101"),
            ("FPC367202", "full", None),
            ("FPC367203", "simple", None),
        ],
        ["+33491000102"],
    ),
    (
        _BETA,
        "Hôtel des Pins",
        "CA-2001",
        [("Réception", "1 avenue des Pins", "06400", "Cannes", None)],
        [],
        "SRV-2001",
        "OFF-2001",
        ["Starter Pack"],
        [("FPC367301", "full", None), ("FPC367302", "full", "+33493000001")],
        [],
    ),
]


def is_empty(session: Session) -> bool:
    """True when no table of the model holds a row."""
    return all(
        session.scalar(select(func.count()).select_from(table)) == 0
        for table in Base.metadata.sorted_tables
    )


def load_demo(session: Session) -> None:
    """Add the demo data set to the session (the caller commits)."""
    resellers = {name: Reseller(name=name) for name in (_ALPHA, _BETA)}
    session.add_all(resellers.values())
    for handle, role, reseller in _USERS:
        session.add(
            BotUser(handle=handle, role=role, reseller=resellers[reseller] if reseller else None)
        )
    for (
        reseller,
        name,
        account,
        sites,
        contacts,
        srv,
        off,
        products,
        licences,
        spare_numbers,
    ) in _CLIENTS:
        client = Client(name=name, account_ref=account, reseller=resellers[reseller])
        client.sites = [
            Site(name=n, name_key=site_key(n), street=st, postal_code=pc, city=c, phone=ph)
            for n, st, pc, c, ph in sites
        ]
        client.contacts = [Contact(name=n, email=e, phone=p) for n, e, p in contacts]
        home = client.sites[0]
        service = Service(ref=srv, name=f"MetaCentrex {name}", client=client, site=home)
        offer = Offer(ref=off, service=service)
        offer.products = [ProductSheet(name=p) for p in products]
        for licence_id, licence_type, sda in licences:
            licence = Licence(id=licence_id, type=licence_type, service=service, site=home)
            if sda:
                offer.numbers.append(Number(e164=sda, licence=licence))
        offer.numbers.extend(Number(e164=sda) for sda in spare_numbers)
        session.add(client)
