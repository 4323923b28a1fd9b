from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import (
    TranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)
from simple_history.admin import SimpleHistoryAdmin

from actionplan.forms import ActionMultipleChoiceField, actions_to_pick
from actionplan.models import (
    Action,
    ActionPlan,
    CrossCuttingPriority,
    Domain,
    Framework,
    FrameworkItem,
    FrameworkMapping,
    Objective,
    Recommendation,
    RecommendationFollowUp,
    RecommendationPart,
    ReferenceCountry,
)
from portal_lib.changelists import BoundedChangeListMixin


class ActionPickerMixin:
    """For the admin of records that serve actions (meetings, documents, labelled projects): the
    actions offered grouped by plan, domain and objective, as on the portal's forms, so that
    "Action 1" of one plan is told from another's."""

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.related_model is Action:
            kwargs.setdefault("form_class", ActionMultipleChoiceField)
            kwargs.setdefault("queryset", actions_to_pick())
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class NumberedInPlanFormSet(BaseInlineFormSet):
    """Refuses, with an error on each row concerned, two rows of one page given the same number:
    numbers are unique within a plan, and the rows' plan (their parent's) is not on the form, so
    the database would otherwise refuse the second row only when it is saved."""

    def clean(self):
        super().clean()
        seen = {}
        for form in self.forms:
            if not form.has_changed() and not form.instance.pk:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            number = form.cleaned_data.get("number")
            if number is None:
                continue
            if number in seen:
                message = gettext(
                    "Number %(number)s is given to two rows: each number is used once in the "
                    "action plan."
                ) % {"number": number}
                form.add_error("number", message)
                seen[number].add_error("number", message)
                raise ValidationError(message)
            seen[number] = form


class DomainInline(TranslationTabularInline):
    model = Domain
    formset = NumberedInPlanFormSet
    fields = ["number", "title", "full_title"]
    extra = 1
    show_change_link = True


class CrossCuttingPriorityInline(TranslationTabularInline):
    model = CrossCuttingPriority
    fields = ["number", "title"]
    extra = 0


def _admin_link(obj, text):
    url = reverse(f"admin:actionplan_{obj._meta.model_name}_change", args=[obj.pk])
    return format_html('<a href="{}">{}</a>', url, text)


@admin.register(ActionPlan)
class ActionPlanAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = [
        "name",
        "start_year",
        "end_year",
        "marked_current",
        "adopted_on",
        "adopted_at",
    ]
    search_fields = ["name_en", "name_fr", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}
    readonly_fields = ["structure"]
    inlines = [DomainInline, CrossCuttingPriorityInline]

    @admin.display(description=_("structure"))
    def structure(self, plan):
        """The plan's domains, objectives and actions as entered, each linked to its page (where
        objectives, then actions, are entered inline)."""
        if plan.pk is None:
            return gettext("Save the plan, then enter its domains below.")
        plan = ActionPlan.objects.with_structure().get(pk=plan.pk)

        def actions(objective):
            return format_html_join(
                ", ", "{}", ((_admin_link(a, a.number),) for a in objective.actions.all())
            )

        def objectives(domain):
            return format_html_join(
                "",
                "<li>{} <small>{}</small></li>",
                ((_admin_link(o, o), actions(o)) for o in domain.objectives.all()),
            )

        domains = format_html_join(
            "",
            "<li>{}<ul>{}</ul></li>",
            ((_admin_link(d, d), objectives(d)) for d in plan.domains.all()),
        )
        missing = plan.domains_to_complete()
        note = (
            format_html(
                "<p>{}</p>",
                gettext("Domains to be completed: %(numbers)s.")
                % {"numbers": ", ".join(str(n) for n in missing)},
            )
            if missing
            else ""
        )
        return format_html("<ul>{}</ul>{}", domains, note)


class ObjectiveInline(TranslationTabularInline):
    model = Objective
    formset = NumberedInPlanFormSet
    fields = ["number", "title"]
    extra = 2
    show_change_link = True


class ReferenceCountryInline(admin.TabularInline):
    model = ReferenceCountry
    extra = 0
    autocomplete_fields = ["partner"]


