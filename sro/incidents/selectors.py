"""Reads, always scoped to the actor. `*_get` helpers answer NotFound alike for missing and hidden.

Each entity's visibility rule is written once, as `<entity>_visibility(actor) -> Q`; its list
filters by it and its single-object checks (`*_get`, `can_view_*`) evaluate the same rule.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from sro.core.audit import audit_read
from sro.core.visibility import EVERYONE, get_visible, matches
from sro.incidents.models import Contact, Incident, IncidentStudent, NotificationTask, Review
from sro.incidents.policy import routed_to_law_enforcement_q
from sro.orgs.actors import Actor
from sro.orgs.roles import Role


def _school_staff_q(actor: Actor, prefix: str = "") -> Q:
    """Schools whose student records the actor may see: own school (site admin), own district (admin)."""
    cond = Q(pk__in=[])
    if actor.org_ids(Role.DISTRICT_ADMIN):
        cond |= Q(**{f"{prefix}school__district_id__in": actor.org_ids(Role.DISTRICT_ADMIN)})
    if actor.org_ids(Role.SITE_ADMIN):
        cond |= Q(**{f"{prefix}school_id__in": actor.org_ids(Role.SITE_ADMIN)})
    return cond


def incident_visibility(actor: Actor) -> Q:
    """Student details: the school's staff and district admins always. Police (SROs, agency
    supervisors) only incidents routed to law enforcement at campuses in the cities their agency
    serves; discipline-only incidents never reach them."""
    if actor.is_superuser:
        return EVERYONE
    cond = _school_staff_q(actor)
    police = actor.org_ids(Role.SRO) | actor.org_ids(Role.AGENCY_SUPERVISOR)
    if police:
        cond |= routed_to_law_enforcement_q() & Q(school__city__agencies__in=police)
    return cond


def incident_list(*, actor: Actor, school_id: int | None = None) -> QuerySet[Incident]:
    """Incidents the actor may see (see `incident_visibility`), optionally at one school."""
    qs = Incident.objects.select_related("school", "school__city", "notification").filter(incident_visibility(actor))
    if school_id is not None:
        qs = qs.filter(school_id=school_id)
    return qs.distinct()


def incident_get(*, actor: Actor, pk: int) -> Incident:
    qs = incident_list(actor=actor).select_related("school__district")
    return get_visible(qs, pk=pk, actor_user=actor.user, label="Incident")


def incident_students(*, actor: Actor, incident: Incident) -> list[IncidentStudent]:
    """The students of an incident the actor may see (check with incident_get first); audited."""
    incident_get(actor=actor, pk=incident.pk)
    rows = list(incident.students.all())
    audit_read(actor=actor.user, obj=incident, fields=["students"])
    return rows


def notification_visibility(actor: Actor) -> Q:
    """Notifying law enforcement is the school's duty: its staff and the district admins, never police."""
    if actor.is_superuser:
        return Q(kind=NotificationTask.Kind.LAW_ENFORCEMENT)
    return Q(kind=NotificationTask.Kind.LAW_ENFORCEMENT) & _school_staff_q(actor)


def parent_notification_visibility(actor: Actor) -> Q:
    """A parent notification after a contact: the school's staff and district admins, the officer who
    made the contact and the agency's supervisors (the contract may make the agency responsible)."""
    parent = Q(kind=NotificationTask.Kind.PARENT)
    if actor.is_superuser:
        return parent
    cond = _school_staff_q(actor)
    if actor.org_ids(Role.AGENCY_SUPERVISOR):
        cond |= Q(contact__agency_id__in=actor.org_ids(Role.AGENCY_SUPERVISOR))
    if actor.user is not None and actor.org_ids(Role.SRO):
        cond |= Q(contact__officer_id=actor.user.pk)
    return parent & cond


def task_visibility(actor: Actor) -> Q:
    """Every notification task the actor may see, of both kinds."""
    return notification_visibility(actor) | parent_notification_visibility(actor)


def _tasks(visibility: Q, open_only: bool) -> QuerySet[NotificationTask]:
    qs = NotificationTask.objects.select_related(
        "incident", "school", "contact", "contact__officer", "agency_notified", "done_by"
    ).prefetch_related("attempts", "attempts__by")
    if open_only:
        qs = qs.filter(done_at__isnull=True)
    return qs.filter(visibility).order_by("done_at", "due_on", "pk")


def notification_list(*, actor: Actor, open_only: bool = False) -> QuerySet[NotificationTask]:
    """Notifications of law enforcement (the home panels list these)."""
    return _tasks(notification_visibility(actor), open_only)


def notification_get(*, actor: Actor, pk: int) -> NotificationTask:
    return get_visible(notification_list(actor=actor), pk=pk, actor_user=actor.user, label="Notification task")


def task_list(*, actor: Actor, open_only: bool = False) -> QuerySet[NotificationTask]:
    """Both kinds of task: law enforcement and parents (the task page, the API)."""
    return _tasks(task_visibility(actor), open_only)


def task_get(*, actor: Actor, pk: int) -> NotificationTask:
    return get_visible(task_list(actor=actor), pk=pk, actor_user=actor.user, label="Notification task")


