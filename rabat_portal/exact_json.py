"""Django's JSON serialization, less its one loss: times keep their microseconds.

``DjangoJSONEncoder`` cuts times to milliseconds (as ECMAScript writes them), so a backup in
plain ``json`` would restore every timestamp slightly different from the one it saved.
Registered as the ``exactjson`` format by ``rabat_portal.backup``.
"""

import datetime

from django.core.serializers import json as django_json
from django.core.serializers.json import DjangoJSONEncoder


class ExactJSONEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(django_json.Serializer):
    def _init_options(self):
        self.options["cls"] = ExactJSONEncoder
        super()._init_options()


Deserializer = django_json.Deserializer
