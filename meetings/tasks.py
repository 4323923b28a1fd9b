from celery import shared_task


@shared_task
def remind_unanswered_delegations():
    """Celery beat's daily tick: remind the focal points whose partner has not named its
    delegation (never twice within a meeting's interval); returns how many partners."""
    from meetings.services import remind_unanswered

    return remind_unanswered()


@shared_task
def anonymise_participants():
    """Celery beat's daily tick: anonymise the participants of meetings that ended
    ``MEETING_ANONYMISE_AFTER_DAYS`` ago; returns how many."""
    from meetings.services import anonymise_past_participants

    return anonymise_past_participants()
