"""The report's rendering in the background: how it is queued, and the task that renders it."""

from celery import shared_task
from django.db import transaction

from stocktaking.models import GeneratedReport
from stocktaking.services import generate


def request_generation(report, language, user):
    """Queue the rendering of ``report`` in ``language``; returns the ``GeneratedReport`` whose
    status and progress the admin shows. The PDF is made by a Celery task, once the request's
    transaction has committed."""
    generated = GeneratedReport.objects.create(report=report, language=language, generated_by=user)
    transaction.on_commit(lambda: generate_stocktaking_report.delay(generated.pk))
    return generated


@shared_task(acks_late=True)
def generate_stocktaking_report(generated_id):
    """Render a queued stocktaking PDF (see ``stocktaking.services.generate``)."""
    generated = generate(generated_id)
    return generated.status if generated else None
