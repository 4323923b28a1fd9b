from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from focalpoints.models import Chairmanship, Partner, SteeringCommitteeMembership, User


class SteeringCommitteeMembershipInline(TranslationTabularInline):
    model = SteeringCommitteeMembership
    extra = 0


class ChairmanshipInline(TranslationTabularInline):
    model = Chairmanship
    extra = 0


@admin.register(Partner)
class PartnerAdmin(TranslationAdmin):
    list_display = ["name", "short_name", "kind", "region", "status", "iso_code"]
    list_filter = ["kind", "region", "status", "is_partner_organisation"]
    search_fields = ["name_en", "name_fr", "short_name_en", "short_name_fr", "iso_code", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}
    inlines = [SteeringCommitteeMembershipInline, ChairmanshipInline]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "kind", "status"]}),
        (_("Country"), {"fields": ["iso_code", "region"]}),
        (_("Organisation"), {"fields": ["is_partner_organisation"]}),
        (None, {"fields": ["description"]}),
    ]


@admin.register(SteeringCommitteeMembership)
class SteeringCommitteeMembershipAdmin(TranslationAdmin):
    list_display = ["partner", "start", "end", "note"]
    list_filter = ["end"]
    search_fields = ["partner__name_en", "partner__name_fr", "partner__short_name_en"]
    autocomplete_fields = ["partner"]
    list_select_related = ["partner"]


@admin.register(Chairmanship)
class ChairmanshipAdmin(TranslationAdmin):
    list_display = ["partner", "start", "start_precision", "end", "occasion"]
    search_fields = ["partner__name_en", "partner__name_fr", "occasion_en", "occasion_fr"]
    autocomplete_fields = ["partner"]
    list_select_related = ["partner"]
    date_hierarchy = "start"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "last_login"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # Whoever may edit accounts must not be able to grant themselves more rights.
        if request.user.is_superuser:
            return self.readonly_fields
        return [*self.readonly_fields, "is_superuser", "groups", "user_permissions"]
