from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import (
    TranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)
from simple_history.admin import SimpleHistoryAdmin

from actionplan.admin import ActionPickerMixin
from meetings import services
from meetings.models import (
    Delegate,
    Delegation,
    Document,
    EvaluationAnswer,
    EvaluationQuestion,
    EvaluationResponse,
    Meeting,
    MeetingDateChange,
    MeetingInvitation,
    MeetingResult,
    Participation,
)
from portal_lib import page_cache
from portal_lib.changelists import BoundedChangeListMixin
from portal_lib.dates import date_format
from portal_lib.readonly import ReadOnlyInlineMixin, WrittenByThePortalMixin
from portal_lib.refusals import ActionRefused
from portal_lib.uploads import inspect_upload


class MeetingResultInline(TranslationStackedInline):
    model = MeetingResult
    extra = 0


class ParticipationInline(TranslationStackedInline):
    model = Participation
    extra = 0
    max_num = 1
    autocomplete_fields = ["organisations_present"]


class MeetingInvitationInline(TranslationStackedInline):
    """The call for delegations: who is invited, seats, deadlines, practical information and the
    invitation letter for visas. Sent from the meeting's "Delegations" page or the list's
    action."""

    model = MeetingInvitation
    extra = 0
    max_num = 1
    autocomplete_fields = ["partners"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class EvaluationQuestionInline(TranslationTabularInline):
    """The evaluation form; the default questions are added when the evaluation is sent if the
    Secretariat defined none."""

    model = EvaluationQuestion
    extra = 0


class MeetingDateChangeInline(TranslationTabularInline):
    model = MeetingDateChange
    extra = 0


class MeetingDocumentInline(admin.TabularInline):
    model = Document.meetings.through
    extra = 0
    autocomplete_fields = ["document"]
    verbose_name = _("document")
    verbose_name_plural = _("documents")


class YearListFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        return [
            (str(d.year), str(d.year)) for d in Meeting.objects.dates("start_date", "year", "DESC")
        ]

    def queryset(self, request, queryset):
        return queryset.filter(start_date__year=self.value()) if self.value() else queryset


@admin.register(Meeting)
class MeetingAdmin(ActionPickerMixin, SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["title", "kind", "dates_display", "city", "status"]
    list_filter = ["kind", YearListFilter, "status", "format", "actions__objective__domain"]
    search_fields = ["title_en", "title_fr", "city_en", "city_fr", "slug"]
    prepopulated_fields = {"slug": ["title_en"]}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    autocomplete_fields = [
        "host_country",
        "organisers",
        "co_chairs",
        "invited_non_partners",
        "parent",
        "postponed_to",
    ]
    filter_horizontal = ["actions"]
    list_select_related = ["host_country"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if obj.status == Meeting.Status.HELD and obj.start_date > timezone.localdate():
            self.message_user(
                request,
                _(
                    "“%(meeting)s” is marked as held, yet it starts on %(date)s, in the future: "
                    "check its status or its dates."
                )
                % {"meeting": obj, "date": date_format(obj.start_date, "DATE_FORMAT")},
                messages.WARNING,
            )

    inlines = [
        MeetingResultInline,
        MeetingInvitationInline,
        EvaluationQuestionInline,
        ParticipationInline,
        MeetingDateChangeInline,
        MeetingDocumentInline,
    ]
    actions = ["duplicate", "send_invitations"]
    change_form_template = "admin/meetings/meeting/change_form.html"
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "status", "status_reason", "postponed_to"]}),
        (
            _("When and where"),
            {
                "fields": [
                    "start_date",
                    "end_date",
                    "date_precision",
                    "format",
                    "city",
                    "host_country",
                ]
            },
        ),
        (_("Who"), {"fields": ["organisers", "co_chairs", "invited_non_partners", "parent"]}),
        (
            _("What"),
            {
                "fields": [
                    "actions",
                    "summary",
                    "objective",
                    "deliberations",
                    "reaction",
                    "reaction_source",
                ]
            },
        ),
    ]

    @admin.display(description=_("dates"), ordering="start_date")
    def dates_display(self, meeting):
        return meeting.dates_display

    @admin.action(description=_("Duplicate as a template for the next meeting"))
    def duplicate(self, request, queryset):
        copies = [services.duplicate_meeting(meeting) for meeting in queryset]
        self.message_user(
            request,
            ngettext(
                "%(count)d meeting duplicated: complete its dates and title.",
                "%(count)d meetings duplicated: complete their dates and titles.",
                len(copies),
            )
            % {"count": len(copies)},
            messages.SUCCESS,
        )
        if len(copies) == 1:
            return redirect(reverse("admin:meetings_meeting_change", args=[copies[0].pk]))
        return None

    @admin.action(description=_("Send the invitation to the partners not yet invited"))
    def send_invitations(self, request, queryset):
        for meeting in queryset.select_related("invitation"):
            try:
                sent = services.send_invitations(meeting)
            except ActionRefused as refusal:
                self.message_user(request, f"{meeting}: {refusal}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("%(meeting)s: invitation sent to %(count)d partners.")
                    % {"meeting": meeting, "count": len(sent)},
                    messages.SUCCESS,
                )

    def get_urls(self):
        return [
            path(
                "<int:pk>/upload-documents/",
                self.admin_site.admin_view(self.upload_documents),
                name="meetings_meeting_upload_documents",
            ),
            *super().get_urls(),
        ]

    def upload_documents(self, request, pk):
        """Add several files to a meeting at once; nothing is saved unless every file is valid."""
        meeting = get_object_or_404(Meeting, pk=pk)
        if not self.has_change_permission(request, meeting) or not request.user.has_perm(
            "meetings.add_document"
        ):
            raise PermissionDenied
        form = BulkDocumentUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            documents = services.add_documents_to_meeting(meeting, **form.cleaned_data)
            self.message_user(
                request,
                ngettext(
                    "%(count)d document added to the meeting.",
                    "%(count)d documents added to the meeting.",
                    len(documents),
                )
                % {"count": len(documents)},
                messages.SUCCESS,
            )
            return redirect(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Upload documents to %(meeting)s") % {"meeting": meeting},
            "meeting": meeting,
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/meetings/upload_documents.html", context)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files:
            raise ValidationError(_("Choose at least one file."), code="required")
        errors = []
        for upload in files:
            try:
                inspect_upload(upload)
            except ValidationError as error:
                errors.extend(f"{upload.name}: {message}" for message in error.messages)
        if errors:
            raise ValidationError(errors)
        return files


class BulkDocumentUploadForm(forms.Form):
    files = MultipleFileField(
        label=_("files"),
        help_text=_("PDF, Word, Excel, PowerPoint, PNG or JPEG; 25 MB each at most."),
    )
    category = forms.ChoiceField(label=_("category"), choices=Document.Category.choices)
    kind = forms.ChoiceField(label=_("kind"), choices=Document.Kind.choices)
    language = forms.ChoiceField(label=_("language"), choices=Document.Language.choices)
    visibility = forms.ChoiceField(label=_("visibility"), choices=Document.Visibility.choices)


@admin.register(Document)
class DocumentAdmin(
    ActionPickerMixin, BoundedChangeListMixin, SimpleHistoryAdmin, TranslationAdmin
):
    list_display = ["title", "category", "kind", "language", "visibility", "published_on"]
    list_filter = ["visibility", "category", "kind", "language"]
    search_fields = ["title_en", "title_fr", "original_filename"]
    autocomplete_fields = ["meetings"]
    filter_horizontal = ["actions", "domains"]
    date_hierarchy = "published_on"
    readonly_fields = ["original_filename", "file_size", "content_type", "uploaded_by"]
    actions = ["publish"]
    prepopulated_fields = {"slug": ["title_en"]}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.action(description=_("Publish (make public)"))
    def publish(self, request, queryset):
        count = queryset.update(visibility=Document.Visibility.PUBLIC)
        page_cache.content_changed()  # update() sends no signal
        self.message_user(
            request,
            ngettext("%(count)d document published.", "%(count)d documents published.", count)
            % {"count": count},
        )


class DelegateInline(admin.TabularInline):
    model = Delegate
    extra = 0
    fields = ["name", "email", "profile", "mode", "status", "reason", "registered_at", "attended"]
    readonly_fields = ["registered_at"]


@admin.register(Delegation)
class DelegationAdmin(BoundedChangeListMixin, admin.ModelAdmin):
    """Each invited partner's delegation; decisions are taken on the meeting's "Delegations"
    page of the private area, which also tells the delegate."""

    list_display = ["partner", "meeting", "invited_at", "answered_at", "reminded_at"]
    list_filter = [("answered_at", admin.EmptyFieldListFilter)]
    search_fields = [
        "partner__name_en",
        "partner__name_fr",
        "meeting__title_en",
        "meeting__title_fr",
    ]
    autocomplete_fields = ["meeting", "partner"]
    list_select_related = ["partner", "meeting"]
    inlines = [DelegateInline]


@admin.register(Delegate)
class DelegateAdmin(BoundedChangeListMixin, admin.ModelAdmin):
    list_display = ["name", "delegation", "profile", "status", "registered_at", "attended"]
    list_filter = ["status", "profile", "attended", "mode"]
    search_fields = ["name", "email", "institution", "delegation__partner__name_en"]
    autocomplete_fields = ["delegation"]
    list_select_related = ["delegation__partner", "delegation__meeting"]
    readonly_fields = [
        "registered_at",
        "checked_in_at",
        "evaluation_sent_at",
        "evaluated_at",
        "anonymised_at",
        "created_at",
    ]


class EvaluationAnswerInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = EvaluationAnswer
    fields = readonly_fields = ["question", "rating", "yes", "text"]


@admin.register(EvaluationResponse)
class EvaluationResponseAdmin(WrittenByThePortalMixin, BoundedChangeListMixin, admin.ModelAdmin):
    """The evaluation's answers, anonymous: written by the participants through their links."""

    list_display = ["meeting", "submitted_on"]
    list_filter = ["submitted_on"]
    search_fields = ["meeting__title_en", "meeting__title_fr"]
    list_select_related = ["meeting"]
    inlines = [EvaluationAnswerInline]
