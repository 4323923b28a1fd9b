"""Paginated lists: the same page size and the same tolerance of odd page numbers everywhere."""

from django.core.paginator import Paginator
from django.db.models import F

PAGE_SIZE = 20


def paginate(request, queryset, per_page=PAGE_SIZE, *, by_key=False):
    """The requested page of ``queryset``; an out-of-range or malformed page gives the last or
    first page rather than an error.

    With ``by_key``, the page's rows are found by their primary keys alone, then fetched (with
    their ``select_related`` and ``prefetch_related``) by key, in the same order: the page's
    ``object_list`` is then a list. For a large table sorted on its indexed columns, sorting
    keys is cheap where sorting whole joined rows (every column of the table and of the joined
    ones) is not.
    """
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    if by_key:
        start = (page.number - 1) * per_page
        # Under a name of its own: selected as "pk", the key would be ordered by its position
        # ("1") rather than by name, which reads as a list without its final, total, order.
        keys = list(
            queryset.annotate(page_key=F("pk")).values_list("page_key", flat=True)[
                start : start + per_page
            ]
        )
        rows = queryset.order_by().in_bulk(keys)
        page.object_list = [rows[key] for key in keys]
    return page


def query_without_page(request):
    """The request's query string without its page number, for the pagination links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
