"""Asking for a board pack, and making it.

``board_pack_request`` records what was asked for and queues the work once the request's
transaction commits; ``board_pack_build`` (run by the Celery task in ``board.tasks``) reads
the dashboard once and writes the PDF, the slides and the workbook from it, saying how far
it has got as it goes. Building a pack again rebuilds it; a ready pack is left alone.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from board.dashboard.page import DashboardPage
from board.dashboard.selectors import dashboard_read
from board.pack.models import BoardPack, PackStatus
from board.sections import board_sections_read
from practices.models import Organisation

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Cover:
    """What a board paper's cover sheet says."""

    title: str
    meeting: str
    meeting_date: dt.date
    executive_lead: str
    purpose: str
    ask: str


def board_pack_request(
    *, org: Organisation, month: dt.date, rebase: dt.date | None, cover: Cover, user
) -> BoardPack:
    pack = BoardPack.objects.create(
        org=org,
        month=month.replace(day=1),
        rebase=rebase,
        title=cover.title,
        meeting=cover.meeting,
        meeting_date=cover.meeting_date,
        executive_lead=cover.executive_lead,
        purpose=cover.purpose,
        ask=cover.ask,
        requested_by=user if getattr(user, "is_authenticated", False) else None,
    )
    transaction.on_commit(lambda: _enqueue(pack.pk))
    return pack


def _enqueue(pack_id: int) -> None:
    from board.tasks import board_pack_build_task

    board_pack_build_task.delay(pack_id)


def _progress(pack: BoardPack, percent: int, stage: str, **fields) -> None:
    """Saved at once (no transaction is open), so the status page sees it while we work."""
    BoardPack.objects.filter(pk=pack.pk).update(progress=percent, stage=stage, **fields)


def board_pack_build(*, pack_id: int) -> BoardPack:
    pack = BoardPack.objects.select_related("org").get(pk=pack_id)
    if pack.status == PackStatus.READY:
        return pack
    _progress(
        pack,
        5,
        "Reading the figures",
        status=PackStatus.RUNNING,
        started_at=timezone.now(),
        error="",
    )
    try:
        _build(pack)
    except Exception as error:
        logger.exception("Board pack %s failed", pack.pk)
        _progress(
            pack,
            100,
            "Stopped",
            status=PackStatus.FAILED,
            error=str(error)[:2000],
            finished_at=timezone.now(),
        )
        raise
    pack.refresh_from_db()
    return pack


def _build(pack: BoardPack) -> None:
    from board.pack import document, slides, workbook

    page = DashboardPage(dashboard_read(pack.org, month=pack.month, rebase=pack.rebase))
    sections = board_sections_read(pack.org, month=pack.month)
    _progress(pack, 15, "Drawing the charts and writing the PDF")
    stem = f"board-pack-{pack.org.code}-{pack.month:%Y-%m}-{pack.pk}"
    pack.pdf.save(f"{stem}.pdf", ContentFile(document.pack_pdf(pack, page, sections)), save=False)
    _progress(pack, 60, "Making the slides")
    pack.pptx.save(f"{stem}.pptx", ContentFile(slides.pack_pptx(pack, page, sections)), save=False)
    _progress(pack, 80, "Writing the workbook")
    pack.xlsx.save(
        f"{stem}.xlsx", ContentFile(workbook.pack_xlsx(pack, page, sections)), save=False
    )
    BoardPack.objects.filter(pk=pack.pk).update(
        pdf=pack.pdf.name,
        pptx=pack.pptx.name,
        xlsx=pack.xlsx.name,
        status=PackStatus.READY,
        progress=100,
        stage="Ready",
        finished_at=timezone.now(),
    )
