"""The MyOpenIP model as the fiches show it, mapped with SQLAlchemy 2 typed declarations.

Entities carry data and small invariants; the rules that span several of them live in
``domain.rules`` and the use cases in ``domain.services``.
"""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from domain.catalog import SERVICE_TYPE


def utcnow() -> datetime:
    """Return the current time in UTC (aware)."""
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """An aware UTC datetime (a naive one is taken as UTC: SQLite gives back the naive datetimes
    that were stored in UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base of every table of the project."""

    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class Role(enum.StrEnum):
    OPERATOR = "operator"
    RESELLER = "reseller"
    HELPDESK = "helpdesk"


class ServiceState(enum.StrEnum):
    ACTIVE = "Actif"
    CANCELLATION_PENDING = "Résiliation en cours"
    CANCELLED = "Résilié"


class LicenceState(enum.StrEnum):
    ACTIVE = "active"
    CANCELLED = "cancelled"


class NumberState(enum.StrEnum):
    IN_SERVICE = "in_service"
    RELEASED = "released"


class OrderStatus(enum.StrEnum):
    """An order's life: it waits for the client's signature, then ends one of three ways."""

    AWAITING_SIGNATURE = "awaiting_signature"
    FINAL = "final"  # signed by the client, or the operator's final validation
    WITHDRAWN = "withdrawn"  # by the reseller or the operator, before any signature
    EXPIRED = "expired"  # unsigned after the time allowed (OPENIP_BOT_ORDER_TTL_DAYS)


class RequestChannel(enum.StrEnum):
    """How the signature request reaches the client."""

    EMAIL = "email"  # sent by the assistant through SMTP
    PORTAL = "portal"  # to be sent from MyOpenIP (« Notifier le client pour validation »)


class Reseller(Base):
    __tablename__ = "resellers"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    clients: Mapped[list[Client]] = relationship(back_populates="reseller")


class Client(Base):
    __tablename__ = "clients"
    id: Mapped[int] = mapped_column(primary_key=True)
    reseller_id: Mapped[int] = mapped_column(ForeignKey("resellers.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    account_ref: Mapped[str] = mapped_column(String(50), unique=True)
    reseller: Mapped[Reseller] = relationship(back_populates="clients")
    sites: Mapped[list[Site]] = relationship(back_populates="client", order_by="Site.id")
    contacts: Mapped[list[Contact]] = relationship(back_populates="client", order_by="Contact.id")
    services: Mapped[list[Service]] = relationship(back_populates="client", order_by="Service.id")


class Site(Base):
    __tablename__ = "sites"
    __table_args__ = (UniqueConstraint("client_id", "name_key", name="uq_site_client_name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    name: Mapped[str] = mapped_column(String(120))
    name_key: Mapped[str] = mapped_column(String(120))
    street: Mapped[str] = mapped_column(String(200))
    postal_code: Mapped[str] = mapped_column(String(5))
    city: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(20))
    client: Mapped[Client] = relationship(back_populates="sites")

    @property
    def address(self) -> str:
        return f"{self.street}, {self.postal_code} {self.city}"


class Contact(Base):
    __tablename__ = "contacts"
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254))
    phone: Mapped[str] = mapped_column(String(20))
    client: Mapped[Client] = relationship(back_populates="contacts")


class Service(Base):
    __tablename__ = "services"
    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(50), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    type: Mapped[str] = mapped_column(String(50), default=SERVICE_TYPE)
    state: Mapped[ServiceState] = mapped_column(String(30), default=ServiceState.ACTIVE)
    version: Mapped[int] = mapped_column(Integer, default=1)
    client: Mapped[Client] = relationship(back_populates="services")
    site: Mapped[Site] = relationship()
    licences: Mapped[list[Licence]] = relationship(back_populates="service", order_by="Licence.id")
    offer: Mapped[Offer | None] = relationship(back_populates="service")
    __mapper_args__ = {"version_id_col": version}


class Offer(Base):
    """A contracted offer (offre contractée): product sheets and numbers (SDA)."""

    __tablename__ = "offers"
    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(50), unique=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), unique=True)
    service: Mapped[Service] = relationship(back_populates="offer")
    products: Mapped[list[ProductSheet]] = relationship(
        back_populates="offer", order_by="ProductSheet.id"
    )
    numbers: Mapped[list[Number]] = relationship(back_populates="offer", order_by="Number.e164")


