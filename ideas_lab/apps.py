from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeasLabConfig(AppConfig):
    """The laboratory of ideas: proposals, requests for assistance, comments and interest."""

    name = "ideas_lab"
    verbose_name = _("Laboratory of ideas")

    def ready(self):
        from actionplan import coverage
        from ideas_lab.models import Idea
        from ideas_lab.permissions import can_use_laboratory
        from portal_lib import gaps
        from portal_lib.private_area import Link, add_link

        add_link(Link(_("Laboratory of ideas"), "ideas:home", can_use_laboratory, 40))
        # Ideas are never public: their counts only for those who may open the laboratory.
        coverage.register(
            coverage.ActivityKind(
                "ideas",
                _("Ideas"),
                Idea.objects.published_during,
                position=30,
                public=False,
                may_see=can_use_laboratory,
            )
        )

        gaps.register_without_french(Idea, order=570, queryset=Idea.objects.published)
