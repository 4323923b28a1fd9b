from celery import shared_task
from django.conf import settings


def retry_delay(retries):
    """Seconds before the retry that follows ``retries`` retries: doubled each time."""
    return settings.NOTIFICATION_RETRY_DELAY * 2**retries


@shared_task(bind=True, acks_late=True)
def send_deliveries(self, ids, previous_token=None):
    """Send the pending deliveries ``ids`` (those of one ``notify`` call). What the server
    refuses is tried again ``NOTIFICATION_MAX_RETRIES`` times, ``NOTIFICATION_RETRY_DELAY``
    seconds later and twice as long each time, then recorded failed. Returns how many left."""
    from portal_lib import outbox

    sent, failed, token = outbox.send(ids, previous_token)
    if not failed:
        return len(sent)
    retries = self.request.retries
    if retries < settings.NOTIFICATION_MAX_RETRIES:
        countdown = retry_delay(retries)
        outbox.hold(list(failed), token, countdown)
        if self.request.is_eager:
            # In-process (development, tests) Celery propagates its Retry instead of running
            # the retry: run it here, at once (its result is not waited for: it has run).
            self.apply(args=[list(failed), token], retries=retries + 1)
            return len(sent)
        raise self.retry(
            args=[list(failed), token],
            kwargs={},
            countdown=countdown,
            max_retries=settings.NOTIFICATION_MAX_RETRIES,
        )
    outbox.give_up(list(failed), token)
    return len(sent)


@shared_task
def send_pending_deliveries():
    """Celery beat's sweep: queue the deliveries left pending (their queueing failed when the
    broker was down, or their worker died). Returns how many were queued."""
    from portal_lib import outbox

    ids = outbox.left_pending(settings.NOTIFICATION_SWEEP_LIMIT)
    size = settings.NOTIFICATION_BATCH_SIZE
    for start in range(0, len(ids), size):
        send_deliveries.delay(ids[start : start + size])
    return len(ids)
