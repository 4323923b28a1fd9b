from simple_history import register as track_history

from digests.models import DigestSchedule

# The history of the Secretariat's changes to the schedule, kept by django-simple-history
# (registered here, as the other apps' histories are: see focalpoints/translation.py).
track_history(DigestSchedule)
