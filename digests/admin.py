from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from digests import permissions, tasks
from digests import services as digests
from digests.models import DigestDelivery, DigestSchedule
from focalpoints.models import User
from portal_lib.changelists import BoundedChangeListMixin
from portal_lib.readonly import AuditRecordMixin


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
class DigestDeliveryAdmin(AuditRecordMixin, BoundedChangeListMixin, admin.ModelAdmin):
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
    change_list_template = "admin/digests/digestdelivery/change_list.html"

    def get_urls(self):
        return [
            path(
                "preview/",
                self.admin_site.admin_view(self.preview_view),
                name="digests_digestdelivery_preview",
            ),
            path(
                "preview/<int:user_pk>/<str:frequency>/html/",
                self.admin_site.admin_view(self.preview_html_view),
                name="digests_digestdelivery_preview_html",
            ),
            path(
                "send/",
                self.admin_site.admin_view(self.send_view),
                name="digests_digestdelivery_send",
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
        if not permissions.can_preview_digests(request.user):
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
        return TemplateResponse(request, "admin/digests/digestdelivery/preview.html", context)

    def preview_html_view(self, request, user_pk, frequency):
        """The HTML part of the preview, as a mail client would show it."""
        if not permissions.can_preview_digests(request.user) or frequency not in digests.PERIODS:
            raise PermissionDenied
        member = get_object_or_404(User, pk=user_pk, membership__isnull=False)
        _digest, message = digests.preview(member, frequency)
        if message is None:
            raise Http404("Nothing new for this member.")
        response = HttpResponse(message.alternatives[0][0])
        # Shown in a sandboxed frame of the preview page, with a policy of its own: the e-mail's
        # inline styles apply (as in a mail client) while the site's policy stays strict, and
        # the frame runs no script and reaches nothing but the portal's images.
        response["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
            "frame-ancestors 'self'; sandbox"
        )
        response["X-Frame-Options"] = "SAMEORIGIN"
        response._csp_exempt = True
        return response

    def send_view(self, request):
        """Start a run of a period now (a Celery task): only what is still owed is sent."""
        if not permissions.can_send_digests(request.user):
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
            return redirect("admin:digests_digestdelivery_changelist")
        context = self._context(request, _("Send the digests now"), form=form)
        return TemplateResponse(request, "admin/digests/digestdelivery/send.html", context)


@admin.register(DigestSchedule)
class DigestScheduleAdmin(SimpleHistoryAdmin):
    """One row: the day and hour of the runs (created with its defaults by the first run)."""

    fields = ["weekly_weekday", "weekly_hour", "daily_hour"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not DigestSchedule.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
