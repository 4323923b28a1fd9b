from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline
from simple_history.admin import SimpleHistoryAdmin

from portal_lib.readonly import ReadOnlyInlineMixin
from stocktaking import services as stocktaking
from stocktaking import tasks
from stocktaking.models import (
    Acronym,
    GeneratedReport,
    ReportBox,
    ReportSection,
    ReportSubsection,
    StocktakingReport,
)


@admin.register(Acronym)
class AcronymAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["term", "meaning"]
    search_fields = ["term", "meaning_en", "meaning_fr"]


class GenerateForm(forms.Form):
    language = forms.ChoiceField(label=_("language"), choices=settings.LANGUAGES)


class GeneratedReportInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = GeneratedReport
    fields = ["language", "status", "progress", "requested_at", "seconds", "page_count", "pdf"]
    readonly_fields = fields

    @admin.display(description=_("PDF"))
    def pdf(self, generated):
        return _pdf_link(generated)


def _pdf_link(generated):
    if generated.status != GeneratedReport.Status.DONE:
        return generated.error or "—"
    url = reverse("admin:stocktaking_generatedreport_download", args=[generated.pk])
    return format_html('<a href="{}">{}</a>', url, _("Download"))


class ReportSectionInline(TranslationStackedInline):
    model = ReportSection
    fields = ["key", "heading", "before", "after"]
    extra = 0
    show_change_link = True  # its subsections are edited on the section's own page


class ReportBoxInline(TranslationStackedInline):
    model = ReportBox
    fields = ["number", "section", "anchor", "order", "title", "text"]
    extra = 0


class ReportSubsectionInline(TranslationStackedInline):
    model = ReportSubsection
    fields = ["position", "anchor", "heading", "text"]
    extra = 0


@admin.register(ReportSection)
class ReportSectionAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["report", "key", "heading"]
    list_filter = ["report"]
    list_select_related = ["report"]
    inlines = [ReportSubsectionInline]


@admin.register(ReportBox)
class ReportBoxAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["report", "number", "title", "section", "anchor"]
    list_filter = ["report"]
    list_select_related = ["report"]
    search_fields = ["title_en", "title_fr", "text_en", "text_fr"]


@admin.register(StocktakingReport)
class StocktakingReportAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["title", "period_start", "period_end"]
    inlines = [ReportSectionInline, ReportBoxInline, GeneratedReportInline]
    change_form_template = "admin/stocktaking/stocktakingreport/change_form.html"

    def get_urls(self):
        return [
            path(
                "<int:pk>/generate/",
                self.admin_site.admin_view(self.generate_view),
                name="stocktaking_stocktakingreport_generate",
            ),
            path(
                "generation/<int:pk>/",
                self.admin_site.admin_view(self.progress_view),
                name="stocktaking_generatedreport_progress",
            ),
            path(
                "generation/<int:pk>/download/",
                self.admin_site.admin_view(self.download_view),
                name="stocktaking_generatedreport_download",
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
            generated = tasks.request_generation(
                report, form.cleaned_data["language"], request.user
            )
            return redirect("admin:stocktaking_generatedreport_progress", pk=generated.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Generate %(report)s") % {"report": report},
            "form": form,
            "report": report,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/stocktaking/generate.html", context)

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
        return TemplateResponse(request, "admin/stocktaking/progress.html", context)

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
