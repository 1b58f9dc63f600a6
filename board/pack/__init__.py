"""Board packs: the dashboard for one organisation and month, made in the background as a
PDF (with a cover sheet), a slide deck with editable charts and a workbook of its tables,
then kept so they can be downloaded again."""
