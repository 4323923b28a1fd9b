from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from actionplan.models import (
    Action,
    ActionPlan,
    Domain,
    Objective,
    Recommendation,
    RecommendationFollowUp,
    ReferenceCountry,
)


def current_plan(request):
    plan = ActionPlan.objects.current()
    if plan is None:
        raise Http404("No action plan has been recorded yet.")
    return plan_detail(request, plan.slug)


def plan_detail(request, plan):
    plan = get_object_or_404(ActionPlan.objects.with_structure(), slug=plan)
    return render(
        request,
        "actionplan/plan_detail.html",
        {
            "plan": plan,
            "other_plans": ActionPlan.objects.exclude(pk=plan.pk),
            "without_wording": plan.actions.filter(title="").count(),
        },
    )


def domain_detail(request, plan, number):
    domain = get_object_or_404(
        Domain.objects.select_related("plan").prefetch_related(
            Prefetch(
                "objectives",
                queryset=Objective.objects.prefetch_related(
                    Prefetch("actions", queryset=Action.objects.select_related("plan"))
                ).order_by("number"),
            ),
            Prefetch("reference_countries", queryset=ReferenceCountry.objects.with_related()),
        ),
        plan__slug=plan,
        number=number,
    )
    without_wording = Action.objects.filter(objective__domain=domain, title="").count()
    return render(
        request,
        "actionplan/domain_detail.html",
        {"domain": domain, "without_wording": without_wording},
    )


def action_detail(request, plan, number):
    action = get_object_or_404(Action.objects.with_domain(), plan__slug=plan, number=number)
    # Their links need the plan's slug: fetched with them rather than one query per link.
    siblings = (
        Action.objects.filter(plan=action.plan)
        .select_related("plan")
        .order_by("number")
        .only("number", "plan__slug")
    )
    previous_action = siblings.filter(number__lt=action.number).last()
    next_action = siblings.filter(number__gt=action.number).first()
    return render(
        request,
        "actionplan/action_detail.html",
        {"action": action, "previous_action": previous_action, "next_action": next_action},
    )


def reference_countries(request):
    plans = ActionPlan.objects.prefetch_related(
        Prefetch(
            "domains",
            queryset=Domain.objects.select_related("plan")
            .prefetch_related(
                Prefetch("reference_countries", queryset=ReferenceCountry.objects.with_related())
            )
            .order_by("number"),
        )
    ).order_by("-start_year")
    return render(request, "actionplan/reference_countries.html", {"plans": plans})


def recommendations(request):
    plans = ActionPlan.objects.prefetch_related(
        Prefetch(
            "recommendations",
            queryset=Recommendation.objects.prefetch_related(
                Prefetch("follow_ups", queryset=RecommendationFollowUp.objects.order_by("date"))
            ).order_by("number"),
        )
    ).order_by("-start_year")
    return render(request, "actionplan/recommendations.html", {"plans": plans})
