"""Use cases: each takes a unit of work, the actor and a command, and commits once or not at all."""

from domain.services.licences import (
    cancel_licences,
    change_licence_site,
    preview_cancellation,
    preview_site_change,
)
from domain.services.numbers import dissociate_number
from domain.services.order_life import (
    due_for_expiry,
    expire_order,
    record_client_signature,
    resend_signature_request,
    validate_order,
    withdraw_order,
)
from domain.services.order_reads import list_orders, order_details, pending_order_of
from domain.services.orders import cancel_starter_pack, preview_starter_pack_cancellation
from domain.services.reads import (
    client_details,
    list_clients,
    locate,
    service_details,
    services_of,
)
from domain.services.sites import add_site, check_site_name

__all__ = [
    "add_site",
    "cancel_licences",
    "cancel_starter_pack",
    "change_licence_site",
    "check_site_name",
    "client_details",
    "dissociate_number",
    "due_for_expiry",
    "expire_order",
    "list_clients",
    "list_orders",
    "locate",
    "order_details",
    "pending_order_of",
    "preview_cancellation",
    "preview_site_change",
    "preview_starter_pack_cancellation",
    "record_client_signature",
    "resend_signature_request",
    "service_details",
    "services_of",
    "validate_order",
    "withdraw_order",
]