class ProductSheet(Base):
    """A product sheet (fiche produit) of an offer: the Starter Pack or an option."""

    __tablename__ = "product_sheets"
    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    offer: Mapped[Offer] = relationship(back_populates="products")


class Number(Base):
    """A number (SDA) held by an offer, stored in E.164, optionally associated with a licence."""

    __tablename__ = "numbers"
    id: Mapped[int] = mapped_column(primary_key=True)
    e164: Mapped[str] = mapped_column(String(20), unique=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id"), index=True)
    licence_id: Mapped[str | None] = mapped_column(ForeignKey("licences.id"), unique=True)
    state: Mapped[NumberState] = mapped_column(String(20), default=NumberState.IN_SERVICE)
    version: Mapped[int] = mapped_column(Integer, default=1)
    offer: Mapped[Offer] = relationship(back_populates="numbers")
    licence: Mapped[Licence | None] = relationship(back_populates="number")
    __mapper_args__ = {"version_id_col": version}


class Licence(Base):
    __tablename__ = "licences"
    id: Mapped[str] = mapped_column(String(20), primary_key=True)
    type: Mapped[str] = mapped_column(String(30))
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), index=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    state: Mapped[LicenceState] = mapped_column(String(20), default=LicenceState.ACTIVE)
    version: Mapped[int] = mapped_column(Integer, default=1)
    service: Mapped[Service] = relationship(back_populates="licences")
    site: Mapped[Site] = relationship()
    number: Mapped[Number | None] = relationship(back_populates="licence")
    __mapper_args__ = {"version_id_col": version}

    @property
    def sda(self) -> str | None:
        return self.number.e164 if self.number is not None else None

    @property
    def is_active(self) -> bool:
        return self.state == LicenceState.ACTIVE


class Order(Base):
    """An order (commande) that removes an offer's product sheets and numbers."""

    __tablename__ = "orders"
    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(30), unique=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id"), index=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"))
    status: Mapped[OrderStatus] = mapped_column(String(30), index=True)
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # the signature request: its recipient, and when the assistant e-mailed it (None: not sent)
    notified_to: Mapped[str | None] = mapped_column(String(254))
    notified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    validated_by: Mapped[str | None] = mapped_column(String(80))
    validated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    request_channel: Mapped[RequestChannel] = mapped_column(
        String(10), default=RequestChannel.PORTAL
    )
    request_attempts: Mapped[int] = mapped_column(Integer, default=0)
    request_next_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    request_error: Mapped[str | None] = mapped_column(String(300))
    ended_by: Mapped[str | None] = mapped_column(String(80))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    end_reason: Mapped[str | None] = mapped_column(String(60))
    version: Mapped[int] = mapped_column(Integer, default=1)
    offer: Mapped[Offer] = relationship()
    contact: Mapped[Contact] = relationship()
    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="order", order_by="OrderLine.id", cascade="all, delete-orphan"
    )
    __mapper_args__ = {"version_id_col": version}


class OrderLine(Base):
    __tablename__ = "order_lines"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # product_sheet | number | licence
    ref: Mapped[str] = mapped_column(String(200))
    order: Mapped[Order] = relationship(back_populates="lines")


class BotUser(Base):
    __tablename__ = "bot_users"
    id: Mapped[int] = mapped_column(primary_key=True)
    handle: Mapped[str] = mapped_column(String(80), unique=True)
    role: Mapped[Role] = mapped_column(String(20))
    reseller_id: Mapped[int | None] = mapped_column(ForeignKey("resellers.id"))
    telegram_id: Mapped[int | None] = mapped_column(unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    reseller: Mapped[Reseller | None] = relationship()


class AuditEntry(Base):
    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_at", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor: Mapped[str] = mapped_column(String(80), index=True)
    action: Mapped[str] = mapped_column(String(60))
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"), index=True)
    objects: Mapped[list[Any]] = mapped_column(default=list)
    before: Mapped[dict[str, Any]] = mapped_column(default=dict)
    after: Mapped[dict[str, Any]] = mapped_column(default=dict)
