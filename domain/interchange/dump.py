"""Writing the whole model out as rows, in the order an import loads them back."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from domain.interchange.load import MODELS
from domain.interchange.rows import KINDS, Row, dump
from domain.model import Offer, Order


def export_rows(session: Session) -> Iterator[Row]:
    """Every object of the model as a canonical row: kind by kind, each in creation order."""
    for kind in KINDS:
        model = MODELS[kind]
        query = select(model).order_by(*model.__table__.primary_key)
        if model is Offer:
            query = query.options(selectinload(Offer.products))
        if model is Order:
            query = query.options(selectinload(Order.lines))
        for obj in session.scalars(query).all():
            yield dump(obj)
