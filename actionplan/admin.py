from django.contrib import admin
from modeltranslation.admin import (
    TranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)
from simple_history.admin import SimpleHistoryAdmin

from actionplan.models import (
    Action,
    ActionPlan,
    CrossCuttingPriority,
    Domain,
    Objective,
    Recommendation,
    RecommendationFollowUp,
    RecommendationPart,
    ReferenceCountry,
)
from portal_lib.changelists import BoundedChangeListMixin


class DomainInline(TranslationTabularInline):
    model = Domain
    fields = ["number", "title"]
    extra = 0
    show_change_link = True


class CrossCuttingPriorityInline(TranslationTabularInline):
    model = CrossCuttingPriority
    fields = ["number", "title"]
    extra = 0


@admin.register(ActionPlan)
class ActionPlanAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["name", "start_year", "end_year", "adopted_on", "adopted_at"]
    search_fields = ["name_en", "name_fr", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}
    inlines = [DomainInline, CrossCuttingPriorityInline]


class ObjectiveInline(TranslationTabularInline):
    model = Objective
    fields = ["number", "title"]
    extra = 0
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
    fields = ["number", "title", "wording_confirmed"]
    extra = 0
    show_change_link = True


@admin.register(Objective)
class ObjectiveAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["number", "title", "domain", "plan"]
    list_display_links = ["number", "title"]
    list_filter = ["plan", "domain"]
    search_fields = ["title_en", "title_fr", "description_en", "description_fr"]
    list_select_related = ["domain", "plan"]
    inlines = [ActionInline]


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["number", "title", "objective", "wording_confirmed", "plan"]
    list_display_links = ["number", "title"]
    list_filter = ["plan", "wording_confirmed", "objective__domain", "objective"]
    search_fields = ["title_en", "title_fr", "description_en", "description_fr"]
    list_select_related = ["objective", "plan"]


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
