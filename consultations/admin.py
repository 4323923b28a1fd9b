from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from consultations import services
from consultations.models import Consultation, ConsultationAnswer, ConsultationReminder
from portal_lib.changelists import BoundedChangeListMixin
from portal_lib.readonly import ReadOnlyInlineMixin, WrittenByThePortalMixin


class ConsultationAnswerInline(ReadOnlyInlineMixin, admin.StackedInline):
    model = ConsultationAnswer
    readonly_fields = ["partner", "text", "attachment", "answered_by", "created_at", "updated_at"]


@admin.register(Consultation)
class ConsultationAdmin(BoundedChangeListMixin, SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["title", "audience", "opens_on", "closes_on", "response_rate"]
    list_filter = ["audience"]
    search_fields = ["title_en", "title_fr"]
    autocomplete_fields = ["partners"]
    date_hierarchy = "opens_on"
    inlines = [ConsultationAnswerInline]
    prepopulated_fields = {"slug": ["title_en"]}

    @admin.display(description=_("responses"))
    def response_rate(self, consultation):
        overall = services.response_rates(consultation)[0]
        url = reverse("consultations:consultation-responses", kwargs={"pk": consultation.pk})
        return format_html('<a href="{}">{} %</a>', url, overall.percent)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Open already: its focal points hear of it now, not at the next daily announcement.
        # After the chosen partners are saved, which decide who is consulted.
        obj = form.instance
        if services.announce_open_consultations(among=Consultation.objects.filter(pk=obj.pk)):
            self.message_user(
                request,
                _("The focal points of the consulted partners are told by e-mail that it is open."),
            )


@admin.register(ConsultationReminder)
class ConsultationReminderAdmin(WrittenByThePortalMixin, admin.ModelAdmin):
    list_display = ["consultation", "partner", "sent_at", "recipients"]
    list_filter = ["consultation"]
    list_select_related = ["consultation", "partner"]
