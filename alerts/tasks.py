"""Celery tasks, run by beat (access_portal/settings.py CELERY_BEAT_SCHEDULE). Safe to run
twice: an alert is found once per person and sent once each way."""

from celery import shared_task

from alerts import services


@shared_task(name="alerts.alerts_immediate_send")
def alerts_immediate_send_task() -> int:
    """Every 15 minutes: alerts for those who asked to hear straight away."""
    return services.alerts_immediate_send()


@shared_task(name="alerts.alerts_weekly_digest_send")
def alerts_weekly_digest_send_task() -> int:
    """Monday 07:00 UK time: everyone's weekly digest."""
    return services.alerts_weekly_digest_send()
