import factory

from ideas_lab.models import Comment, Idea, Interest
from tests.focalpoints.factories import PartnerFactory, UserFactory


class IdeaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Idea

    kind = Idea.Kind.PROJECT_PROPOSAL
    title = factory.Sequence(lambda n: f"Idea {n}")
    summary = "A short summary of the idea."
    description = "What the idea is about."
    partner = factory.SubFactory(PartnerFactory)
    is_draft = False


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    idea = factory.SubFactory(IdeaFactory)
    author = factory.SubFactory(UserFactory)
    text = "A comment."


class InterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interest

    idea = factory.SubFactory(IdeaFactory)
    partner = factory.SubFactory(PartnerFactory)
    kind = Interest.Kind.EXPERTISE
