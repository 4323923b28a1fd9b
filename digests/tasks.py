from celery import shared_task


# A digest run may take longer than the default limits (a thousand recipients, a slow SMTP
# server); a run cut short is safe anyway: the next one sends what is still owed.
@shared_task(acks_late=True, soft_time_limit=3 * 3600, time_limit=3 * 3600 + 300)
def send_digests(frequency):
    """Send the digests of ``frequency`` owed for the current period; returns the counts."""
    from digests.services import run_digests

    result = run_digests(frequency)
    return {
        "sent": result.sent,
        "failed": result.failed,
        "nothing_new": result.nothing_new,
        "skipped": result.skipped,
    }


@shared_task
def digest_tick():
    """Celery beat's hourly tick: start the digest runs that the Secretariat's schedule makes
    due (see ``digests.services.due_frequencies``); returns their names."""
    from digests.services import due_frequencies

    due = due_frequencies()
    for frequency in due:
        send_digests.delay(frequency)
    return due
