"""E-mail as a trio of templates (subject, text, HTML), rendered in the recipient's language."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def render_email(template, context, language, to, headers=None):
    """An ``EmailMultiAlternatives`` built from ``emails/<template>-subject.txt``,
    ``-body.txt`` and ``-body.html``, rendered in ``language``; not sent."""
    context = {**context, "site_url": settings.SITE_URL}
    with translation.override(language):
        subject = " ".join(render_to_string(f"emails/{template}-subject.txt", context).split())
        text = render_to_string(f"emails/{template}-body.txt", context)
        html = render_to_string(f"emails/{template}-body.html", context)
    message = EmailMultiAlternatives(subject, text, to=to, headers=headers or {})
    message.attach_alternative(html, "text/html")
    return message


def send_email(template, context, language, to, headers=None):
    """Render and send one e-mail (see ``render_email``); returns the message sent."""
    message = render_email(template, context, language, to, headers)
    message.send()
    return message
