"""Celery tasks of the board. They take ids, call services, and are safe to run twice."""

from celery import shared_task

from board.pack.services import board_pack_build


# The name is the one the task had before it moved here from core, so a pack queued by the
# previous release is still made by this one.
@shared_task(name="core.board_pack_build")
def board_pack_build_task(pack_id: int) -> str:
    """Make one board pack; returns its final status."""
    return board_pack_build(pack_id=pack_id).status
