"""The occupation classification (职业分类大典 2022) as imported: one row per code, any level."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.database import Base


class Occupation(Base):
    """One code of the classification: 1 大类, 2 中类, 3 小类 or 4 细类."""

    __tablename__ = "occupations"

    code: Mapped[str] = mapped_column(String(12), primary_key=True)  # e.g. 6-18-02-04
    name: Mapped[str] = mapped_column(String(120))
    level: Mapped[int] = mapped_column(Integer, index=True)
    # the nearest coarser code present (a 细类's 小类, or its 中类 when it has no 小类)
    parent_code: Mapped[str | None] = mapped_column(
        ForeignKey("occupations.code", ondelete="RESTRICT"), index=True
    )
    definition: Mapped[str] = mapped_column(Text, default="")
    tasks: Mapped[str] = mapped_column(Text, default="")
    # job titles that mean this occupation, comma-separated as in the published file
    aliases: Mapped[str] = mapped_column(Text, default="")
