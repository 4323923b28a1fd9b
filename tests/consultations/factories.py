import datetime

import factory

from consultations.models import Consultation


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultation

    title = factory.Sequence(lambda n: f"Consultation {n}")
    slug = factory.Sequence(lambda n: f"consultation-{n}")
    question = "What should the updated plan say?"
    opens_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=3))
    closes_on = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=10))
