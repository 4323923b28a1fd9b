"""Create realistic synthetic volume (partners, focal points, meetings, documents, ideas and
labelling requests) to measure pages at scale.

The counts are totals to reach, not amounts to add: a second run with the same counts adds
nothing, and a run with larger counts tops the database up. Only missing records are created,
with ``bulk_create`` in batches.

Benchmark code, not the portal's: it is not in the image. The benchmarks call it in their own
process (``call_command(GenerateVolume(), scale=…)``); by hand: ``python -m bench.volume --scale 1``
with the settings of the database to fill.
"""

import datetime
import random

import yaml
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from actionplan.models import Action
from consultations.models import Consultation, ConsultationAnswer
from focalpoints.models import Membership, Partner, Region
from focalpoints.permissions import SECRETARIAT_GROUP
from ideas_lab.models import Comment, Follow, Idea, IdeaStatusChange, Interest
from labelling.models import TRANSITIONS, LabellingEvent, LabellingRequest, State
from meetings.models import Document, Meeting, MeetingResult, Participation
from portal_lib import page_cache
from rabat_portal.secretariat import grant_secretariat_permissions

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


# The realistic volume, at --scale 1: totals in the database, seed data included.
REALISTIC = {
    "partners": 60,
    "focal_points": 500,
    "meetings": 5000,
    "documents": 20000,
    "ideas": 2000,
    "labelling_requests": 1000,
    "consultations": 200,
}
# Synthetic accounts share this domain, so the load benchmark can find them and no e-mail leaves.
SYNTHETIC_EMAIL_DOMAIN = "bench.invalid"
SECRETARIAT_EMAIL = f"{SYNTHETIC_PREFIX}secretariat@{SYNTHETIC_EMAIL_DOMAIN}"
# Where labelling requests end, by weight, and the walk through TRANSITIONS that gets them there.
# Every path starts at "draft" and is checked against TRANSITIONS before anything is written.
LABELLING_PATHS = [
    (10, []),
    (10, ["submit"]),
    (10, ["submit", "start_review"]),
    (8, ["submit", "start_review", "request_changes"]),
    (35, ["submit", "start_review", "approve"]),
    (10, ["submit", "start_review", "request_changes", "submit", "start_review", "approve"]),
    (10, ["submit", "start_review", "reject"]),
    (7, ["submit", "withdraw"]),
]
# Ideas: how many comments, expressions of interest and extra followers each one draws, by
# weight. Most ideas draw little; a few draw a discussion (about 3 comments per idea overall).
COMMENTS_PER_IDEA = [(30, 0), (25, 1), (15, 2), (10, 4), (10, 6), (7, 10), (3, 20)]
INTERESTS_PER_IDEA = [(60, 0), (25, 1), (10, 2), (5, 3)]
EXTRA_FOLLOWERS_PER_IDEA = [(50, 0), (30, 1), (15, 2), (5, 5)]
BULK_BATCH = 2000
# Synthetic ideas and requests spread over the 2,000 days from this moment: fixed, so runs repeat.
SYNTHETIC_EPOCH = datetime.datetime(2020, 6, 1, tzinfo=datetime.UTC)


def weighted(rng, table):
    return rng.choices([value for _weight, value in table], [w for w, _value in table])[0]


