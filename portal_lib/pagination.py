"""Paginated lists: the same page size and the same tolerance of odd page numbers everywhere."""

from django.core.paginator import Paginator

PAGE_SIZE = 20


def paginate(request, queryset, per_page=PAGE_SIZE):
    """The requested page of ``queryset``; an out-of-range or malformed page gives the last or
    first page rather than an error."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def query_without_page(request):
    """The request's query string without its page number, for the pagination links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
