from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from actionplan.admin import ActionPickerMixin
from labelling.models import (
    TRANSITIONS,
    LabellingAttachment,
    LabellingEvent,
    LabellingRequest,
    TransitionRefused,
)
from portal_lib.changelists import BoundedChangeListMixin
from portal_lib.readonly import AuditRecordMixin, ReadOnlyInlineMixin


class LabellingEventInline(ReadOnlyInlineMixin, admin.TabularInline):
    """The audit trail, read-only: entries are written by the transitions alone."""

    model = LabellingEvent
    fields = ["created_at", "actor", "from_state", "to_state", "comment"]
    readonly_fields = fields

    def has_change_permission(self, request, obj=None):
        return False


class LabellingAttachmentInline(admin.TabularInline):
    model = LabellingAttachment
    extra = 0
    fields = ["kind", "file", "original_filename", "uploaded_by", "uploaded_at"]
    readonly_fields = ["original_filename", "uploaded_by", "uploaded_at"]


def _transition_action(name):
    transition = TRANSITIONS[name]

    def action(modeladmin, request, queryset):
        return modeladmin.confirm_transition(request, queryset, name)

    action.__name__ = name
    return admin.action(description=transition.label)(action)


@admin.register(LabellingRequest)
class LabellingRequestAdmin(
    ActionPickerMixin, BoundedChangeListMixin, SimpleHistoryAdmin, TranslationAdmin
):
    list_display = ["title", "kind", "lead_partner", "state", "submitted_at", "decided_at"]
    list_filter = ["state", "kind", "actions__objective__domain", "lead_partner"]
    search_fields = [
        "title_en",
        "title_fr",
        "summary_en",
        "summary_fr",
        "lead_partner__name_en",
        "lead_partner__name_fr",
    ]
    date_hierarchy = "created_at"
    autocomplete_fields = [
        "lead_partner",
        "co_implementing_partners",
        "funding_partners",
        "countries",
        "meeting",
        "results_meetings",
    ]
    filter_horizontal = ["actions"]
    readonly_fields = [
        "state",
        "slug",
        "created_by",
        "created_at",
        "submitted_at",
        "decided_at",
        "results_reported_at",
    ]
    fieldsets = [
        (None, {"fields": ["kind", "title", "slug", "state", "lead_partner", "created_by"]}),
        (
            _("The project or event"),
            {"fields": ["summary", "objectives", "expected_results", "actions", "meeting"]},
        ),
        (
            _("Partners and countries"),
            {
                "fields": [
                    "co_implementing_partners",
                    "funding_partners",
                    "other_organisations",
                    "countries",
                ]
            },
        ),
        (
            _("Dates and budget"),
            {
                "fields": [
                    "start_date",
                    "end_date",
                    "budget",
                    "currency",
                    "funding_sources",
                    "publish_budget",
                ]
            },
        ),
        (
            _("Contact and sharing"),
            {
                "fields": [
                    "results_sharing",
                    "contact_name",
                    "contact_email",
                    "contact_phone",
                    "publish_contact",
                ]
            },
        ),
        (
            _("Results"),
            {"fields": ["results_summary", "results_meetings", "results_reported_at"]},
        ),
        (_("Dates of the review"), {"fields": ["created_at", "submitted_at", "decided_at"]}),
    ]
    inlines = [LabellingAttachmentInline, LabellingEventInline]
    actions = [
        _transition_action(name)
        for name, transition in TRANSITIONS.items()
        if transition.by == "secretariat"
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("lead_partner")

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def confirm_transition(self, request, queryset, name):
        """Ask for a comment, then run the transition on each selected request; each one that
        cannot take it is named with the reason, the others go ahead."""
        transition = TRANSITIONS[name]
        if request.POST.get("confirm") == "yes":
            comment = request.POST.get("comment", "").strip()
            done = 0
            for labelling_request in queryset:
                try:
                    labelling_request.make_transition(name, request.user, comment=comment)
                except TransitionRefused as refusal:
                    self.message_user(request, f"{labelling_request}: {refusal}", messages.ERROR)
                else:
                    done += 1
            if done:
                self.message_user(
                    request,
                    _("%(count)d request(s): %(step)s.")
                    % {"count": done, "step": transition.label},
                    messages.SUCCESS,
                )
            return None
        return TemplateResponse(
            request,
            "admin/labelling/transition.html",
            {
                **self.admin_site.each_context(request),
                "title": transition.label,
                "opts": self.model._meta,
                "transition": transition,
                "queryset": queryset,
                "action_name": name,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


@admin.register(LabellingEvent)
class LabellingEventAdmin(AuditRecordMixin, admin.ModelAdmin):
    """The whole audit trail, to read and search; nobody adds, changes or deletes an entry."""

    list_display = ["created_at", "request", "actor", "from_state", "to_state"]
    list_filter = ["to_state"]
    search_fields = ["request__title", "comment", "actor__email"]
    list_select_related = ["request", "actor"]
