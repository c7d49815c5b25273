"""Where each finding is (issue 12): the row's position in its table and its STT, the field of the
row it is about ("values[3]", "total", "rating"), that criterion's label as printed, the printed cells
it rests on and the row's box on its page, so that an auditor finds it without hunting. Findings
loaded before this revision have none of these.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = (("row_position", sa.Integer()), ("stt", sa.String()), ("about", sa.String()),
            ("criterion", sa.String()), ("cells", sa.String()), ("bbox", sa.String()))


def upgrade() -> None:
    with op.batch_alter_table("findings") as batch:
        for name, kind in _COLUMNS:
            batch.add_column(sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("findings") as batch:
        for name, _ in reversed(_COLUMNS):
            batch.drop_column(name)
