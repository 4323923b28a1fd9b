from django import forms

from consultations.models import ConsultationAnswer


class ConsultationAnswerForm(forms.ModelForm):
    class Meta:
        model = ConsultationAnswer
        fields = ["text", "attachment"]
        widgets = {"text": forms.Textarea(attrs={"rows": 10})}
