"""Load the Dialogue's seed data; with --demo, also create demo accounts for local use."""

import datetime
import secrets

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from focalpoints.models import Membership, Partner
from portal_lib import page_cache
from rabat_portal.secretariat import SECRETARIAT_GROUP, grant_secretariat_permissions
from stocktaking.services import load_report_files

# In dependency order: each file refers only to rows of the files before it.
SEED_FIXTURES = [
    "fixtures/partners.yaml",
    "fixtures/marrakesh_action_plan.yaml",
    "fixtures/cadiz_action_plan.yaml",
    "fixtures/frameworks.yaml",
    "fixtures/framework_mappings.yaml",
    "fixtures/meetings.yaml",
    "fixtures/documents.yaml",
    "fixtures/consultations.yaml",
    "fixtures/labelling.yaml",
    "fixtures/acronyms.yaml",
    "fixtures/ideas.yaml",
]

DEMO_ACCOUNTS = [
    # (e-mail, first name, last name, is the Secretariat, partner slug, membership role)
    ("secretariat@example.org", "Demo", "Secretariat", True, None, None),
    (
        "focal-point@example.org",
        "Demo",
        "Focal Point",
        False,
        "senegal",
        Membership.Role.FOCAL_POINT,
    ),
    ("partner-staff@example.org", "Demo", "Partner Staff", False, "senegal", Membership.Role.STAFF),
]


class Command(BaseCommand):
    help = (
        "Load the Rabat Process seed data (partners, the Marrakesh Action Plan, the Cadiz "
        "plan's frame, the reference frameworks, reference countries, recommendations, "
        "meetings and documents). Idempotent: running it again "
        "changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--demo",
            action="store_true",
            help="Also create one demo account per role and print their credentials "
            "(refused unless DEBUG is on).",
        )

    def handle(self, *args, demo=False, verbosity=1, **options):
        if demo and not settings.DEBUG:
            raise CommandError(
                "--demo creates accounts with printed passwords: only with DEBUG on."
            )
        fixtures = [str(settings.BASE_DIR / name) for name in SEED_FIXTURES]
        with transaction.atomic():
            call_command("loaddata", *fixtures, verbosity=max(verbosity - 1, 0))
            # The 2018–2020 stocktaking report's texts, so that the report comes out whole.
            load_report_files()
            # Fixtures may hold rows of models no signal watches: kept pages are out of date.
            page_cache.content_changed()
        if verbosity:
            self.stdout.write(self.style.SUCCESS("Seed data loaded."))
        if demo:
            self.create_demo_accounts()
            self.create_demo_meeting()

    def create_demo_accounts(self):
        grant_secretariat_permissions()
        secretariat = Group.objects.get(name=SECRETARIAT_GROUP)
        User = get_user_model()
        self.stdout.write("Demo accounts (new passwords at every run):")
        for email, first_name, last_name, is_secretariat, partner, role in DEMO_ACCOUNTS:
            password = secrets.token_urlsafe(12)
            user, _created = User.objects.update_or_create(
                email=email,
                defaults={
                    "first_name": first_name,
                    "last_name": last_name,
                    "is_staff": is_secretariat,
                    "is_active": True,
                },
            )
            user.set_password(password)
            user.save(update_fields=["password"])
            if is_secretariat:
                user.groups.add(secretariat)
            if partner:
                Membership.objects.update_or_create(
                    user=user,
                    defaults={"partner": Partner.objects.get(slug=partner), "role": role},
                )
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            self.stdout.write(f"  {email}  {password}")
        self.stdout.write("The Secretariat account sets up two-factor authentication on first use.")

    def create_demo_meeting(self):
        """One upcoming hybrid meeting open for nominations, the demo focal point's partner
        invited: the flow from invitation to evaluation can be tried at once. Its title says it
        is a demonstration; nothing of it comes from the report."""
        from meetings import services
        from meetings.models import Meeting, MeetingInvitation

        today = timezone.localdate()
        now = timezone.now()
        meeting, _created = Meeting.objects.get_or_create(
            slug="demo-hybrid-meeting",
            defaults={
                "kind": Meeting.Kind.THEMATIC,
                "title_en": "Demonstration: hybrid thematic meeting",
                "title_fr": "Démonstration : réunion thématique hybride",
                "status": Meeting.Status.PLANNED,
                "format": Meeting.Format.HYBRID,
                "start_date": today + datetime.timedelta(days=45),
                "end_date": today + datetime.timedelta(days=46),
            },
        )
        invitation, _created = MeetingInvitation.objects.get_or_create(
            meeting=meeting,
            defaults={
                "audience": MeetingInvitation.Audience.CHOSEN,
                "seats_per_delegation": 3,
                "profile_sought_en": "National technical experts (demonstration).",
                "profile_sought_fr": "Experts techniques nationaux (démonstration).",
                "nomination_deadline": now + datetime.timedelta(days=20),
                "registration_deadline": now + datetime.timedelta(days=40),
                "join_link": "https://meet.example.org/demo",
            },
        )
        invitation.partners.add(*Partner.objects.filter(slug__in=["senegal", "spain"]))
        if invitation.nomination_deadline > now:
            services.send_invitations(meeting)
        self.stdout.write(f"Demo meeting open for nominations: /en/meetings/{meeting.slug}/")
