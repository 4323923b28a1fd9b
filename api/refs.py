"""What the listed records name of other records (partners, actions with their framework items,
domains, meetings) and the parts of a plan, written out for a whole page of records at once.

A reference is a few columns of another record. Fetched as model instances through
``prefetch_related``, each one cost a model (translation descriptors and all), a related manager
and a queryset per record, then a nested serializer per reference: most of a list's time. Here
each reference is a dict in the shape of its serializer (``api.serializers``' written-out
serializers pass such a dict through as it is):

- the partners and the actions (with their framework items and domain) are small tables that
  every list names over and over: their references, in each language, are derived data kept
  until the content changes (``vocabulary``), and a page reads only which of them each record
  names, from the many-to-many tables (a plain query per relation);
- meetings (thousands) and the parts of a plan are read for the page, one ``values()`` query
  per relation whatever the number of records.

Translated columns read in the active language with the portal's fallback, which ``values()``
applies to a model's own columns.
"""

from collections import defaultdict

from django.db import connections
from django.db.models import F
from django.utils import translation

from actionplan.models import (
    Action,
    CrossCuttingPriority,
    Domain,
    Framework,
    FrameworkItem,
    Objective,
)
from focalpoints.models import Chairmanship, Partner, SteeringCommitteeMembership
from meetings.models import Meeting
from portal_lib import page_cache
from portal_lib.exports import date_as_known


def vocabulary():
    """The references of every partner and every action in the active language, kept until the
    content changes: ``{"partners": {pk: ref}, "actions": {pk: ref}, "domains": {action pk:
    its domain's ref}, "plan_order": {action pk: its place in the actions' own order}}``."""
    language = translation.get_language()
    return page_cache.cached_for_content(f"api-vocabulary:{language}", build_vocabulary)


def build_vocabulary():
    # The partners' own order (by name) is the order of a record's partners.
    partners = {
        ref["id"]: ref for ref in Partner.objects.values("id", "slug", "name", "short_name", "kind")
    }
    domains = {ref["id"]: ref for ref in Domain.objects.order_by().values("id", "number", "title")}
    items = framework_items()
    actions, domain_of, plan_order = {}, {}, {}
    rows = Action.objects.order_by("plan", "number").values(
        "id",
        "plan__slug",
        "number",
        "title",
        "objective__domain_id",
        "objective__domain__number",
        "objective__number",
    )
    for place, row in enumerate(rows):
        pk = row["id"]
        actions[pk] = {
            "id": pk,
            "plan": row["plan__slug"],
            "number": row["number"],
            "title": row["title"],
            "domain": row["objective__domain__number"],
            "objective": row["objective__number"],
            "framework_items": items.get(pk, []),
        }
        domain_of[pk] = domains[row["objective__domain_id"]]
        plan_order[pk] = place
    return {
        "partners": partners,
        "actions": actions,
        "domains": domain_of,
        "plan_order": plan_order,
    }


def framework_items(action_ids=None):
    """{action id: the framework items it serves, in the frameworks' order} (of the actions
    ``action_ids``, or of every action) (``FrameworkItemRefSerializer``)."""
    # The frameworks' short names are translated: read from their own table, where
    # ``values()`` applies the language's fallback, rather than across the join.
    short_names = dict(Framework.objects.values_list("id", "short_name"))
    items = FrameworkItem.objects.in_order()
    if action_ids is not None:
        items = items.filter(mappings__action__in=action_ids)
    found = defaultdict(list)
    rows = items.values_list("mappings__action", "id", "framework_id", "framework__slug", "code")
    for action_id, pk, framework_id, framework, code in rows:
        if action_id is None:  # an item no action serves
            continue
        found[action_id].append(
            {
                "id": pk,
                "framework": framework,
                "code": code,
                "label": f"{short_names[framework_id]} {code}",
            }
        )
    return found


def named(model, relations, records):
    """{each of ``relations`` (many-to-many fields of ``model``): {pk of each of ``records``:
    the pks of the records it names through it}}, from the relations' own tables in one query
    (a UNION of them)."""
    found = {relation: defaultdict(list) for relation in relations}
    pks = [record.pk for record in records]
    if not pks:
        return found
    # Written from the relations' metadata: composing this UNION through the ORM (a queryset
    # per table, each annotated) cost ten times what running it does.
    database = connections[model.objects.db]
    quote = database.ops.quote_name
    marks = ", ".join(["%s"] * len(pks))
    selects = []
    for place, relation in enumerate(relations):
        field = model._meta.get_field(relation)
        through = field.remote_field.through._meta
        source = quote(through.get_field(field.m2m_field_name()).column)
        target = quote(through.get_field(field.m2m_reverse_field_name()).column)
        table = quote(through.db_table)
        selects.append(
            f"SELECT {place}, {source}, {target} FROM {table} WHERE {source} IN ({marks})"
        )
    with database.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects), pks * len(relations))
        for place, pk, named_pk in cursor.fetchall():
            found[relations[place]][pk].append(named_pk)
    return found


def knowing(words, table, pks):
    """``words[table]`` (``vocabulary()``), read afresh if it lacks any of ``pks``: a record
    saved since the vocabulary was kept, in the moment before the content version moved on."""
    if not words[table].keys() >= pks:
        words.update(build_vocabulary())
    return words[table]


