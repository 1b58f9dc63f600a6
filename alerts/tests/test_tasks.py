"""Beat sends the alerts: both tasks are scheduled under the names the worker registers."""

from __future__ import annotations

import datetime as dt

from celery.schedules import crontab
from django.conf import settings
from django.core import mail

from alerts.tasks import alerts_immediate_send_task, alerts_weekly_digest_send_task
from alerts.tests.data import subscribe
from arrs.models import PlanRound, PlanStatus, WorkforcePlan


def test_beat_runs_the_immediate_send_every_15_minutes_and_the_digest_on_monday_at_7():
    schedule = {
        entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }

    assert schedule[alerts_immediate_send_task.name] == 15 * 60
    weekly = schedule[alerts_weekly_digest_send_task.name]
    assert weekly == crontab(minute=0, hour=7, day_of_week="mon")
    assert settings.CELERY_TIMEZONE == "Europe/London"


def test_the_digest_task_sends_through_the_email_backend(tree, icb_manager, celery_eager):
    plan_round = PlanRound.objects.create(icb=tree.icb, financial_year=2026, label="August")
    WorkforcePlan.objects.create(
        pcn=tree.pcn_a, plan_round=plan_round, status=PlanStatus.SUBMITTED,
        as_at=dt.date(2026, 7, 31), file_name="plan.xlsx", checksum="0" * 64,
        submitted_at=dt.datetime(2026, 9, 1, tzinfo=dt.UTC),
    )  # fmt: skip
    subscribe(icb_manager, tree.icb)

    assert alerts_weekly_digest_send_task.delay().get() == 1
    assert [m.to for m in mail.outbox] == [["icb.manager@example.nhs.uk"]]
