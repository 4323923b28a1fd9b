from django import forms

from consultations.models import ConsultationAnswer
from portal_lib.richtext import MarkdownTextarea


class ConsultationAnswerForm(forms.ModelForm):
    class Meta:
        model = ConsultationAnswer
        fields = ["text", "attachment"]
        widgets = {"text": MarkdownTextarea(attrs={"rows": 10})}
