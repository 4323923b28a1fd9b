"""Create realistic synthetic volume (partners, meetings, documents) to measure pages at scale."""

import datetime
import random

import yaml
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from actionplan.models import Action
from focalpoints.models import Partner, Region
from meetings.models import Document, Meeting, MeetingResult, Participation

SYNTHETIC_PREFIX = "synthetic-"
KINDS = [
    (Meeting.Kind.THEMATIC, 30),
    (Meeting.Kind.WORKSHOP, 25),
    (Meeting.Kind.STEERING_COMMITTEE, 15),
    (Meeting.Kind.WEBINAR, 15),
    (Meeting.Kind.SENIOR_OFFICIALS, 5),
    (Meeting.Kind.SIDE_EVENT, 5),
    (Meeting.Kind.OTHER, 5),
]
TOPICS = [
    "border management",
    "diaspora engagement",
    "remittances",
    "root causes of migration",
    "migrant smuggling",
    "trafficking in human beings",
    "return and reintegration",
    "legal migration",
    "protection and asylum",
    "visa facilitation",
    "cities and migration",
    "migration data",
    "labour mobility",
    "integration of refugees",
]
CITIES = [
    "Dakar",
    "Madrid",
    "Abuja",
    "Rabat",
    "Paris",
    "Brussels",
    "Abidjan",
    "Bamako",
    "Lisbon",
    "Niamey",
    "Rome",
    "Accra",
    "Yaoundé",
    "Tunis",
    "Ouagadougou",
    "Libreville",
]


