"""Celery tasks of the core app. They take ids, call services, and are safe to run twice."""

from celery import shared_task

from core.boardpack.services import board_pack_build


@shared_task(name="core.board_pack_build")
def board_pack_build_task(pack_id: int) -> str:
    """Make one board pack; returns its final status."""
    return board_pack_build(pack_id=pack_id).status
