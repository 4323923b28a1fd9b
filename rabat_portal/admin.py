from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from rabat_portal.models import Acronym


@admin.register(Acronym)
class AcronymAdmin(TranslationAdmin):
    list_display = ["term", "meaning"]
    search_fields = ["term", "meaning_en", "meaning_fr"]