@admin.register(Domain)
class DomainAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["number", "title", "plan"]
    list_display_links = ["number", "title"]
    list_filter = ["plan"]
    search_fields = ["title_en", "title_fr", "full_title_en", "full_title_fr"]
    list_select_related = ["plan"]
    inlines = [ObjectiveInline, ReferenceCountryInline]


class ActionInline(TranslationTabularInline):
    model = Action
    formset = NumberedInPlanFormSet
    fields = ["number", "title", "wording_confirmed"]
    extra = 3
    show_change_link = True


@admin.register(Objective)
class ObjectiveAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["number", "title", "domain", "plan"]
    list_display_links = ["number", "title"]
    list_filter = ["plan", "domain"]
    search_fields = ["title_en", "title_fr", "description_en", "description_fr"]
    list_select_related = ["domain", "plan"]
    inlines = [ActionInline]


class FrameworkMappingInline(admin.TabularInline):
    """The framework items an action serves: its cells in the comparative tables."""

    model = FrameworkMapping
    fields = ["item", "source"]
    autocomplete_fields = ["item"]
    extra = 1
    verbose_name = _("framework item served")
    verbose_name_plural = _("framework items served (comparative tables)")


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["number", "title", "objective", "wording_confirmed", "plan"]
    list_display_links = ["number", "title"]
    list_filter = [
        "plan",
        "wording_confirmed",
        "objective__domain",
        "objective",
        "mappings__item__framework",
    ]
    search_fields = ["title_en", "title_fr", "description_en", "description_fr"]
    list_select_related = ["objective", "plan"]
    inlines = [FrameworkMappingInline]


class FrameworkItemInline(TranslationTabularInline):
    model = FrameworkItem
    fields = ["code", "position", "title", "wording_confirmed"]
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["name", "short_name", "source", "position"]
    search_fields = ["name_en", "name_fr", "short_name_en"]
    prepopulated_fields = {"slug": ["short_name_en"]}
    inlines = [FrameworkItemInline]


@admin.register(FrameworkItem)
class FrameworkItemAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["code", "title", "framework", "wording_confirmed"]
    list_display_links = ["code", "title"]
    list_filter = ["framework", "wording_confirmed"]
    search_fields = ["code", "title_en", "title_fr", "framework__short_name_en"]
    list_select_related = ["framework"]
    ordering = ["framework__position", "position"]


@admin.register(FrameworkMapping)
class FrameworkMappingAdmin(BoundedChangeListMixin, SimpleHistoryAdmin):
    list_display = ["action", "item", "source"]
    list_filter = ["action__plan", "item__framework"]
    autocomplete_fields = ["action", "item"]
    list_select_related = ["action__plan", "item__framework"]


@admin.register(CrossCuttingPriority)
class CrossCuttingPriorityAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["number", "title", "plan"]
    list_display_links = ["number", "title"]
    list_filter = ["plan"]
    search_fields = ["title_en", "title_fr"]
    list_select_related = ["plan"]


@admin.register(ReferenceCountry)
class ReferenceCountryAdmin(SimpleHistoryAdmin):
    list_display = ["partner", "domain", "status", "is_associate"]
    list_filter = ["domain__plan", "domain", "status", "is_associate"]
    search_fields = ["partner__name_en", "partner__name_fr"]
    autocomplete_fields = ["partner"]
    list_select_related = ["partner", "domain"]


class RecommendationPartInline(TranslationStackedInline):
    model = RecommendationPart
    fields = ["position", "heading", "text"]
    extra = 0


class RecommendationFollowUpInline(TranslationStackedInline):
    model = RecommendationFollowUp
    extra = 0


@admin.register(Recommendation)
class RecommendationAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["code", "title", "plan"]
    list_display_links = ["code", "title"]
    list_filter = ["plan"]
    search_fields = ["title_en", "title_fr", "summary_en", "summary_fr", "proposal_en"]
    list_select_related = ["plan"]
    inlines = [RecommendationPartInline, RecommendationFollowUpInline]

    @admin.display(description="R", ordering="number")
    def code(self, recommendation):
        return recommendation.code


@admin.register(RecommendationFollowUp)
class RecommendationFollowUpAdmin(BoundedChangeListMixin, SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["recommendation", "date", "status"]
    list_filter = ["status", "recommendation__plan", "recommendation"]
    search_fields = ["description_en", "description_fr"]
    list_select_related = ["recommendation"]
    date_hierarchy = "date"
