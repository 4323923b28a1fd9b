from functools import partial

from portal_lib.private_area import links_for


def private_area(request):
    """``private_links``: the private area's navigation for this person, built when a page
    shows it (``[(label, url, is_current)]``)."""
    return {"private_links": partial(links_for, request)}