def contact_visibility(actor: Actor) -> Q:
    """District admins (contacts at their district's schools), agency supervisors (their agency's
    contacts) and the officer who made the contact, while they hold the SRO role (docs/roles.md:
    an SRO sees their own contacts)."""
    if actor.is_superuser:
        return EVERYONE
    cond = Q(pk__in=[])
    if actor.org_ids(Role.DISTRICT_ADMIN):
        cond |= Q(school__district_id__in=actor.org_ids(Role.DISTRICT_ADMIN))
    if actor.org_ids(Role.AGENCY_SUPERVISOR):
        cond |= Q(agency_id__in=actor.org_ids(Role.AGENCY_SUPERVISOR))
    if actor.user is not None and actor.org_ids(Role.SRO):
        cond |= Q(officer_id=actor.user.pk)
    return cond


def contact_list(*, actor: Actor) -> QuerySet[Contact]:
    return Contact.objects.select_related("school", "agency", "officer", "incident").filter(contact_visibility(actor))


def contact_get(*, actor: Actor, pk: int) -> Contact:
    return get_visible(contact_list(actor=actor), pk=pk, actor_user=actor.user, label="Contact")


def review_visibility(actor: Actor) -> Q:
    """A boundary review is seen by whoever sees its contact: it carries the contact's officer,
    agency and school, so the contact's rule reads the same on it."""
    return contact_visibility(actor)


def review_list(*, actor: Actor, open_only: bool = False) -> QuerySet[Review]:
    """Reviews, each with `officer_substantiated`: that officer's substantiated crossings so far."""
    substantiated = (
        Review.objects.filter(officer_id=OuterRef("officer_id"), status=Review.Status.SUBSTANTIATED)
        .values("officer_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    qs = Review.objects.select_related("contact", "officer", "agency", "school").annotate(
        officer_substantiated=Coalesce(Subquery(substantiated, output_field=IntegerField()), Value(0))
    )
    if open_only:
        qs = qs.filter(status__in=[Review.Status.OPEN, Review.Status.UNDER_REVIEW])
    return qs.filter(review_visibility(actor))


def review_get(*, actor: Actor, pk: int) -> Review:
    return get_visible(review_list(actor=actor), pk=pk, actor_user=actor.user, label="Review")


def can_view_review(actor: Actor, review: Review) -> bool:
    return matches(review, review_visibility(actor))


def contact_by_client_id(*, actor: Actor, client_id: uuid.UUID) -> Contact | None:
    """The actor's own contact recorded from the form that gave it `client_id`, if any (the
    offline queue and a form sent twice: docs/contacts.md)."""
    return Contact.objects.filter(officer=actor.user, client_id=client_id).first()


FREQUENT_DAYS = 90  # the phone form puts the officer's own choices of this many days first


def contact_frequent_choices(*, actor: Actor, on: dt.date | None = None) -> dict[str, list[int]]:
    """The codes this officer chose most in the last FREQUENT_DAYS days, most used first, for
    `reason`, `actions` and `results` (the phone form lists them first); ties by code."""
    on = on or timezone.localdate()
    since = timezone.make_aware(dt.datetime.combine(on - dt.timedelta(days=FREQUENT_DAYS), dt.time.min))
    counts: dict[str, Counter[int]] = {"reason": Counter(), "actions": Counter(), "results": Counter()}
    rows = Contact.objects.filter(officer=actor.user, occurred_at__gte=since).values_list(
        "reason", "actions", "results"
    )
    for reason, actions, results in rows:
        counts["reason"][reason] += 1
        counts["actions"].update(actions)
        counts["results"].update(results)
    return {k: [code for code, _n in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))] for k, c in counts.items()}


def officer_campus_on(*, actor: Actor, on: dt.date | None = None) -> int | None:
    """The campus (school id) the officer is assigned to on `on` (today), when exactly one; else None."""
    from sro.staffing.models import Assignment

    on = on or timezone.localdate()
    ids = set(
        Assignment.objects.filter(officer__user=actor.user, start_date__lte=on, end_date__gte=on).values_list(
            "school_id", flat=True
        )
    )
    return next(iter(ids)) if len(ids) == 1 else None


KNOWN_NAMES_DAYS = 365  # the campus's incidents of the last year name the students a narrative may mention


def known_student_names(*, school_id: int, incident_id: int | None = None, on: dt.date | None = None) -> list[str]:
    """The names of the students of the linked incident and of the campus's incidents of the last
    year, for the personal-data check of a narrative only: the check shows the officer the words
    they typed, never these names, so it reads no more than it reveals."""
    on = on or timezone.localdate()
    since = timezone.make_aware(dt.datetime.combine(on - dt.timedelta(days=KNOWN_NAMES_DAYS), dt.time.min))
    cond = Q(incident__school_id=school_id, incident__occurred_at__gte=since)
    if incident_id is not None:
        cond |= Q(incident_id=incident_id, incident__school_id=school_id)
    return sorted({n for n in IncidentStudent.objects.filter(cond).values_list("name", flat=True) if n})


def own_contact(*, actor: Actor, pk: int) -> Contact | None:
    """One of the actor's own contacts (the phone form's "same as the previous person"), else None."""
    return Contact.objects.filter(pk=pk, officer=actor.user).select_related("school").first()
