"""What the admin's changelists share: a query string they cannot read is a message, not an error.

Control characters never reach them (``rabat_portal.middleware.QueryStringGuardMiddleware``);
what is left is well-formed input Django's changelist does not bound.
"""

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList


class BoundedChangeList(ChangeList):
    def get_filters(self, request):
        # The date drill-down turns ``<field>__year`` into a datetime and the next year's: a
        # number past the C long overflows, and year 9999 has no next year. Django answers
        # IncorrectLookupParameters (the list again, with "?e=1") only for the errors it expects.
        try:
            return super().get_filters(request)
        except (OverflowError, ValueError) as error:
            raise IncorrectLookupParameters(error) from error


class BoundedChangeListMixin:
    """For a ``ModelAdmin`` with a date drill-down (``date_hierarchy``)."""

    def get_changelist(self, request, **kwargs):
        return BoundedChangeList
