from celery import shared_task


@shared_task(acks_late=True)
def generate_stocktaking_report(generated_id):
    """Render a queued stocktaking PDF (see ``rabat_portal.stocktaking.generate``)."""
    from rabat_portal.stocktaking import generate

    generated = generate(generated_id)
    return generated.status if generated else None


# A digest run may take longer than the default limits (a thousand recipients, a slow SMTP
# server); a run cut short is safe anyway: the next one sends what is still owed.
@shared_task(acks_late=True, soft_time_limit=3 * 3600, time_limit=3 * 3600 + 300)
def send_digests(frequency):
    """Send the digests of ``frequency`` owed for the current period; returns the counts."""
    from rabat_portal.digests import run_digests

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
    due (see ``rabat_portal.digests.due_frequencies``); returns their names."""
    from rabat_portal.digests import due_frequencies

    due = due_frequencies()
    for frequency in due:
        send_digests.delay(frequency)
    return due