def partners(words, found):
    """{pk of a record: the partners it names (``found``: their pks, from ``named``), in the
    partners' order} (``PartnerRefSerializer``), from ``words`` (``vocabulary()``)."""
    refs = knowing(words, "partners", {pk for partners in found.values() for pk in partners})
    order = {pk: place for place, pk in enumerate(refs)}
    return {
        pk: [refs[partner] for partner in sorted(partners, key=order.__getitem__)]
        for pk, partners in found.items()
    }


def partner(words, pk):
    """The reference of the partner ``pk``, or None (``PartnerRefSerializer``)."""
    return None if pk is None else knowing(words, "partners", {pk})[pk]


def actions(words, found, by_plan=False):
    """{pk of a record: the actions it names (``found``: their pks, from ``named``), by number,
    or in the actions' own order (their plan's, then number) ``by_plan``}
    (``ActionRefSerializer``), from ``words`` (``vocabulary()``)."""
    refs = knowing(words, "actions", {pk for actions in found.values() for pk in actions})
    plan_order = words["plan_order"]

    def key(pk):
        return plan_order[pk] if by_plan else (refs[pk]["number"], plan_order[pk])

    return {
        pk: [refs[action] for action in sorted(actions, key=key)] for pk, actions in found.items()
    }


def domains(words, action_refs):
    """The domains of ``action_refs`` (an ``actions`` list), each once, by number
    (``DomainRefSerializer``), as ``Meeting.domains`` gives them."""
    seen = {}
    for ref in action_refs:
        domain = words["domains"][ref["id"]]
        seen.setdefault(domain["id"], domain)
    return sorted(seen.values(), key=lambda domain: domain["number"])


def linked(queryset, link, pks, fields):
    """{each of ``pks``: [the ``fields`` of each record of ``queryset`` linked to it by ``link``
    (the lookup from those records back to these)]}, in ``queryset``'s order."""
    found = defaultdict(list)
    if pks:
        for row in queryset.filter(**{f"{link}__in": pks}).values(*fields, link):
            found[row.pop(link)].append(row)
    return found


def meetings(records, link):
    """The meetings each of ``records`` names, in the meetings' order (``MeetingRefSerializer``)."""
    return linked(Meeting.objects.all(), link, [record.pk for record in records], ("slug", "title"))


def plan_structures(plans):
    """{pk of each of ``plans``: {"domains": its domains, each with its objectives, each with
    its actions, each with the framework items it serves; "priorities": its cross-cutting
    priorities}}, each part by number (``DomainSerializer``, ``PrioritySerializer``)."""
    plan_pks = [plan.pk for plan in plans]
    domains = linked(
        Domain.objects.order_by("number"),
        "plan",
        plan_pks,
        ("id", "number", "title", "full_title", "description"),
    )
    objectives = linked(
        Objective.objects.order_by("number"),
        "domain",
        [domain["id"] for found in domains.values() for domain in found],
        ("id", "number", "title", "description"),
    )
    actions = linked(
        Action.objects.order_by("number"),
        "objective",
        [objective["id"] for found in objectives.values() for objective in found],
        ("id", "number", "title", "description", "wording_confirmed"),
    )
    items = framework_items([action["id"] for found in actions.values() for action in found])
    for found in actions.values():
        for action in found:
            action["framework_items"] = items.get(action["id"], [])
    for found in objectives.values():
        for objective in found:
            objective["actions"] = actions.get(objective["id"], [])
    for found in domains.values():
        for domain in found:
            domain["objectives"] = objectives.get(domain["id"], [])
    priorities = linked(
        CrossCuttingPriority.objects.order_by("number"),
        "plan",
        plan_pks,
        ("number", "title", "description"),
    )
    return {
        pk: {"domains": domains.get(pk, []), "priorities": priorities.get(pk, [])}
        for pk in plan_pks
    }


def partner_roles(partners):
    """{pk of each of ``partners``: {"steering_committee_memberships": its memberships of the
    Steering Committee, "chairmanships": its chairmanships}, each oldest first (one without a
    start first)} (``SteeringCommitteeMembershipSerializer``, ``ChairmanshipSerializer``)."""
    pks = [partner.pk for partner in partners]
    oldest_first = (F("start").asc(nulls_first=True), "pk")
    memberships = linked(
        SteeringCommitteeMembership.objects.order_by(*oldest_first),
        "partner",
        pks,
        ("start", "end", "note"),
    )
    for found in memberships.values():
        for membership in found:
            membership["start"] = iso_date(membership["start"])
            membership["end"] = iso_date(membership["end"])
    chairmanships = linked(
        Chairmanship.objects.order_by(*oldest_first),
        "partner",
        pks,
        ("start", "start_precision", "end", "occasion"),
    )
    for found in chairmanships.values():
        for chairmanship in found:
            chairmanship["start"] = date_as_known(
                chairmanship["start"], chairmanship["start_precision"]
            )
            chairmanship["end"] = iso_date(chairmanship["end"])
    return {
        pk: {
            "steering_committee_memberships": memberships.get(pk, []),
            "chairmanships": chairmanships.get(pk, []),
        }
        for pk in pks
    }


def iso_date(day):
    """A date as the API writes it (ISO 8601, as a serializer's ``DateField``), or None."""
    return None if day is None else day.isoformat()
