"""orders' life: final, withdrawn, expired; the signature request's channel and delivery

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 08:10:00

Orders "validated" become "final". Until now no signature request was ever sent (the assistant
only claimed it), so waiting orders are marked as to be sent from MyOpenIP, with no delivery time.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | Sequence[str] | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW_COLUMNS = (
    ('request_attempts', sa.Integer(), '0'),
    ('request_channel', sa.String(length=10), 'portal'),
)
NULLABLE_COLUMNS = (
    sa.Column('request_next_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('request_error', sa.String(length=300), nullable=True),
    sa.Column('ended_by', sa.String(length=80), nullable=True),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('end_reason', sa.String(length=60), nullable=True),
)


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('orders', schema=None) as batch_op:
        for name, type_, default in NEW_COLUMNS:
            batch_op.add_column(
                sa.Column(name, type_, nullable=False, server_default=sa.text(f"'{default}'"))
            )
        for column in NULLABLE_COLUMNS:
            batch_op.add_column(column)
        batch_op.create_index(batch_op.f('ix_orders_status'), ['status'], unique=False)
    with op.batch_alter_table('orders', schema=None) as batch_op:
        for name, type_, _default in NEW_COLUMNS:
            batch_op.alter_column(name, existing_type=type_, server_default=None)
    op.execute(
        "UPDATE orders SET status = 'final', ended_at = validated_at, ended_by = validated_by, "
        "end_reason = 'final_validation' WHERE status = 'validated'"
    )
    op.execute("UPDATE orders SET notified_at = NULL WHERE status = 'awaiting_signature'")


def downgrade() -> None:
    """Downgrade schema."""
    op.execute("UPDATE orders SET status = 'validated' WHERE status = 'final'")
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_orders_status'))
        for column in NULLABLE_COLUMNS:
            batch_op.drop_column(column.name)
        for name, _type, _default in NEW_COLUMNS:
            batch_op.drop_column(name)
