"""Create the first Secretariat account (or make an existing account one) from the shell."""

import getpass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from rabat_portal.secretariat import create_secretariat_account


class Command(BaseCommand):
    help = (
        "Make EMAIL a Secretariat account: staff, in the Secretariat group, address verified. "
        "Asks for a password for a new account unless --no-input; two-factor authentication is "
        "set up at the first visit to the admin."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument(
            "--superuser",
            action="store_true",
            help="Also a superuser: may change groups and rights (the first account should be).",
        )
        parser.add_argument(
            "--no-input",
            action="store_true",
            help="Ask nothing: a new account gets its password through 'Forgot your password?'.",
        )

    def handle(self, *args, email, first_name, last_name, superuser, no_input, **options):
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(f"{email!r} is not an e-mail address.") from error
        User = get_user_model()
        password = None
        if not no_input and not User.objects.filter(email__iexact=email).exists():
            password = self.ask_password(User(email=email, first_name=first_name))
        user, created = create_secretariat_account(
            email,
            first_name=first_name,
            last_name=last_name,
            superuser=superuser,
            password=password,
        )
        state = "Created" if created else "Updated"
        role = "Secretariat superuser" if user.is_superuser else "Secretariat account"
        self.stdout.write(self.style.SUCCESS(f"{state} the {role} {user.email}."))
        if not user.has_usable_password():
            self.stdout.write(
                f"Set its password from {settings.SITE_URL}/en/accounts/password/reset/ "
                "(the e-mail goes to that address)."
            )
        self.stdout.write(
            f"At the first visit to {settings.SITE_URL}/admin/ the portal asks to set up "
            "two-factor authentication (an authenticator app) before the admin opens."
        )

    def ask_password(self, user):
        for _attempt in range(3):
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                self.stderr.write("The passwords differ.")
                continue
            try:
                validate_password(password, user)
            except ValidationError as error:
                self.stderr.write(" ".join(error.messages))
                continue
            return password
        raise CommandError("No password set; run again, or use --no-input and reset it.")
