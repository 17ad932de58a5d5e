"""Reads, always scoped to the actor. `*_get` helpers answer NotFound alike for missing and hidden."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from sro.core.audit import audit_read
from sro.core.errors import NotFound
from sro.incidents.models import Contact, Incident, IncidentStudent, NotificationTask, Review, Route
from sro.incidents.permissions import can_see_incident
from sro.orgs.actors import Actor
from sro.orgs.roles import Role

LAW_ENFORCEMENT_ROUTE = Q(route__in=[Route.MANDATORY_NOTIFICATION, Route.EMERGENCY]) | Q(
    route=Route.DISCRETIONARY_REFERRAL, referral_made=True
)


def _school_staff_q(actor: Actor, prefix: str = "") -> Q:
    """Schools whose student records the actor may see: own school (site admin), own district (admin)."""
    cond = Q(pk__in=[])
    if actor.org_ids(Role.DISTRICT_ADMIN):
        cond |= Q(**{f"{prefix}school__district_id__in": actor.org_ids(Role.DISTRICT_ADMIN)})
    if actor.org_ids(Role.SITE_ADMIN):
        cond |= Q(**{f"{prefix}school_id__in": actor.org_ids(Role.SITE_ADMIN)})
    return cond


def incident_list(*, actor: Actor, school_id: int | None = None) -> QuerySet[Incident]:
    """Incidents the actor may see. Police see only those routed to law enforcement at campuses
    in the cities their agency serves; discipline-only incidents never reach them."""
    qs = Incident.objects.select_related("school", "school__city", "notification")
    if school_id is not None:
        qs = qs.filter(school_id=school_id)
    if actor.is_superuser:
        return qs
    cond = _school_staff_q(actor)
    police = actor.org_ids(Role.SRO) | actor.org_ids(Role.AGENCY_SUPERVISOR)
    if police:
        cond |= LAW_ENFORCEMENT_ROUTE & Q(school__city__agencies__in=police)
    return qs.filter(cond).distinct()


def incident_get(*, actor: Actor, pk: int) -> Incident:
    incident = Incident.objects.select_related("school", "school__city", "school__district").filter(pk=pk).first()
    if incident is None:
        raise NotFound("Incident")
    serving = incident.school.city.agencies.values_list("pk", flat=True) if incident.school.city else []
    if not can_see_incident(
        actor,
        incident.school,
        routed_to_law_enforcement=incident.routed_to_law_enforcement,
        serving_agency_ids=list(serving),
    ):
        raise NotFound("Incident")
    return incident


def incident_students(*, actor: Actor, incident: Incident) -> list[IncidentStudent]:
    """The students of an incident the actor may see (check with incident_get first); audited."""
    incident_get(actor=actor, pk=incident.pk)
    rows = list(incident.students.all())
    audit_read(actor=actor.user, obj=incident, fields=["students"])
    return rows


def notification_list(*, actor: Actor, open_only: bool = False) -> QuerySet[NotificationTask]:
    qs = NotificationTask.objects.select_related("incident", "incident__school", "agency_notified", "done_by")
    if open_only:
        qs = qs.filter(done_at__isnull=True)
    if actor.is_superuser:
        return qs.order_by("done_at", "due_on")
    return qs.filter(_school_staff_q(actor, "incident__")).order_by("done_at", "due_on")


def notification_get(*, actor: Actor, pk: int) -> NotificationTask:
    try:
        return notification_list(actor=actor).get(pk=pk)
    except NotificationTask.DoesNotExist:
        raise NotFound("Notification task") from None


def _oversight_q(actor: Actor) -> Q:
    """Contacts and reviews: district admins (their district), agency supervisors (their agency), the officer."""
    cond = Q(pk__in=[])
    if actor.org_ids(Role.DISTRICT_ADMIN):
        cond |= Q(school__district_id__in=actor.org_ids(Role.DISTRICT_ADMIN))
    if actor.org_ids(Role.AGENCY_SUPERVISOR):
        cond |= Q(agency_id__in=actor.org_ids(Role.AGENCY_SUPERVISOR))
    if actor.user is not None and actor.org_ids(Role.SRO):
        cond |= Q(officer_id=actor.user.pk)
    return cond


def contact_list(*, actor: Actor) -> QuerySet[Contact]:
    qs = Contact.objects.select_related("school", "agency", "officer", "incident")
    return qs if actor.is_superuser else qs.filter(_oversight_q(actor))


def contact_get(*, actor: Actor, pk: int) -> Contact:
    try:
        return contact_list(actor=actor).get(pk=pk)
    except Contact.DoesNotExist:
        raise NotFound("Contact") from None


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
    return qs if actor.is_superuser else qs.filter(_oversight_q(actor))


def review_get(*, actor: Actor, pk: int) -> Review:
    try:
        return review_list(actor=actor).get(pk=pk)
    except Review.DoesNotExist:
        raise NotFound("Review") from None
