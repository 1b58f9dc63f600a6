"""The board: the access dashboard and the board pack (PDF, slides and workbook), drawn from
the GP appointments figures and from the sections other apps register (core.registry)."""
