from django.http import HttpResponse
from django.utils.translation import get_language

from actionplan.models import ActionPlan
from portal_lib.gates import private
from stocktaking import services as stocktaking
from stocktaking.permissions import can_preview_stocktaking


@private(can_preview_stocktaking)
def stocktaking_preview(request):
    """The stocktaking report as HTML, for the Secretariat to check its data quickly."""
    plan = ActionPlan.objects.current()
    default = stocktaking.Period.of_plan(plan) if plan else None
    try:
        period = stocktaking.Period.parse(
            request.GET.get("from") or (default and default.start),
            request.GET.get("to") or (default and default.end),
        )
        context = stocktaking.assemble(period, get_language())
    except stocktaking.ReportError as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    return HttpResponse(stocktaking.render_html(context, preview=True))