class Command(BaseCommand):
    help = (
        "Add synthetic meetings, documents and partners for benchmarks. Deterministic for a "
        "given --seed. Refuses a database that holds real records unless --allow-real-data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--meetings", type=int, default=5000)
        parser.add_argument("--documents", type=int, default=20000)
        parser.add_argument("--partners", type=int, default=60, help="Partners in all, at least.")
        parser.add_argument("--seed", type=int, default=2018)
        parser.add_argument(
            "--allow-real-data",
            action="store_true",
            help="Add volume to a database that has records other than seed and synthetic ones.",
        )

    def handle(self, *args, meetings, documents, partners, seed, allow_real_data, **options):
        if min(meetings, documents, partners) < 0:
            raise CommandError("Counts cannot be negative.")
        if not allow_real_data and self.holds_real_data():
            raise CommandError(
                "This database holds meetings or documents that are not seed data: refusing to mix "
                "synthetic records into it. Use an empty or seeded database, or --allow-real-data."
            )
        actions = list(Action.objects.all())
        if not actions:
            raise CommandError("No action plan: run `manage.py bootstrap` first.")
        rng = random.Random(seed)
        with transaction.atomic():
            partner_rows = self.partners(partners, rng)
            meeting_rows = self.meetings(meetings, rng, partner_rows, actions)
            self.documents(documents, rng, meeting_rows, actions)
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {len(meeting_rows)} meetings and {documents} documents "
                f"(seed {seed}); {Partner.objects.count()} partners in all."
            )
        )

    def holds_real_data(self):
        """Whether any meeting or document is neither seed data nor synthetic."""
        seeded = set()
        with open(settings.BASE_DIR / "fixtures/meetings.yaml", encoding="utf-8") as fixture:
            for row in yaml.safe_load(fixture):
                if row["model"] == "meetings.meeting":
                    seeded.add(row["fields"]["slug"])
        real_meetings = (
            Meeting.objects.exclude(slug__startswith=SYNTHETIC_PREFIX)
            .exclude(slug__in=seeded)
            .exists()
        )
        real_documents = Document.objects.exclude(slug__startswith=SYNTHETIC_PREFIX).exclude(
            file=""
        )
        return real_meetings or real_documents.exists()

    def partners(self, total, rng):
        existing = list(Partner.objects.countries())
        missing = max(total - Partner.objects.count(), 0)
        regions = [value for value, _label in Region.choices]
        new = [
            Partner(
                slug=f"{SYNTHETIC_PREFIX}partner-{number}",
                name=f"Partner country {number}",
                name_en=f"Partner country {number}",
                kind=Partner.Kind.COUNTRY,
                region=rng.choice(regions),
            )
            for number in range(missing)
        ]
        Partner.objects.bulk_create(new)
        return existing + list(Partner.objects.filter(slug__startswith=SYNTHETIC_PREFIX))

    def meetings(self, total, rng, partners, actions):
        kinds = [kind for kind, weight in KINDS for _ in range(weight)]
        start = Meeting.objects.filter(slug__startswith=SYNTHETIC_PREFIX).count()
        rows = []
        for number in range(start, start + total):
            day = datetime.date(2006, 1, 1) + datetime.timedelta(days=rng.randrange(365 * 22))
            kind = rng.choice(kinds)
            topic = rng.choice(TOPICS)
            status = (
                Meeting.Status.HELD if day < datetime.date(2026, 1, 1) else Meeting.Status.PLANNED
            )
            if rng.random() < 0.05:
                status = Meeting.Status.POSTPONED
            title = f"{Meeting.Kind(kind).label} on {topic} ({number})"
            city = rng.choice(CITIES)
            rows.append(
                Meeting(
                    slug=f"{SYNTHETIC_PREFIX}meeting-{number}",
                    kind=kind,
                    title=title,
                    title_en=title,
                    start_date=day,
                    end_date=day + datetime.timedelta(days=rng.choice([0, 0, 1, 2])),
                    city=city,
                    city_en=city,
                    host_country=rng.choice(partners),
                    status=status,
                    format=rng.choice(list(Meeting.Format.values)),
                    objective_en=f"To exchange good practices on {topic} between partners.",
                )
            )
        Meeting.objects.bulk_create(rows, batch_size=1000)
        rows = list(
            Meeting.objects.filter(slug__startswith=SYNTHETIC_PREFIX).order_by("pk")[start:]
        )
        through = Meeting.actions.through
        links = [
            through(meeting_id=meeting.pk, action_id=action.pk)
            for meeting in rows
            for action in rng.sample(actions, rng.randint(1, 3))
        ]
        through.objects.bulk_create(links, batch_size=5000)
        results = [
            MeetingResult(
                meeting=meeting,
                position=position,
                text=f"Recommendation {position} adopted.",
                text_en=f"Recommendation {position} adopted.",
            )
            for meeting in rows
            if meeting.status == Meeting.Status.HELD
            for position in range(1, rng.randint(1, 4))
        ]
        MeetingResult.objects.bulk_create(results, batch_size=5000)
        participation = [
            Participation(
                meeting=meeting,
                participants=rng.randint(20, 120),
                delegations=rng.randint(10, 45),
                national_technical_experts=rng.randint(5, 40),
                external_experts=rng.randint(0, 25),
                government_representatives=rng.randint(10, 60),
            )
            for meeting in rows
            if meeting.status == Meeting.Status.HELD and rng.random() < 0.6
        ]
        Participation.objects.bulk_create(participation, batch_size=5000)
        return rows

    def documents(self, total, rng, meetings, actions):
        start = Document.objects.filter(slug__startswith=SYNTHETIC_PREFIX).count()
        categories = list(Document.Category.values)
        kinds = list(Document.Kind.values)
        rows = []
        for number in range(start, start + total):
            title = f"{rng.choice(TOPICS).capitalize()}: document {number}"
            rows.append(
                Document(
                    slug=f"{SYNTHETIC_PREFIX}document-{number}",
                    title=title,
                    title_en=title,
                    category=rng.choice(categories),
                    kind=rng.choice(kinds),
                    language=rng.choice(["en", "fr", "en+fr"]),
                    url=f"https://example.org/documents/{number}",
                    visibility=(
                        Document.Visibility.FOCAL_POINTS
                        if rng.random() < 0.2
                        else Document.Visibility.PUBLIC
                    ),
                    published_on=datetime.date(2006, 1, 1)
                    + datetime.timedelta(days=rng.randrange(365 * 20)),
                )
            )
        Document.objects.bulk_create(rows, batch_size=2000)
        created = list(
            Document.objects.filter(slug__startswith=SYNTHETIC_PREFIX)
            .order_by("pk")
            .values_list("pk", flat=True)[start:]
        )
        meeting_links = Document.meetings.through
        action_links = Document.actions.through
        if meetings:
            meeting_links.objects.bulk_create(
                [
                    meeting_links(document_id=pk, meeting_id=rng.choice(meetings).pk)
                    for pk in created
                ],
                batch_size=5000,
            )
        action_links.objects.bulk_create(
            [action_links(document_id=pk, action_id=rng.choice(actions).pk) for pk in created],
            batch_size=5000,
        )
