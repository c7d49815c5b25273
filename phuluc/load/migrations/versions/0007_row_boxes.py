"""Where each row is printed (`rows.bbox`, JSON [x0, top, x1, bottom] as fractions of its page), so that a
finding made from stored rows (a conflict between two submissions, a unit re-resolved by hand) frames
its row as one made at ingest does. Rows loaded before this revision have none.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("rows") as batch:
        batch.add_column(sa.Column("bbox", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("rows") as batch:
        batch.drop_column("bbox")
