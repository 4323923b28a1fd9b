"""Browser contexts for the tests: signing in through the form is tested once, in
test_private_area.py; other tests start already signed in."""

from tests.clients import PortalClient


def signed_in_context(browser, url, user=None, **options):
    """A new browser context in which ``user`` is signed in to the live server at ``url``
    (a visitor when ``user`` is None); ``options`` go to ``browser.new_context``."""
    context = browser.new_context(**options)
    if user is not None:
        client = PortalClient()
        client.force_login(user)
        context.add_cookies(
            [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": url}]
        )
    return context


def signed_in_page(browser, url, user):
    """A tab in which ``user`` is signed in."""
    return signed_in_context(browser, url, user).new_page()
