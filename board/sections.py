"""The sections other apps add to the board (core.registry.board_sections), read once for an
organisation and month and drawn in order on the dashboard and in every board-pack format."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from core.registry import BoardSection, board_sections


@dataclass(frozen=True)
class DrawnSection:
    """A registered section with its figures for the organisation and month drawn."""

    section: BoardSection
    data: Any

    @property
    def source_line(self) -> str:
        return self.section.source(self.data)


def board_sections_read(org, *, month: dt.date | None) -> list[DrawnSection]:
    """Each registered section that has something to show for ``org``, in order."""
    drawn = []
    for section in board_sections:
        data = section.read(org, month=month)
        if data is not None:
            drawn.append(DrawnSection(section, data))
    return drawn
