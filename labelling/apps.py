from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LabellingConfig(AppConfig):
    """Requests for the "Rabat Process" label, their review, and labelled projects."""

    name = "labelling"
    verbose_name = _("Labelling")

    def ready(self):
        from actionplan import coverage
        from labelling.models import LabellingRequest

        def labelled_during(start, end):
            return LabellingRequest.objects.labelled_during(start, end)

        from focalpoints.permissions import can_use_private_area, is_secretariat
        from portal_lib.private_area import Link, add_link

        add_link(Link(_("Labelling"), "labelling:requests", can_use_private_area, 30))
        coverage.register(
            coverage.ActivityKind("labelled", _("Labelled projects"), labelled_during, position=20)
        )
        add_link(Link(_("Review queue"), "labelling:review-queue", is_secretariat, 35))

        from portal_lib import gaps

        gaps.register_without_french(
            LabellingRequest, order=560, queryset=LabellingRequest.objects.labelled
        )
