"""The public pages of the Action Plan."""

import pytest

pytestmark = pytest.mark.django_db

ACTION_15 = "/{language}/action-plan/marrakesh-2018-2020/actions/15/"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_action_links_the_previous_and_next_ones_without_a_query_per_link(
    client, seeded, language, django_assert_num_queries
):
    # The action with its plan, its neighbours (with their plan's slug), then the meetings,
    # documents, labelled projects and their actions that the page lists.
    with django_assert_num_queries(8):
        html = client.get(ACTION_15.format(language=language)).text

    assert f'rel="prev" href="/{language}/action-plan/marrakesh-2018-2020/actions/14/"' in html
    assert f'rel="next" href="/{language}/action-plan/marrakesh-2018-2020/actions/16/"' in html
