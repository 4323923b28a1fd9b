from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from focalpoints.changelists import BoundedChangeListMixin
from focalpoints.models import User
from rabat_portal import digests, stocktaking, tasks
from rabat_portal.models import (
    Acronym,
    DigestDelivery,
    DigestSchedule,
    GeneratedReport,
    StocktakingReport,
)


@admin.register(Acronym)
class AcronymAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["term", "meaning"]
    search_fields = ["term", "meaning_en", "meaning_fr"]


class GenerateForm(forms.Form):
    language = forms.ChoiceField(label=_("language"), choices=settings.LANGUAGES)


class GeneratedReportInline(admin.TabularInline):
    model = GeneratedReport
    extra = 0
    can_delete = False
    fields = ["language", "status", "progress", "requested_at", "seconds", "page_count", "pdf"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("PDF"))
    def pdf(self, generated):
        return _pdf_link(generated)


def _pdf_link(generated):
    if generated.status != GeneratedReport.Status.DONE:
        return generated.error or "—"
    url = reverse("admin:rabat_portal_generatedreport_download", args=[generated.pk])
    return format_html('<a href="{}">{}</a>', url, _("Download"))


@admin.register(StocktakingReport)
class StocktakingReportAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["title", "period_start", "period_end"]
    inlines = [GeneratedReportInline]
    change_form_template = "admin/rabat_portal/stocktakingreport/change_form.html"

    def get_urls(self):
        return [
            path(
                "<int:pk>/generate/",
                self.admin_site.admin_view(self.generate_view),
                name="rabat_portal_stocktakingreport_generate",
            ),
            path(
                "generation/<int:pk>/",
                self.admin_site.admin_view(self.progress_view),
                name="rabat_portal_generatedreport_progress",
            ),
            path(
                "generation/<int:pk>/download/",
                self.admin_site.admin_view(self.download_view),
                name="rabat_portal_generatedreport_download",
            ),
            *super().get_urls(),
        ]

    def generate_view(self, request, pk):
        """Choose the language and start the rendering; then follow its progress."""
        report = get_object_or_404(StocktakingReport, pk=pk)
        if not self.has_change_permission(request, report):
            raise PermissionDenied
        form = GenerateForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            generated = stocktaking.request_generation(
                report, form.cleaned_data["language"], request.user
            )
            return redirect("admin:rabat_portal_generatedreport_progress", pk=generated.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Generate %(report)s") % {"report": report},
            "form": form,
            "report": report,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/rabat_portal/generate.html", context)

    def progress_view(self, request, pk):
        generated = get_object_or_404(GeneratedReport.objects.select_related("report"), pk=pk)
        if not self.has_view_permission(request, generated.report):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": str(generated),
            "generated": generated,
            "finished": generated.status
            in (GeneratedReport.Status.DONE, GeneratedReport.Status.FAILED),
            "pdf_link": _pdf_link(generated),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/rabat_portal/progress.html", context)

    def download_view(self, request, pk):
        generated = get_object_or_404(GeneratedReport, pk=pk)
        if not self.has_view_permission(request, generated.report):
            raise PermissionDenied
        if not generated.file:
            raise Http404("No PDF.")
        return FileResponse(
            generated.file.open("rb"),
            content_type="application/pdf",
            as_attachment=True,
            filename=f"stocktaking-{generated.language}-{generated.pk}.pdf",
        )


@admin.register(GeneratedReport)
class GeneratedReportAdmin(admin.ModelAdmin):
    list_display = ["report", "language", "status", "progress", "requested_at", "page_count"]
    list_filter = ["status", "language"]
    actions = ["publish"]
    readonly_fields = [f.name for f in GeneratedReport._meta.fields]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Publish in the public document library"))
    def publish(self, request, queryset):
        for generated in queryset.select_related("report"):
            try:
                document = stocktaking.publish(generated)
            except stocktaking.ReportError as error:
                self.message_user(request, f"{generated}: {error}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    format_html(
                        _('Published as <a href="{}">{}</a>.'),
                        document.get_absolute_url(),
                        document.title,
                    ),
                )


