from celery import shared_task


@shared_task(acks_late=True)
def send_consultation_reminders(consultation_id):
    """Remind the consulted partners that have not answered (never twice within the interval,
    so a retried or duplicated task sends nothing more). Returns how many were reminded."""
    from consultations.models import Consultation
    from consultations.services import ActionRefused, send_reminders

    consultation = Consultation.objects.filter(pk=consultation_id).first()
    if consultation is None:
        return 0
    try:
        return len(send_reminders(consultation))
    except ActionRefused:
        return 0


@shared_task
def announce_open_consultations():
    """Celery beat's daily tick: announce the consultations that opened (see
    ``consultations.services.announce_open_consultations``); returns how many."""
    from consultations.services import announce_open_consultations as announce

    return len(announce())
