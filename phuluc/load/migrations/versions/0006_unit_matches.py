"""A review queue for unit names (issue 12): how each row's unit was matched (`rows.match_via`, its
score and its lead over the runner-up), the province that scopes a report's aliases
(`reports.province_code`), the rulings in force on printed names (`unit_aliases`) and every ruling made
(`unit_decisions`). Rows loaded before this revision have no match recorded; a report's province code is
found again from its issuer and the province name it stored.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from phuluc.normalize.units import ERAS, Register

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_MATCHES = (("match_via", sa.String(16)), ("match_score", sa.Float()), ("match_margin", sa.Float()))
_REPORTS = sa.table("reports", sa.column("id", sa.Integer()), sa.column("issuer_code", sa.String()),
                    sa.column("province", sa.String()), sa.column("province_code", sa.String()))


def upgrade() -> None:
    with op.batch_alter_table("rows") as batch:
        for name, kind in _MATCHES:
            batch.add_column(sa.Column(name, kind, nullable=True))
    with op.batch_alter_table("reports") as batch:
        batch.add_column(sa.Column("province_code", sa.String(), nullable=True))
    _fill_province_codes()
    op.create_table(
        "unit_aliases",
        sa.Column("id", sa.Integer(), nullable=False),
        *_ruling(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit_aliases")),
        sa.UniqueConstraint("name", "province", "era", name=op.f("uq_unit_aliases_name_province_era")),
    )
    op.create_table(
        "unit_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        *_ruling(),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("printed", sa.String(), nullable=False),
        sa.Column("unit", sa.String(), nullable=True),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit_decisions")),
    )


def _ruling() -> tuple[sa.Column, ...]:
    """The columns of a ruling, which both tables hold: the printed name (folded), where, what, who, when."""
    return (sa.Column("name", sa.String(), nullable=False), sa.Column("province", sa.String(), nullable=False),
            sa.Column("era", sa.String(), nullable=False), sa.Column("unit_code", sa.String(), nullable=True),
            sa.Column("decided_by", sa.String(), nullable=False),
            sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False))


def _fill_province_codes() -> None:
    """Each stored report's province code: that of the province its issuer belongs to in whichever register
    gives the province name the report stored (an issuer's code may be reused in the other register)."""
    connection = op.get_bind()
    reports = connection.execute(sa.select(_REPORTS.c.id, _REPORTS.c.issuer_code, _REPORTS.c.province)
                                 .where(_REPORTS.c.issuer_code.is_not(None))).all()
    codes = [{"report": id_, "code": code} for id_, issuer, province in reports
             if (code := _province_code(issuer, province)) is not None]
    if codes:
        connection.execute(_REPORTS.update().where(_REPORTS.c.id == sa.bindparam("report"))
                           .values(province_code=sa.bindparam("code")), codes)


def _province_code(issuer: str, province: str | None) -> str | None:
    from phuluc.normalize.report import province_name  # 0.3 s, which every open of a database would pay

    register = Register.load()
    units = (register.get(issuer, era) for era in ERAS)
    provinces = (register.province_of(u) for u in units if u is not None)
    return next((p.code for p in provinces if p is not None and province_name(p) == province), None)


def downgrade() -> None:
    op.drop_table("unit_decisions")
    op.drop_table("unit_aliases")
    with op.batch_alter_table("reports") as batch:
        batch.drop_column("province_code")
    with op.batch_alter_table("rows") as batch:
        for name, _ in reversed(_MATCHES):
            batch.drop_column(name)
