"""The board dashboard: headline cards, SPC charts, variation by place, PCN and practice,
what needs attention and a summary for escalation, for an ICB and, by drill-down, a place,
a PCN or a practice. The board pack (board/pack/) is built from the same reads."""
