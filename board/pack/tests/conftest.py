"""A board pack of the test ICB for October 2025, as a board member asks for it."""

from __future__ import annotations

import pytest

from board.dashboard.tests.data import LAST, measure_months_load
from board.pack.models import BoardPack

COVER = {
    "month": "2025-10",
    "title": "Access to general practice: October",
    "meeting": "Primary Care Commissioning Committee",
    "meeting_date": "2025-12-03",
    "executive_lead": "Chief Delivery Officer",
    "purpose": "To show the board where access is improving and where it is not.",
    "ask": "The board is asked to note the position and agree the escalations.",
}


@pytest.fixture
def loaded(tree):
    measure_months_load(tree)
    return tree


@pytest.fixture
def made(client, loaded, board_member, celery_eager, django_capture_on_commit_callbacks):
    """A pack a board member asked for, made by the task (run in this process)."""
    client.force_login(board_member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/board-packs/new/icb/QSL/", COVER)
    assert response.status_code == 302
    return BoardPack.objects.get()


@pytest.fixture
def unmade(loaded):
    """The ICB's pack for the month, not yet made: for building one file of it."""
    return BoardPack.objects.create(
        org=loaded.icb, month=LAST, title=COVER["title"], meeting=COVER["meeting"],
        meeting_date=LAST, executive_lead=COVER["executive_lead"], purpose=COVER["purpose"],
        ask=COVER["ask"],
    )  # fmt: skip


@pytest.fixture
def page(unmade):
    """What the pack is made from: the ICB's dashboard for the month."""
    from board.dashboard.page import DashboardPage
    from board.dashboard.selectors import dashboard_read

    return DashboardPage(dashboard_read(unmade.org, month=unmade.month))
