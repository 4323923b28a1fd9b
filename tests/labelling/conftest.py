import pytest

from tests.labelling.factories import LabellingRequestFactory


@pytest.fixture
def senegal_request(senegal):
    """A complete draft of Senegal's, ready to be submitted."""
    return LabellingRequestFactory(lead_partner=senegal, title="Senegalese diaspora fund")
