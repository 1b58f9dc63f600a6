"""Query helpers several apps share."""

from __future__ import annotations

from django.db import models


@models.ForeignKey.register_lookup
class InIds(models.Lookup):
    """``org_id__in_ids=ids``: membership of a long list of ids. On PostgreSQL the list is
    sent as one array parameter (``= ANY(%s)``), which plans and binds far faster than an
    IN list of thousands of parameters; elsewhere it is an ordinary IN."""

    lookup_name = "in_ids"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        ids = sorted(int(pk) for pk in self.rhs)
        if not ids:
            return "1 = 0", []
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s::bigint[])", [*lhs_params, ids]
        marks = ", ".join(["%s"] * len(ids))
        return f"{lhs} IN ({marks})", [*lhs_params, *ids]
