"""The ARRS lists that are worked out rather than stored, as flat rows: staff in post from
``in_post_snapshots`` and money from ``published_spend``, the selectors the pages use, so
the API gives the pages' figures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from arrs.models import ArrsRole
from arrs.money import Spend
from arrs.selectors import IcbSpend, in_post_dates, in_post_snapshots, in_total
from arrs.years import fy_of
from practices.models import Organisation

PCNS_AT_A_TIME = 50


@dataclass(frozen=True)
class InPostQuery:
    pcns: Sequence[Organisation]
    roles: Sequence[ArrsRole]
    on: dt.date | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    source: str | None = None

    def dates(self, pcn_ids: list[int]) -> list[dt.date] | None:
        """The dates asked for, or None for every date held."""
        if self.on is None and self.start is None and self.end is None:
            return None
        return [day for day in in_post_dates(pcn_ids) if self._wanted(day)]

    def _wanted(self, day: dt.date) -> bool:
        return (
            (self.on is None or day == self.on)
            and (self.start is None or day >= self.start)
            and (self.end is None or day <= self.end)
        )


def in_post_rows(query: InPostQuery) -> Iterator[dict[str, Any]]:
    """A row per PCN, date and role, read a few PCNs at a time. On each date, every role in
    the scheme that year, and any other role the count gives; blank where not reported."""
    pcns = list(query.pcns)
    for start in range(0, len(pcns), PCNS_AT_A_TIME):
        chunk = pcns[start : start + PCNS_AT_A_TIME]
        ids = [pcn.pk for pcn in chunk]
        dates = query.dates(ids)
        if dates == []:
            continue
        snapshots = in_post_snapshots(ids, dates)
        for pcn in chunk:
            days = sorted(day for pcn_id, day in snapshots if pcn_id == pcn.pk)
            for day in days:
                yield from _snapshot_rows(pcn, snapshots[(pcn.pk, day)], query)


def _snapshot_rows(pcn: Organisation, snapshot, query: InPostQuery) -> Iterator[dict[str, Any]]:
    if query.source and snapshot.source != query.source:
        return
    year = fy_of(snapshot.as_at)
    for role in query.roles:
        in_scheme = role.reimbursable_from is None or role.reimbursable_from <= year
        if not in_scheme and role.pk not in snapshot.values:
            continue
        yield {
            "pcn": pcn.code,
            "pcn_name": pcn.name,
            "as_at": snapshot.as_at,
            "role": role.code,
            "role_name": role.name,
            "fte": snapshot.value(role.pk),
            "source": snapshot.source,
        }


def spend_rows(found: IcbSpend, role_codes: dict[int, str]) -> Iterator[dict[str, Any]]:
    """Each PCN's row, saying whether it counts in the ICB's total, then the ICB's row: the
    sums over the PCNs it counts, with how many those are and the codes of the others."""
    shared = {
        "icb": found.icb.code,
        "financial_year": found.year,
        "plan_round": found.plan_round.pk if found.plan_round else None,
        "plan_round_name": found.plan_round.name if found.plan_round else None,
    }
    missing: set[int] = set()
    for row in found.rows:
        missing |= row.roles_without_amount
        yield {
            **shared,
            **_money(row.spend),
            "org_type": "pcn",
            "org_code": row.pcn.code,
            "org_name": row.pcn.name,
            "plan": row.plan.pk if row.plan else None,
            "rate_area": row.rate_area,
            "roles_without_amount": _codes(row.roles_without_amount, role_codes),
            "included_in_icb_total": in_total(row),
            "pcn_count": None,
            "projected_pcn_count": None,
            "pcns_included": None,
            "pcns_total": None,
            "pcns_not_included": [],
        }
    total = found.total
    yield {
        **shared,
        **_money(total.spend),
        "org_type": "icb",
        "org_code": found.icb.code,
        "org_name": found.icb.name,
        "plan": None,
        "rate_area": None,
        "roles_without_amount": _codes(missing, role_codes),
        "pcn_count": len(found.rows),
        "projected_pcn_count": len([r for r in found.rows if r.spend.projected is not None]),
        "included_in_icb_total": None,
        "pcns_included": total.pcns_included,
        "pcns_total": total.pcns_total,
        "pcns_not_included": [pcn.code for pcn in total.not_included],
    }


def _money(spend: Spend) -> dict[str, Any]:
    return {
        "allocation": spend.allocation,
        "projected_spend": spend.projected,
        "projected_percent": spend.projected_percent,
        "headroom": spend.headroom,
        "claimed": spend.claimed,
        "claimed_percent": spend.claimed_percent,
    }


def _codes(role_ids, role_codes: dict[int, str]) -> list[str]:
    return sorted(role_codes[pk] for pk in role_ids if pk in role_codes)