class Command(BaseCommand):
    help = (
        "Bring the database up to a realistic volume for benchmarks: partners, focal points, "
        "meetings, documents, ideas and labelling requests. Counts are totals (seed data "
        "included): running it again adds nothing. Deterministic for a given --seed. Refuses a "
        "database that holds real records unless --allow-real-data."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Multiply the realistic volume (60 partners, 500 focal points, 5,000 meetings, "
            "20,000 documents, 2,000 ideas, 1,000 labelling requests, 200 consultations) by "
            "this, e.g. 0.02.",
        )
        for name, total in REALISTIC.items():
            parser.add_argument(
                f"--{name.replace('_', '-')}",
                type=int,
                help=f"Total to reach, overriding --scale (realistic: {total:,}).",
            )
        parser.add_argument("--seed", type=int, default=2018)
        parser.add_argument(
            "--password",
            default="",
            help="Give every synthetic account this password (the load benchmark signs in with "
            "it). Without it they cannot sign in.",
        )
        parser.add_argument(
            "--allow-real-data",
            action="store_true",
            help="Add volume to a database that has records other than seed and synthetic ones.",
        )

    def handle(self, *args, scale, seed, password, allow_real_data, verbosity=1, **options):
        if scale < 0:
            raise CommandError("The scale cannot be negative.")
        targets = {
            name: options[name] if options.get(name) is not None else round(total * scale)
            for name, total in REALISTIC.items()
        }
        if min(targets.values()) < 0:
            raise CommandError("Counts cannot be negative.")
        if not allow_real_data and self.holds_real_data():
            raise CommandError(
                "This database holds records that are not seed data: refusing to mix synthetic "
                "records into it. Use an empty or seeded database, or --allow-real-data."
            )
        actions = list(Action.objects.select_related("objective__domain"))
        if not actions:
            raise CommandError("No action plan: run `manage.py bootstrap` first.")
        missing = {
            "partners": targets["partners"] - Partner.objects.count(),
            "focal_points": targets["focal_points"] - Membership.objects.focal_points().count(),
            "meetings": targets["meetings"] - Meeting.objects.count(),
            "documents": targets["documents"] - Document.objects.count(),
            "ideas": targets["ideas"] - Idea.objects.count(),
            "labelling_requests": targets["labelling_requests"] - LabellingRequest.objects.count(),
            "consultations": targets["consultations"] - Consultation.objects.count(),
        }
        missing = {name: max(count, 0) for name, count in missing.items()}

        # One generator per kind of record, so what is made of one kind does not depend on how
        # many records of the other kinds were missing.
        def rng(kind):
            return random.Random(f"{seed}-{kind}")

        with transaction.atomic():
            partners = self.partners(missing["partners"], rng("partners"))
            secretariat = self.secretariat(password)
            focal_points = self.focal_points(
                missing["focal_points"], rng("focal_points"), partners, password
            )
            meeting_rows = self.meetings(missing["meetings"], rng("meetings"), partners, actions)
            if not meeting_rows:
                meeting_rows = list(Meeting.objects.filter(slug__startswith=SYNTHETIC_PREFIX))
            self.documents(missing["documents"], rng("documents"), meeting_rows, actions)
            self.ideas(missing["ideas"], rng("ideas"), partners, focal_points, actions)
            self.labelling_requests(
                missing["labelling_requests"],
                rng("labelling_requests"),
                partners,
                focal_points,
                secretariat,
                actions,
            )
            self.consultations(missing["consultations"], rng("consultations"), partners)
            if password:
                # Every synthetic account, old or new, signs in with the password asked for.
                get_user_model().objects.filter(
                    email__endswith=f"@{SYNTHETIC_EMAIL_DOMAIN}"
                ).update(password=make_password(password))
            # Rows written in bulk send no signal: pages kept before them are out of date.
            page_cache.content_changed()
        if any(missing.values()):
            self.update_statistics()
        if not verbosity:
            return
        if not any(missing.values()):
            self.stdout.write("The database is already at this volume: nothing added.")
            return
        added = ", ".join(
            f"{count} {name.replace('_', ' ')}" for name, count in missing.items() if count
        )
        self.stdout.write(self.style.SUCCESS(f"Added {added} (seed {seed})."))

    def update_statistics(self):
        """Have the database count what was just loaded, as production's autovacuum would.

        After a bulk load the tables have no statistics until autovacuum analyses them, and
        never where it is off (as on some CI and benchmark servers): the planner then guesses a
        few rows per table and picks plans production would not (a nested loop over 16,000
        documents it took for six; on SQLite, a meeting's few documents found by reading every
        public one through the visibility index), so benchmarks would measure the wrong thing.
        """
        tables = connection.introspection.django_table_names(only_existing=True)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"ANALYZE {', '.join(map(connection.ops.quote_name, tables))}")
            elif connection.vendor == "sqlite":
                for table in tables:
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")

    def holds_real_data(self):
        """Whether any meeting, document, idea or labelling request is neither seed data nor
        synthetic."""
        seeded = {}
        for name in ("meetings", "ideas", "labelling", "consultations"):
            path = settings.BASE_DIR / f"fixtures/{name}.yaml"
            with open(path, encoding="utf-8") as fixture:
                for row in yaml.safe_load(fixture):
                    seeded.setdefault(row["model"], set()).add(row["fields"].get("slug"))

        def real(model):
            return model.objects.exclude(slug__startswith=SYNTHETIC_PREFIX).exclude(
                slug__in=seeded.get(model._meta.label_lower, set())
            )

        real_documents = Document.objects.exclude(slug__startswith=SYNTHETIC_PREFIX).exclude(
            file=""
        )
        return (
            real(Meeting).exists()
            or real_documents.exists()
            # An idea without a slug was written on the portal: seed and synthetic ones have one.
            or real(Idea).exists()
            or Idea.objects.filter(slug__isnull=True).exists()
            or real(LabellingRequest).exists()
            or real(Consultation).exists()
        )

    def partners(self, missing, rng):
        existing = list(Partner.objects.countries())
        start = Partner.objects.filter(slug__startswith=SYNTHETIC_PREFIX).count()
        regions = [value for value, _label in Region.choices]
        new = [
            Partner(
                slug=f"{SYNTHETIC_PREFIX}partner-{number}",
                name=f"Partner country {number}",
                name_en=f"Partner country {number}",
                kind=Partner.Kind.COUNTRY,
                region=rng.choice(regions),
            )
            for number in range(start, start + missing)
        ]
        Partner.objects.bulk_create(new)
        return existing + list(
            Partner.objects.filter(slug__startswith=SYNTHETIC_PREFIX).exclude(
                pk__in=[partner.pk for partner in existing]
            )
        )

    def secretariat(self, password):
        """The Secretariat member who makes the synthetic review decisions (one account)."""
        grant_secretariat_permissions()
        User = get_user_model()
        user, created = User.objects.get_or_create(
            email=SECRETARIAT_EMAIL,
            defaults={"first_name": "Synthetic", "last_name": "Secretariat", "is_staff": True},
        )
        if created:
            user.password = make_password(password or None)
            user.save(update_fields=["password"])
            user.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        return user

    def focal_points(self, missing, rng, partners, password):
        """Create ``missing`` focal points (the first of a partner the National Focal Point,
        later ones alternates); return every synthetic focal point by partner pk."""
        User = get_user_model()
        start = User.objects.filter(email__startswith=f"{SYNTHETIC_PREFIX}focal-point-").count()
        # One hash for all: Argon2 is slow by design, and 500 hashes would take minutes.
        password_hash = make_password(password or None)
        users = [
            User(
                email=f"{SYNTHETIC_PREFIX}focal-point-{number}@{SYNTHETIC_EMAIL_DOMAIN}",
                first_name="Focal",
                last_name=f"Point {number}",
                password=password_hash,
                language=rng.choice(["en", "en", "fr"]),
            )
            for number in range(start, start + missing)
        ]
        User.objects.bulk_create(users, batch_size=BULK_BATCH)
        users = list(User.objects.filter(email__in=[user.email for user in users]).order_by("pk"))
        EmailAddress.objects.bulk_create(
            [
                EmailAddress(user=user, email=user.email, verified=True, primary=True)
                for user in users
            ],
            batch_size=BULK_BATCH,
        )
        has_focal_point = set(
            Membership.objects.filter(role=Membership.Role.FOCAL_POINT).values_list(
                "partner_id", flat=True
            )
        )
        memberships = []
        for user in users:
            partner = rng.choice(partners)
            role = (
                Membership.Role.ALTERNATE
                if partner.pk in has_focal_point
                else Membership.Role.FOCAL_POINT
            )
            has_focal_point.add(partner.pk)
            memberships.append(Membership(user=user, partner=partner, role=role))
        Membership.objects.bulk_create(memberships, batch_size=BULK_BATCH)
        by_partner = {}
        for membership in Membership.objects.filter(
            user__email__startswith=f"{SYNTHETIC_PREFIX}focal-point-"
        ).select_related("user"):
            by_partner.setdefault(membership.partner_id, []).append(membership.user)
        return by_partner

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

    def ideas(self, total, rng, partners, focal_points, actions):
        """Ideas from partners with focal points, with comments, interest and followers in the
        proportions of a lively laboratory; a tenth are drafts, a few are hidden."""
        if not total:
            return
        authors = [partner for partner in partners if partner.pk in focal_points]
        if not authors:
            raise CommandError("Ideas need focal points to submit them: ask for some.")
        start = Idea.objects.filter(slug__startswith=SYNTHETIC_PREFIX).count()
        kinds = list(Idea.Kind.values)
        statuses = [
            (45, Idea.Status.OPEN),
            (25, Idea.Status.IN_DISCUSSION),
            (10, Idea.Status.PARTNERS_FOUND),
            (10, Idea.Status.IN_IMPLEMENTATION),
            (10, Idea.Status.CLOSED),
        ]
        ideas, chosen_actions = [], []
        for number in range(start, start + total):
            partner = rng.choice(authors)
            action = rng.choice(actions)
            topic = rng.choice(TOPICS)
            created = SYNTHETIC_EPOCH + datetime.timedelta(minutes=rng.randrange(60 * 24 * 2000))
            is_draft = rng.random() < 0.1
            # Idea.save() would sanitise these; bulk_create skips it, so they are plain already.
            ideas.append(
                Idea(
                    slug=f"{SYNTHETIC_PREFIX}idea-{number}",
                    kind=rng.choice(kinds),
                    title=f"Cooperation on {topic} ({number})",
                    summary=f"A proposal to work together on {topic} with other partners.",
                    description=f"<p>What we propose on {topic}, and what we need.</p>",
                    partner=partner,
                    submitted_by=rng.choice(focal_points[partner.pk]),
                    domain=action.objective.domain,
                    status=Idea.Status.OPEN if is_draft else weighted(rng, statuses),
                    is_draft=is_draft,
                    is_hidden=not is_draft and rng.random() < 0.01,
                    hidden_reason="Duplicate of another idea.",
                    created_at=created,
                    published_at=None if is_draft else created,
                    last_activity_at=created,
                )
            )
            chosen_actions.append(action)
        Idea.objects.bulk_create(ideas, batch_size=BULK_BATCH)
        ideas = list(Idea.objects.filter(slug__in=[idea.slug for idea in ideas]).order_by("pk"))
        through = Idea.actions.through
        through.objects.bulk_create(
            [
                through(idea_id=idea.pk, action_id=action.pk)
                for idea, action in zip(ideas, chosen_actions, strict=True)
            ],
            batch_size=BULK_BATCH,
        )
        people = [user for users in focal_points.values() for user in users]
        comments, interests, follows, changes = [], [], [], []
        for idea in ideas:
            followers = {idea.submitted_by_id}
            if idea.status != Idea.Status.OPEN:
                changes.append(
                    IdeaStatusChange(
                        idea=idea,
                        from_status=Idea.Status.OPEN,
                        to_status=idea.status,
                        changed_by=idea.submitted_by,
                        changed_at=idea.created_at + datetime.timedelta(days=30),
                    )
                )
            if idea.is_draft:
                follows.append(Follow(idea=idea, user_id=idea.submitted_by_id))
                continue
            moment = idea.created_at
            for _number in range(weighted(rng, COMMENTS_PER_IDEA)):
                author = rng.choice(people)
                moment += datetime.timedelta(hours=rng.randint(1, 24 * 14))
                comments.append(
                    Comment(
                        idea=idea,
                        author=author,
                        text="We have done something similar; happy to share what we learnt.",
                        source=rng.choice([Comment.Source.WEB] * 4 + [Comment.Source.EMAIL]),
                        created_at=moment,
                    )
                )
                # Commenting subscribes, as it does on the portal.
                followers.add(author.pk)
            interested = {idea.partner_id}
            for _number in range(weighted(rng, INTERESTS_PER_IDEA)):
                partner_pk = rng.choice(list(focal_points))
                if partner_pk in interested:
                    continue
                interested.add(partner_pk)
                interests.append(
                    Interest(
                        idea=idea,
                        partner_id=partner_pk,
                        kind=rng.choice(list(Interest.Kind.values)),
                        message="We could contribute.",
                        expressed_by=rng.choice(focal_points[partner_pk]),
                        created_at=moment,
                    )
                )
            for _number in range(weighted(rng, EXTRA_FOLLOWERS_PER_IDEA)):
                followers.add(rng.choice(people).pk)
            follows.extend(Follow(idea=idea, user_id=pk) for pk in sorted(followers))
            if moment != idea.created_at:
                idea.last_activity_at = moment
        Idea.objects.bulk_update(ideas, ["last_activity_at"], batch_size=BULK_BATCH)
        Comment.objects.bulk_create(comments, batch_size=BULK_BATCH)
        Interest.objects.bulk_create(interests, batch_size=BULK_BATCH)
        Follow.objects.bulk_create(follows, batch_size=BULK_BATCH)
        IdeaStatusChange.objects.bulk_create(changes, batch_size=BULK_BATCH)

    def consultations(self, total, rng, partners):
        """Consultation rounds over the years, of every audience, each answered by about a third
        of the partners; one in ten is open today, so that the private area lists them."""
        if not total:
            return
        start = Consultation.objects.filter(slug__startswith=SYNTHETIC_PREFIX).count()
        today = datetime.date.today()
        audience = Consultation.Audience
        kinds = [audience.ALL, audience.ALL, audience.REGION, audience.STEERING_COMMITTEE]
        kinds.append(audience.CHOSEN)
        regions = [value for value, _label in Region.choices]
        rows = []
        for number in range(start, start + total):
            if rng.random() < 0.1:
                opens = today - datetime.timedelta(days=rng.randrange(1, 20))
            else:
                opens = today - datetime.timedelta(days=rng.randrange(30, 20 * 365))
            kind = rng.choice(kinds)
            rows.append(
                Consultation(
                    slug=f"{SYNTHETIC_PREFIX}consultation-{number}",
                    title=f"Consultation on {rng.choice(TOPICS)} ({number})",
                    title_en=f"Consultation on {rng.choice(TOPICS)} ({number})",
                    question="What should the Dialogue do next?",
                    question_en="What should the Dialogue do next?",
                    audience=kind,
                    region=rng.choice(regions) if kind == audience.REGION else "",
                    opens_on=opens,
                    closes_on=opens + datetime.timedelta(days=rng.randrange(14, 45)),
                )
            )
        made = Consultation.objects.bulk_create(rows, batch_size=500)
        chosen, answers = [], []
        through = Consultation.partners.through
        for consultation in made:
            if consultation.audience == audience.CHOSEN:
                chosen += [
                    through(consultation_id=consultation.pk, partner_id=partner.pk)
                    for partner in rng.sample(partners, min(5, len(partners)))
                ]
            answers += [
                ConsultationAnswer(
                    consultation=consultation, partner=partner, text="Our comments are attached."
                )
                for partner in rng.sample(partners, len(partners) // 3)
            ]
        through.objects.bulk_create(chosen, batch_size=1000)
        ConsultationAnswer.objects.bulk_create(answers, batch_size=1000)

    def labelling_requests(self, total, rng, partners, focal_points, secretariat, actions):
        """Requests in every state of the workflow, each with the audit trail of its path.

        The transition methods (``LabellingRequest.submit`` …) lock the row, write one event and
        queue e-mails per step: for a thousand requests that is thousands of transactions and
        e-mails a benchmark must not send. So the rows are bulk-created, but every path is a
        walk through ``TRANSITIONS`` checked here step by step, and each step gets the
        ``LabellingEvent`` the method would have written (same actor rules, comment where one
        is required, ``submitted_at`` and ``decided_at`` as the methods set them).
        """
        if not total:
            return
        applicants = [partner for partner in partners if partner.pk in focal_points]
        if not applicants:
            raise CommandError("Labelling requests need focal points to submit them.")
        paths = [(weight, walk(path)) for weight, path in LABELLING_PATHS]
        start = LabellingRequest.objects.filter(slug__startswith=SYNTHETIC_PREFIX).count()
        requests, chosen_paths, chosen_actions = [], [], []
        for number in range(start, start + total):
            partner = rng.choice(applicants)
            topic = rng.choice(TOPICS)
            kind = rng.choice(list(LabellingRequest.Kind.values))
            created = SYNTHETIC_EPOCH + datetime.timedelta(minutes=rng.randrange(60 * 24 * 2000))
            begins = created.date() + datetime.timedelta(days=rng.randint(60, 400))
            requests.append(
                LabellingRequest(
                    slug=f"{SYNTHETIC_PREFIX}request-{number}",
                    kind=kind,
                    title=f"Project on {topic} ({number})",
                    summary=f"A project of the partners on {topic}.",
                    objectives="Strengthen cooperation between the partners.",
                    expected_results="Trained officials and shared practice.",
                    results_sharing="Presented at a thematic meeting of the Dialogue.",
                    contact_name="Project contact",
                    contact_email=f"contact-{number}@{SYNTHETIC_EMAIL_DOMAIN}",
                    lead_partner=partner,
                    start_date=begins,
                    end_date=begins + datetime.timedelta(days=rng.choice([1, 2, 365, 730])),
                    budget=rng.randrange(20, 5000) * 1000,
                    created_by=rng.choice(focal_points[partner.pk]),
                    created_at=created,
                )
            )
            chosen_paths.append(weighted(rng, paths))
            chosen_actions.append(rng.sample(actions, rng.randint(1, 3)))
        events = []
        for labelling_request, steps in zip(requests, chosen_paths, strict=True):
            moment = labelling_request.created_at
            for transition, previous in steps:
                moment += datetime.timedelta(days=rng.randint(1, 20))
                actor = (
                    secretariat if transition.by == "secretariat" else labelling_request.created_by
                )
                events.append(
                    LabellingEvent(
                        request=labelling_request,
                        actor=actor,
                        from_state=previous,
                        to_state=transition.target,
                        comment=(
                            "Please say more about the expected results."
                            if transition.comment_required
                            else ""
                        ),
                        created_at=moment,
                    )
                )
                if transition.name == "submit":
                    labelling_request.submitted_at = moment
                if transition.target in (State.APPROVED, State.REJECTED):
                    labelling_request.decided_at = moment
                labelling_request.state = transition.target
        LabellingRequest.objects.bulk_create(requests, batch_size=BULK_BATCH)
        saved = LabellingRequest.objects.in_bulk(
            [labelling_request.slug for labelling_request in requests], field_name="slug"
        )
        for event in events:
            event.request = saved[event.request.slug]
        LabellingEvent.objects.bulk_create(events, batch_size=BULK_BATCH)
        through = LabellingRequest.actions.through
        through.objects.bulk_create(
            [
                through(labellingrequest_id=saved[labelling_request.slug].pk, action_id=action.pk)
                for labelling_request, chosen in zip(requests, chosen_actions, strict=True)
                for action in chosen
            ],
            batch_size=BULK_BATCH,
        )


def walk(path):
    """The steps of ``path`` (transition names) from "draft", each with the state it leaves;
    raises if the workflow does not allow a step, so no request reaches a state it could not."""
    state, steps = State.DRAFT, []
    for name in path:
        transition = TRANSITIONS[name]
        if state not in transition.sources:
            raise CommandError(f"The workflow does not allow {name} from {state}.")
        steps.append((transition, state))
        state = transition.target
    return steps


GenerateVolume = Command


if __name__ == "__main__":
    import os
    import sys

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rabat_portal.settings")
    django.setup()
    GenerateVolume().run_from_argv(["manage.py", "generate_volume", *sys.argv[1:]])
