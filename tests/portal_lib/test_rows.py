"""An address reversed once for a list's rows gives, for each row, what reverse() gives."""

from django.urls import reverse
from django.utils import translation

from portal_lib.rows import address_pattern


def test_a_row_s_address_is_the_one_reverse_gives_in_each_language():
    for language in ("en", "fr"):
        with translation.override(language):
            assert address_pattern("meetings:detail", "slug").format(slug="madrid-2019") == (
                reverse("meetings:detail", kwargs={"slug": "madrid-2019"})
            )
            assert address_pattern("actionplan:action", "number", plan="cadiz").format(
                number=12
            ) == reverse("actionplan:action", kwargs={"plan": "cadiz", "number": 12})
            assert address_pattern("meetings:document", "pk").format(pk=0) == reverse(
                "meetings:document", kwargs={"pk": 0}
            )
            assert address_pattern("dashboard") == reverse("dashboard")
    with translation.override("fr"):
        assert address_pattern("dashboard").startswith("/fr/")
