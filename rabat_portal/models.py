"""Records that belong to the portal as a whole: the glossary of the Secretariat's reports."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AcronymManager(models.Manager):
    def get_by_natural_key(self, term):
        return self.get(term=term)


class Acronym(models.Model):
    """An acronym of the Dialogue, listed at the start of the stocktaking report."""

    term = models.CharField(_("acronym"), max_length=30, unique=True)
    meaning = models.CharField(_("meaning"), max_length=255)

    objects = AcronymManager()

    class Meta:
        verbose_name = _("acronym")
        verbose_name_plural = _("acronyms")
        ordering = ["term"]

    def __str__(self):
        return self.term

    def natural_key(self):
        return (self.term,)
