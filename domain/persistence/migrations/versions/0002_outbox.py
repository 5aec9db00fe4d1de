"""the outbox of replies

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 08:10:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: str | Sequence[str] | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('chat_key', sa.String(length=80), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('reply', sa.JSON(), nullable=False),
    sa.Column('edit_of', sa.BigInteger(), nullable=True),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('sent_parts', sa.Integer(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('not_before', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('chat_key', 'seq', name='uq_outbox_chat_seq')
    )
    op.create_index('ix_outbox_state_chat', 'outbox', ['state', 'chat_key'], unique=False)
    op.create_table('outbox_chats',
    sa.Column('chat_key', sa.String(length=80), nullable=False),
    sa.Column('last_seq', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('chat_key')
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('outbox_chats')
    op.drop_index('ix_outbox_state_chat', table_name='outbox')
    op.drop_table('outbox')
