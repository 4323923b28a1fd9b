from allauth.account.admin import EmailAddressAdmin as AllauthEmailAddressAdmin
from allauth.account.models import EmailAddress
from allauth.mfa.admin import AuthenticatorAdmin as AllauthAuthenticatorAdmin
from allauth.mfa.models import Authenticator
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline
from simple_history.admin import SimpleHistoryAdmin

from focalpoints import permissions, services
from focalpoints.models import (
    Chairmanship,
    Invitation,
    Membership,
    Partner,
    SteeringCommitteeMembership,
    User,
)
from portal_lib.changelists import BoundedChangeListMixin


class SteeringCommitteeMembershipInline(TranslationTabularInline):
    model = SteeringCommitteeMembership
    extra = 0


class ChairmanshipInline(TranslationTabularInline):
    model = Chairmanship
    extra = 0


@admin.register(Partner)
class PartnerAdmin(SimpleHistoryAdmin, TranslationAdmin):
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
class SteeringCommitteeMembershipAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["partner", "start", "end", "note"]
    list_filter = ["end"]
    search_fields = ["partner__name_en", "partner__name_fr", "partner__short_name_en"]
    autocomplete_fields = ["partner"]
    list_select_related = ["partner"]


@admin.register(Chairmanship)
class ChairmanshipAdmin(BoundedChangeListMixin, SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["partner", "start", "start_precision", "end", "occasion"]
    search_fields = ["partner__name_en", "partner__name_fr", "occasion_en", "occasion_fr"]
    autocomplete_fields = ["partner"]
    list_select_related = ["partner"]
    date_hierarchy = "start"


class ManagedAccountAdminMixin:
    """The admin of accounts: one that the person may not manage
    (``permissions.can_manage_account``) is shown read only, without its password form, and
    is not deleted, alone or in a bulk action."""

    def account_of(self, obj):
        return obj

    def may_manage(self, request, obj):
        return obj is None or permissions.can_manage_account(request.user, self.account_of(obj))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.may_manage(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.may_manage(request, obj)


class AccountRecordAdminMixin(ManagedAccountAdminMixin):
    """The admin of records that belong to an account (its e-mail addresses, its
    authenticators): the same rule, and none is added to or moved onto such an account."""

    def account_of(self, obj):
        return obj.user

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        actor = request.user

        class AccountCheckedForm(form):
            def clean_user(self):
                account = self.cleaned_data["user"]
                if not permissions.can_manage_account(actor, account):
                    raise forms.ValidationError(_("You may not change this account."))
                return account

        return AccountCheckedForm


@admin.register(User)
class UserAdmin(ManagedAccountAdminMixin, DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "last_login"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name", "phone", "language"]}),
        (_("E-mail"), {"fields": ["digest_frequency", "notifications"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]}),
    ]
    actions = ["disable_accounts"]

    @admin.action(description=_("Disable the selected accounts"), permissions=["change"])
    def disable_accounts(self, request, queryset):
        disabled = 0
        for account in queryset:
            try:
                services.disable_account(account, by=request.user)
                disabled += 1
            except services.ActionRefused as refusal:
                self.message_user(request, f"{account.email}: {refusal}", messages.ERROR)
        self.message_user(request, _("%(count)d account(s) disabled.") % {"count": disabled})

    def get_readonly_fields(self, request, obj=None):
        # Whoever may edit accounts must not be able to grant themselves more rights.
        if permissions.can_change_rights(request.user):
            return self.readonly_fields
        return [*self.readonly_fields, "is_superuser", "groups", "user_permissions"]


admin.site.unregister(EmailAddress)
admin.site.unregister(Authenticator)


@admin.register(EmailAddress)
class EmailAddressAdmin(AccountRecordAdminMixin, AllauthEmailAddressAdmin):
    def make_verified(self, request, queryset):
        manageable = [
            address.pk
            for address in queryset.select_related("user")
            if permissions.can_manage_account(request.user, address.user)
        ]
        super().make_verified(request, queryset.filter(pk__in=manageable))

    make_verified.short_description = AllauthEmailAddressAdmin.make_verified.short_description


@admin.register(Authenticator)
class AuthenticatorAdmin(AccountRecordAdminMixin, AllauthAuthenticatorAdmin):
    pass


class MembershipInline(admin.StackedInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["partner"]


UserAdmin.inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "partner", "role", "is_active"]
    list_filter = ["role", "is_active", "partner__region"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "partner__name_en"]
    autocomplete_fields = ["user", "partner"]
    list_select_related = ["user", "partner"]


class InvitationForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["email", "first_name", "last_name", "partner", "role", "language"]

    def clean_email(self):
        email = self.cleaned_data["email"]
        if User.objects.filter(email__iexact=email, is_active=False).exists():
            raise forms.ValidationError(
                _("This account is disabled: enable it before inviting its owner.")
            )
        return email


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invitations are sent by saving the form; they are never edited afterwards."""

    form = InvitationForm
    list_display = ["email", "partner", "role", "state_display", "created_at", "expires_at"]
    list_filter = ["role", "partner__region"]
    search_fields = ["email", "first_name", "last_name", "partner__name_en"]
    autocomplete_fields = ["partner"]
    list_select_related = ["partner"]
    actions = ["send_again", "revoke"]
    readonly_fields = [
        "created_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
        "invited_by",
        "user",
    ]

    @admin.display(description=_("state"))
    def state_display(self, invitation):
        return Invitation.State(invitation.state).label

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        try:
            invitation = services.invite(invited_by=request.user, **form.cleaned_data)
        except services.ActionRefused as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
            return
        obj.pk = invitation.pk
        self.message_user(
            request, _("The invitation was sent to %(email)s.") % {"email": invitation.email}
        )
        if invitation.role == Membership.Role.FOCAL_POINT:
            others = (
                Membership.objects.active()
                .filter(partner=invitation.partner, role=Membership.Role.FOCAL_POINT)
                .exclude(user__email__iexact=invitation.email)
                .select_related("user")
            )
            if others:
                self.message_user(
                    request,
                    _(
                        "%(partner)s already has a National Focal Point: %(names)s. If the new "
                        "one replaces them, end their membership."
                    )
                    % {
                        "partner": invitation.partner,
                        "names": ", ".join(m.user.get_full_name() or m.user.email for m in others),
                    },
                    messages.WARNING,
                )

    @admin.action(description=_("Send the invitation again (a new link)"))
    def send_again(self, request, queryset):
        sent = 0
        for invitation in queryset.exclude(accepted_at__isnull=False):
            try:
                services.invite(
                    email=invitation.email,
                    partner=invitation.partner,
                    role=invitation.role,
                    language=invitation.language,
                    first_name=invitation.first_name,
                    last_name=invitation.last_name,
                    invited_by=request.user,
                )
            except services.ActionRefused as refusal:
                self.message_user(request, f"{invitation.email}: {refusal}", messages.ERROR)
                continue
            sent += 1
        self.message_user(request, _("%(count)d invitation(s) sent again.") % {"count": sent})

    @admin.action(description=_("Revoke"))
    def revoke(self, request, queryset):
        revoked = 0
        for invitation in queryset:
            try:
                services.revoke_invitation(invitation)
                revoked += 1
            except services.ActionRefused as refusal:
                self.message_user(request, f"{invitation.email}: {refusal}", messages.WARNING)
        self.message_user(request, _("%(count)d invitation(s) revoked.") % {"count": revoked})
