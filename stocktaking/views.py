from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language

from actionplan.models import ActionPlan
from portal_lib.gates import private
from stocktaking import services as stocktaking
from stocktaking.models import StocktakingReport
from stocktaking.permissions import can_preview_stocktaking


@private(can_preview_stocktaking)
def stocktaking_preview(request):
    """The stocktaking report as HTML, for the Secretariat to check it quickly: a stored
    report (``?report=<id>``) or a period's data (``?from=…&to=…``, with the period's stored
    texts if there are any), its gaps marked."""
    report = None
    if request.GET.get("report", "").isdigit():
        report = get_object_or_404(StocktakingReport, pk=request.GET["report"])
    elif not request.GET.get("from") and not request.GET.get("to"):
        # Without a period, the latest report written, rather than the current plan's years,
        # which may have no report (nor data) yet.
        report = StocktakingReport.objects.first()
    plan = ActionPlan.objects.current()
    default = stocktaking.Period.of_plan(plan) if plan else None
    try:
        period = stocktaking.Period.parse(
            request.GET.get("from")
            or (report and report.period_start)
            or (default and default.start),
            request.GET.get("to") or (report and report.period_end) or (default and default.end),
        )
        report = report or stocktaking.stored_report(period)
        context = stocktaking.assemble(period, get_language(), report=report)
    except stocktaking.ReportError as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    return HttpResponse(stocktaking.render_html(context, preview=True))
