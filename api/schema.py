"""The OpenAPI description of the API (drf-spectacular), with what every operation shares."""

import copy

from drf_spectacular import openapi
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema_field

LANG_PARAMETER = OpenApiParameter(
    "lang",
    OpenApiTypes.STR,
    enum=["en", "fr"],
    description=(
        "The language of translated fields and labels; without it, the request's "
        "Accept-Language, else English. A field not yet translated is given in English."
    ),
)
DETAIL = {
    "application/json": {
        "schema": {
            "type": "object",
            "properties": {"detail": {"type": "string"}},
            "required": ["detail"],
        }
    }
}
# A filter's value that is not one of its choices: the filters' names and what is wrong.
FILTER_ERRORS = {
    "application/json": {
        "schema": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        }
    }
}


class AutoSchema(openapi.AutoSchema):
    def get_override_parameters(self):
        return [*super().get_override_parameters(), LANG_PARAMETER]

    def _get_response_bodies(self, direction="response"):
        """Besides the records: the refusals every operation may give."""
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        if self._is_list_view() and getattr(self.view, "filterset_class", None):
            responses["400"] = {
                "description": "A filter's value is not one of its choices (the filters' errors), "
                "or the query string has a control character (a detail).",
                "content": {
                    "application/json": {
                        "schema": {
                            "oneOf": [
                                FILTER_ERRORS["application/json"]["schema"],
                                DETAIL["application/json"]["schema"],
                            ]
                        }
                    }
                },
            }
        responses["404"] = {
            "description": "No such record, or a page past the last.",
            "content": DETAIL,
        }
        responses["429"] = {
            "description": "Too many requests from this address: wait for Retry-After seconds.",
            "content": DETAIL,
        }
        return responses


class PageFilterExtension(DjangoFilterExtension):
    """The pages' FilterSets in the schema. Their filters that run a method take an id (a
    domain's, a partner's) or a year, whose choices are read from the database when a page is
    asked for, not when the schema is written: integers."""

    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        from django_filters import filters

        dynamic = filter_field.method and (
            isinstance(filter_field, filters.ModelChoiceFilter)
            or (
                isinstance(filter_field, filters.ChoiceFilter)
                and not filter_field.extra.get("choices")
            )
        )
        if dynamic:
            filter_field = extend_schema_field(OpenApiTypes.INT)(copy.copy(filter_field))
        return super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