class DigestMemberForm(forms.Form):
    member = forms.ModelChoiceField(
        label=_("member"),
        queryset=User.objects.filter(membership__is_active=True, is_active=True).order_by("email"),
    )
    frequency = forms.ChoiceField(
        label=_("frequency"),
        choices=[
            ("", _("Their preference")),
            ("weekly", User.DigestFrequency.WEEKLY.label),
            ("daily", User.DigestFrequency.DAILY.label),
        ],
        required=False,
    )


class SendNowForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("digests"),
        choices=[
            ("weekly", User.DigestFrequency.WEEKLY.label),
            ("daily", User.DigestFrequency.DAILY.label),
        ],
    )


@admin.register(DigestDelivery)
class DigestDeliveryAdmin(BoundedChangeListMixin, admin.ModelAdmin):
    """The deliveries log: read-only, written by the digest runs."""

    list_display = [
        "recipient",
        "recipient__email",
        "period",
        "status",
        "attempts",
        "claimed_at",
        "sent_at",
        "error",
    ]
    list_filter = ["status", "period"]
    list_select_related = ["recipient"]
    search_fields = ["recipient__email", "period"]
    date_hierarchy = "claimed_at"
    readonly_fields = [f.name for f in DigestDelivery._meta.fields if f.editable]
    change_list_template = "admin/rabat_portal/digestdelivery/change_list.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "preview/",
                self.admin_site.admin_view(self.preview_view),
                name="rabat_portal_digestdelivery_preview",
            ),
            path(
                "preview/<int:user_pk>/<str:frequency>/html/",
                self.admin_site.admin_view(self.preview_html_view),
                name="rabat_portal_digestdelivery_preview_html",
            ),
            path(
                "send/",
                self.admin_site.admin_view(self.send_view),
                name="rabat_portal_digestdelivery_send",
            ),
            *super().get_urls(),
        ]

    def _context(self, request, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            **extra,
        }

    def preview_view(self, request):
        """Any member's next digest, as it would be sent now; nothing is recorded."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = DigestMemberForm(request.GET or None)
        digest = message = None
        if form.is_valid():
            digest, message = digests.preview(
                form.cleaned_data["member"], form.cleaned_data["frequency"] or None
            )
        context = self._context(
            request, _("Preview a member's next digest"), form=form, digest=digest, message=message
        )
        return TemplateResponse(request, "admin/rabat_portal/digestdelivery/preview.html", context)

    def preview_html_view(self, request, user_pk, frequency):
        """The HTML part of the preview, as a mail client would show it."""
        if not self.has_view_permission(request) or frequency not in digests.PERIODS:
            raise PermissionDenied
        member = get_object_or_404(User, pk=user_pk, membership__isnull=False)
        _digest, message = digests.preview(member, frequency)
        if message is None:
            raise Http404("Nothing new for this member.")
        return HttpResponse(message.alternatives[0][0])

    def send_view(self, request):
        """Start a run of a period now (a Celery task): only what is still owed is sent."""
        if not request.user.has_perm("rabat_portal.change_digestschedule"):
            raise PermissionDenied
        form = SendNowForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            frequency = form.cleaned_data["frequency"]
            tasks.send_digests.delay(frequency)
            self.message_user(
                request,
                _("The %(frequency)s digests are on their way; the log shows each delivery.")
                % {"frequency": dict(form.fields["frequency"].choices)[frequency].lower()},
            )
            return redirect("admin:rabat_portal_digestdelivery_changelist")
        context = self._context(request, _("Send the digests now"), form=form)
        return TemplateResponse(request, "admin/rabat_portal/digestdelivery/send.html", context)


@admin.register(DigestSchedule)
class DigestScheduleAdmin(SimpleHistoryAdmin):
    """One row: the day and hour of the runs (created with its defaults by the first run)."""

    fields = ["weekly_weekday", "weekly_hour", "daily_hour"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not DigestSchedule.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
