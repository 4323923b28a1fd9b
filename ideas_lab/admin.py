from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from ideas_lab import services
from ideas_lab.models import (
    Comment,
    Follow,
    Idea,
    IdeaAttachment,
    IdeaStatusChange,
    InboundMessage,
    Interest,
)
from portal_lib.readonly import ReadOnlyInlineMixin


class IdeaAttachmentInline(admin.TabularInline):
    model = IdeaAttachment
    extra = 0
    fields = ["file", "original_filename", "uploaded_by", "uploaded_at"]
    readonly_fields = ["original_filename", "uploaded_by", "uploaded_at"]


class IdeaStatusChangeInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = IdeaStatusChange
    fields = ["changed_at", "from_status", "to_status", "changed_by", "note"]
    readonly_fields = fields


class CommentInline(admin.StackedInline):
    model = Comment
    extra = 0
    fields = ["author", "text", "source", "created_at", "is_hidden", "hidden_reason"]
    readonly_fields = ["author", "source", "created_at"]


class InterestInline(admin.TabularInline):
    model = Interest
    extra = 0
    fields = ["partner", "kind", "message", "expressed_by", "created_at"]
    readonly_fields = ["expressed_by", "created_at"]


@admin.register(Idea)
class IdeaAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = [
        "title",
        "kind",
        "partner",
        "status",
        "is_draft",
        "is_hidden",
        "last_activity_at",
    ]
    list_filter = ["kind", "status", "is_draft", "is_hidden", "domain"]
    search_fields = ["title_en", "title_fr", "summary_en", "summary_fr", "partner__name"]
    autocomplete_fields = ["partner", "submitted_by", "countries", "actions"]
    readonly_fields = ["created_at", "updated_at", "published_at", "last_activity_at"]
    inlines = [IdeaAttachmentInline, IdeaStatusChangeInline, InterestInline, CommentInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("partner", "domain")

    def save_model(self, request, obj, form, change):
        # A status changed here enters the history like one changed on the page.
        if change and "status" in form.changed_data:
            old = Idea.objects.get(pk=obj.pk).status
            IdeaStatusChange.objects.create(
                idea=obj, from_status=old, to_status=obj.status, changed_by=request.user
            )
        super().save_model(request, obj, form, change)


@admin.register(Comment)
class CommentAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "idea", "author", "source", "created_at", "is_hidden"]
    list_filter = ["is_hidden", "source"]
    search_fields = ["text", "idea__title_en", "author__email"]
    readonly_fields = ["idea", "author", "source", "created_at", "hidden_by"]
    fields = ["idea", "author", "source", "created_at", "text", "is_hidden", "hidden_reason"]

    def save_model(self, request, obj, form, change):
        if change and "text" in form.changed_data:
            from django.utils import timezone

            obj.edited_at = timezone.now()
        if obj.is_hidden and "is_hidden" in form.changed_data:
            obj.hidden_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Hide the selected comments (reason: moderation)"))
    def hide(self, request, queryset):
        for comment in queryset.filter(is_hidden=False):
            services.hide_comment(comment, request.user, str(_("Hidden by the Secretariat.")))
        messages.success(request, _("The comments are hidden."))

    actions = ["hide"]


@admin.register(Interest)
class InterestAdmin(admin.ModelAdmin):
    list_display = ["idea", "partner", "kind", "created_at"]
    list_filter = ["kind"]
    search_fields = ["idea__title_en", "partner__name"]


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ["idea", "user", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["idea__title_en", "user__email"]


@admin.register(InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin):
    list_display = ["message_id", "sender", "received_at", "outcome", "reason"]
    list_filter = ["outcome", "reason"]
    search_fields = ["message_id", "sender"]
    readonly_fields = [
        "message_id",
        "digest",
        "sender",
        "received_at",
        "outcome",
        "reason",
        "comment",
        "excerpt",
    ]

    def has_add_permission(self, request):
        return False
