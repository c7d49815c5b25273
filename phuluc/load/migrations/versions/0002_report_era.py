"""The register a report's rows resolve to, stored with the report (`reports.era`): a late report
that still prints the former units reads them in the legacy register, which its period does not
tell, and unit codes are reused across registers.

Reports loaded before this revision had their units recorded in the register of their period (or,
for 2025, their date); that is the era they are given.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from phuluc.normalize.units import era_for

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_REPORTS = sa.table("reports", sa.column("id", sa.Integer()), sa.column("period", sa.String()),
                    sa.column("date", sa.Date()), sa.column("era", sa.String()))


def upgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.add_column(sa.Column("era", sa.String(), nullable=True))
    _fill_era()
    with op.batch_alter_table("reports") as batch:
        batch.alter_column("era", existing_type=sa.String(), nullable=False)


def _fill_era() -> None:
    """Each stored report's era as the loader before this revision worked it out."""
    connection = op.get_bind()
    reports = connection.execute(sa.select(_REPORTS.c.id, _REPORTS.c.period, _REPORTS.c.date)).all()
    eras = [{"report": id_, "era": era_for(period, _iso(date))} for id_, period, date in reports]
    if eras:
        connection.execute(
            _REPORTS.update().where(_REPORTS.c.id == sa.bindparam("report")).values(era=sa.bindparam("era")),
            eras,
        )


def _iso(date: dt.date | None) -> str | None:
    return date.isoformat() if date else None


def downgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.drop_column("era")
