"""intent examples: « Vouliez-vous dire » choices kept for review

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 08:40:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | Sequence[str] | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('intent_examples',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('handle', sa.String(length=80), nullable=True),
    sa.Column('text', sa.String(length=500), nullable=False),
    sa.Column('lang', sa.String(length=2), nullable=False),
    sa.Column('offered', sa.JSON(), nullable=False),
    sa.Column('chosen', sa.String(length=40), nullable=True),
    sa.Column('reviewed', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_intent_examples_at'), 'intent_examples', ['at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_intent_examples_at'), table_name='intent_examples')
    op.drop_table('intent_examples')
