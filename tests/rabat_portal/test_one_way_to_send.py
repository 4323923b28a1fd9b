"""E-mail leaves the portal one way: ``portal_lib.notifications.notify`` (and, for the digests,
``portal_lib.emails.send_over_one_connection``). Code outside ``portal_lib`` that sends mail
itself would skip the record, the preferences, the retries and the after-commit sending."""

import ast

from tests.rabat_portal.test_layers import FLOOR, ROOT

# Django's ways to send, and to open the connection that sends.
SENDING_FUNCTIONS = {
    "send_mail",
    "send_mass_mail",
    "mail_admins",
    "mail_managers",
    "get_connection",
    "send_messages",
}
MESSAGE_CLASSES = {"EmailMessage", "EmailMultiAlternatives"}


def sending_calls(source, filename="<source>"):
    """``[(line, what)]`` of the places in ``source`` that send mail or build a message to."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("django.core.mail"):
            found += [
                (node.lineno, f"imports {alias.name}")
                for alias in node.names
                if alias.name in SENDING_FUNCTIONS | MESSAGE_CLASSES
            ]
        elif isinstance(node, ast.Call):
            function = node.func
            name = getattr(function, "attr", None) or getattr(function, "id", None)
            if name in SENDING_FUNCTIONS:
                found.append((node.lineno, f"calls {name}"))
            # A message's send() takes nothing but fail_silently; a signal's send() a sender.
            elif (
                name == "send"
                and isinstance(function, ast.Attribute)
                and not node.args
                and all(keyword.arg == "fail_silently" for keyword in node.keywords)
            ):
                found.append((node.lineno, "calls .send()"))
    return sorted(found)


def test_the_scan_finds_each_way_of_sending():
    source = (
        "from django.core.mail import EmailMessage, get_connection, send_mail\n"
        "send_mail('s', 'b', None, ['a@example.org'])\n"
        "EmailMessage('s', 'b', to=['a@example.org']).send()\n"
        "get_connection().send_messages([])\n"
        "message.send(fail_silently=True)\n"
        "post_save.send(sender=None)\n"
        "request_finished.send(Model)\n"
    )

    assert [line for line, _what in sending_calls(source)] == [1, 1, 1, 2, 3, 4, 4, 5]


def test_no_code_outside_portal_lib_sends_mail_itself():
    offenders = []
    for app in sorted(set(FLOOR) - {"portal_lib"}):
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts or "tests" in path.parts:
                continue
            for line, what in sending_calls(path.read_text(), str(path)):
                offenders.append(f"{path.relative_to(ROOT)}:{line} {what}")

    assert offenders == [], "send through portal_lib.notifications.notify"
