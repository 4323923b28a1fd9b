"""The OpenAPI description of the API (drf-spectacular), with what every operation shares."""

from drf_spectacular import openapi
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

LANG_PARAMETER = OpenApiParameter(
    "lang",
    OpenApiTypes.STR,
    enum=["en", "fr"],
    description=(
        "The language of translated fields and labels; without it, the request's "
        "Accept-Language, else English. A field not yet translated is given in English."
    ),
)


class AutoSchema(openapi.AutoSchema):
    def get_override_parameters(self):
        return [*super().get_override_parameters(), LANG_PARAMETER]
