from celery import shared_task


@shared_task
def announce_open_consultations():
    """Celery beat's daily tick: announce the consultations that opened (see
    ``consultations.services.announce_open_consultations``); returns how many."""
    from consultations.services import announce_open_consultations as announce

    return len(announce())
