"""Models that move between apps keep their tables and every row.

Each move is one ``Move``: the migration state before it (a database migrated to the main
branch of its day), the rows written then through the historical models, and where the
model lives after it. The test takes the database back to the state before the move,
writes the rows, migrates forward to the latest migrations and reads the rows back through
today's model: same ids, same fields. Add a ``Move`` for the next model that moves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.apps import apps as current_apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


@dataclass(frozen=True)
class Move:
    name: str
    # The migration each app stood at before the move; an app not named stays at its latest,
    # and an app named with None is taken back to before its first migration.
    before: dict[str, str | None]
    write: Callable  # (historical apps) -> {pk: {field: value}} written
    model: str  # "app_label.Model" after the move
    old_label: str  # "app_label.model" of the content type before the move


def _board_pack_rows(apps) -> dict[int, dict]:
    Organisation = apps.get_model("practices", "Organisation")
    BoardPack = apps.get_model("core", "BoardPack")
    icb = Organisation.objects.create(kind="icb", code="QSL", name="NHS Somerset ICB")
    fields = {
        "org_id": icb.pk,
        "month": dt.date(2025, 10, 1),
        "title": "Access to general practice: October",
        "meeting": "Primary Care Commissioning Committee",
        "meeting_date": dt.date(2025, 12, 3),
        "executive_lead": "Chief Delivery Officer",
        "purpose": "To show the board where access is improving.",
        "ask": "To note the position.",
        "status": "ready",
        "progress": 100,
        "pdf": "board-packs/2025/12/board-pack-QSL-2025-10-1.pdf",
    }
    packs = [BoardPack.objects.create(**fields), BoardPack.objects.create(**fields | {"id": 40})]
    return {pack.pk: fields for pack in packs}


MOVES = [
    Move(
        name="board pack from core to board",
        before={"core": "0005_audit_event", "board": None},
        write=_board_pack_rows,
        model="board.BoardPack",
        old_label="core.boardpack",
    ),
]


def _targets(executor: MigrationExecutor, before: dict[str, str | None]) -> list[tuple]:
    latest = {app: (app, name) for app, name in executor.loader.graph.leaf_nodes()}
    return [(app, before[app]) if app in before else node for app, node in latest.items()]


def _migrate(targets: list[tuple]):
    """Migrate to ``targets``; returns the state's historical apps there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([node for node in targets if node[1]]).apps


def _old_content_type(old_label: str) -> tuple[int, list[int]]:
    """The content type the model had before the move, with a permission on it, as a
    database of the day has them (the test database was made with the model moved)."""
    app_label, model = old_label.split(".")
    ContentType.objects.clear_cache()
    ContentType.objects.filter(app_label__in=(app_label, "board"), model=model).delete()
    content_type = ContentType.objects.create(app_label=app_label, model=model)
    permission = Permission.objects.create(
        content_type=content_type, codename=f"view_{model}", name=f"Can view {model}"
    )
    return content_type.pk, [permission.pk]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("move", MOVES, ids=lambda move: move.name)
def test_a_moved_model_keeps_its_table_and_every_row(move):
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    old_apps = _migrate(_targets(executor, move.before))
    content_type_id, permission_ids = _old_content_type(move.old_label)
    written = move.write(old_apps)

    _migrate(latest)
    ContentType.objects.clear_cache()

    model = current_apps.get_model(move.model)
    kept = {row.pk: row for row in model.objects.all()}
    assert set(kept) == set(written)
    for pk, fields in written.items():
        row = kept[pk]
        for name, value in fields.items():
            assert getattr(row, name) == value, (pk, name)
    content_type = ContentType.objects.get_for_model(model)
    assert content_type.pk == content_type_id
    assert set(content_type.permission_set.values_list("pk", flat=True)) >= set(permission_ids)
