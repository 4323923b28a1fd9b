"""What the listed records name of other records (partners, actions with their framework items,
domains, meetings), written out for a whole page of records at once.

A reference is a few columns of a small table. Fetched as model instances through
``prefetch_related``, each one cost a model (translation descriptors and all), a related manager
and a queryset per record, then a nested serializer per reference: most of a list's time. Here
each relation is one ``values()`` query for the whole page, whatever the number of records, and
each reference a dict in the shape of its reference serializer (``api.serializers``'
``*RefSerializer``, which pass such a dict through as it is). Translated columns read in the
active language with the portal's fallback, which ``values()`` applies to a model's own columns
(not across a join: hence the frameworks' short names read from their own table).
"""

from collections import defaultdict

from actionplan.models import Action, Domain, Framework, FrameworkItem
from focalpoints.models import Partner
from meetings.models import Meeting


def linked(queryset, link, records, fields):
    """{pk of each of ``records``: [the ``fields`` of each record of ``queryset`` linked to it by
    ``link`` (the lookup from those records back to these)]}, in ``queryset``'s order."""
    found = defaultdict(list)
    pks = [record.pk for record in records]
    if pks:
        for row in queryset.filter(**{f"{link}__in": pks}).values(*fields, link):
            found[row.pop(link)].append(row)
    return found


PARTNER_FIELDS = ("id", "slug", "name", "short_name", "kind")


def partners(records, link):
    """The partners each of ``records`` names, in the partners' order (``PartnerRefSerializer``)."""
    return linked(Partner.objects.all(), link, records, PARTNER_FIELDS)


def meetings(records, link):
    """The meetings each of ``records`` names, in the meetings' order (``MeetingRefSerializer``)."""
    return linked(Meeting.objects.all(), link, records, ("slug", "title"))


def actions(records, link, order=("number",)):
    """The actions each of ``records`` names, in ``order``, each with the framework items it
    serves (``ActionRefSerializer``)."""
    found = linked(
        Action.objects.order_by(*order),
        link,
        records,
        ("id", "plan__slug", "number", "title", "objective__domain__number", "objective__number"),
    )
    refs = [ref for record_refs in found.values() for ref in record_refs]
    items = framework_items({ref["id"] for ref in refs})
    for ref in refs:
        ref["plan"] = ref.pop("plan__slug")
        ref["domain"] = ref.pop("objective__domain__number")
        ref["objective"] = ref.pop("objective__number")
        ref["framework_items"] = items.get(ref["id"], [])
    # In the serializer's order of fields, as the nested serializers wrote them.
    order_of_fields = ("id", "plan", "number", "title", "domain", "objective", "framework_items")
    for record_refs in found.values():
        record_refs[:] = [{name: ref[name] for name in order_of_fields} for ref in record_refs]
    return found


def framework_items(action_ids):
    """{action id: the framework items it serves, in the frameworks' order}
    (``FrameworkItemRefSerializer``)."""
    found = defaultdict(list)
    if not action_ids:
        return found
    short_names = dict(Framework.objects.values_list("id", "short_name"))
    rows = (
        FrameworkItem.objects.filter(mappings__action__in=action_ids)
        .in_order()
        .values_list("mappings__action", "id", "framework_id", "framework__slug", "code")
    )
    for action_id, pk, framework_id, framework, code in rows:
        found[action_id].append(
            {
                "id": pk,
                "framework": framework,
                "code": code,
                "label": f"{short_names[framework_id]} {code}",
            }
        )
    return found


def domains(action_refs):
    """{pk of a record: the domains of its actions (``action_refs``, from ``actions``), each
    once, by number} (``DomainRefSerializer``), as ``Meeting.domains`` gives them."""
    action_ids = {ref["id"] for refs in action_refs.values() for ref in refs}
    domain_of = {}
    if action_ids:
        rows = Domain.objects.filter(objectives__actions__in=action_ids).values(
            "id", "number", "title", "objectives__actions"
        )
        for row in rows:
            domain_of[row.pop("objectives__actions")] = row
    found = {}
    for pk, refs in action_refs.items():
        seen = {}
        for ref in refs:
            domain = domain_of[ref["id"]]
            seen.setdefault(domain["id"], domain)
        found[pk] = sorted(seen.values(), key=lambda domain: domain["number"])
    return found
