"""What alerts look for. Each detector takes one watched subscription and returns what it
found, as plain data: the service stores each finding once per person (by its key).

Measures (``measures``): new special cause on a key measure, and an SPC icon changing.
Workforce plans (``plans``): a plan round's deadline passing, and a plan waiting for the
subscriber (for an ICB manager to review, or returned to a PCN manager).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from core.access import Scope
from practices.models import Organisation, OrgKind
from practices.selectors import ancestor_ids, descendant_ids


@dataclass(frozen=True)
class Found:
    """One event a subscriber should hear about. ``key`` names the event, so finding it again
    tells nobody twice; ``link`` is the portal page about it (a path)."""

    kind: str
    key: str
    title: str
    detail: str
    link: str


@dataclass
class Watch:
    """One subscription as the detectors see it: whose it is, about which organisation, and
    on what day. ``memo`` carries reads the detectors of one run share (an organisation's
    measure values are read once however many people watch it)."""

    organisation: Organisation
    scope: Scope
    today: dt.date
    since: dt.date  # the day the subscription started
    memo: dict = field(default_factory=dict)

    def pcn_ids(self) -> frozenset[int]:
        """The PCNs the watched organisation covers today (a PCN covers itself)."""
        if self.organisation.kind == OrgKind.PCN:
            return frozenset({self.organisation.pk})
        return descendant_ids([self.organisation.pk], self.today, OrgKind.PCN)

    def icb_ids(self) -> frozenset[int]:
        """The ICB the watched organisation is, or belongs to."""
        if self.organisation.kind == OrgKind.ICB:
            return frozenset({self.organisation.pk})
        return ancestor_ids([self.organisation.pk], OrgKind.ICB, self.today)


Detector = Callable[[Watch], list[Found]]
