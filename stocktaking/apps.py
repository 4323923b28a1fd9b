from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StocktakingReportConfig(AppConfig):
    """The stocktaking report, assembled from every app's records and rendered as a PDF: the top
    floor, reading every app below it."""

    name = "stocktaking"
    verbose_name = _("Stocktaking report")

    def ready(self):
        from django.db.models import Q

        from portal_lib import gaps
        from stocktaking.models import ReportBox, ReportSection, ReportSubsection
        from stocktaking.services import SECTIONS_OF_DATA

        def on_report_page(part):
            return gaps.admin_change_url(part.report)

        gaps.register(
            "stocktaking.section.text",
            _("Report sections without text"),
            lambda: (
                ReportSection.objects.filter(Q(before_en="") & Q(after_en=""))
                .exclude(key__in=SECTIONS_OF_DATA)
                .select_related("report")
                .order_by("report", "key")
            ),
            edit_url=on_report_page,
            describe=lambda section: f"{section.report}: {section.get_key_display()}",
            order=60,
            help_text=_(
                "Write the section's text, or copy it from the report the Secretariat published."
            ),
        )
        gaps.register_without_french(ReportSection, order=580, edit_url=on_report_page)
        gaps.register_without_french(
            ReportSubsection,
            order=581,
            edit_url=lambda sub: gaps.admin_change_url(sub.section.report),
        )
        gaps.register_without_french(ReportBox, order=582, edit_url=on_report_page)
