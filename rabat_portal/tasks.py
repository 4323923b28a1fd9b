from celery import shared_task


@shared_task(acks_late=True)
def generate_stocktaking_report(generated_id):
    """Render a queued stocktaking PDF (see ``rabat_portal.stocktaking.generate``)."""
    from rabat_portal.stocktaking import generate

    generated = generate(generated_id)
    return generated.status if generated else None
