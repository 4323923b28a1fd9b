from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal_lib.changelists import BoundedChangeListMixin
from portal_lib.models import Delivery
from portal_lib.notifications import send_again
from portal_lib.readonly import AuditRecordMixin


@admin.register(Delivery)
class DeliveryAdmin(AuditRecordMixin, BoundedChangeListMixin, admin.ModelAdmin):
    """Every e-mail the portal sent or tried to: read-only, written by ``notify``."""

    list_display = ["created_at", "kind", "email", "language", "subject", "status", "attempts"]
    list_filter = ["status", "kind"]
    list_select_related = ["recipient"]
    search_fields = ["email"]
    date_hierarchy = "created_at"
    fields = [
        "kind",
        "recipient",
        "email",
        "language",
        "status",
        "attempts",
        "error",
        "created_at",
        "sent_at",
        "headers",
        "subject",
        "text_body",
        "html_body",
    ]
    readonly_fields = fields
    actions = ["send_again"]

    @admin.action(description=_("Send the failed ones again"), permissions=["view"])
    def send_again(self, request, queryset):
        count = send_again(queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d e-mail is on its way again.",
                "%(count)d e-mails are on their way again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )
