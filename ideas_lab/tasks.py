from celery import shared_task


@shared_task(acks_late=True)
def notify_followers(kind, pk):
    """E-mail the followers of the idea a new comment or interest (``kind``) belongs to."""
    from ideas_lab.notifications import notify

    return notify(kind, pk)
