"""How orders are followed in this process: set once by the edge (``run``, ``chat``, the CLI).

``mail``: an SMTP server is configured, so the assistant e-mails signature requests itself;
otherwise it never claims to, and says the request is to be sent from MyOpenIP.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_TTL_DAYS = 30


@dataclass(frozen=True)
class OrderSettings:
    mail: bool = False
    ttl_days: int = DEFAULT_TTL_DAYS


_current = [OrderSettings()]


def order_settings() -> OrderSettings:
    """The settings in force."""
    return _current[0]


def configure_orders(settings: OrderSettings) -> None:
    """Set them (at start-up)."""
    _current[0] = settings
