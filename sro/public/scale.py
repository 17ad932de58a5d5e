"""`sro demo --scale N`: a district N times the demo, for measuring pages as a district grows.

The demo scenario (loaded through every app's services) is copied N - 1 times: each copy adds
one campus for each program campus of the demo (its enrolment by group too), a copy of each
contract covering them (versions, clauses, votes, training requirement), the officers with their
nominations, training and assignments, and every incident (students, notification tasks),
SRO contact, boundary review and complaint (allegations, events, what each names) at those
campuses. The copies keep the demo's dates, codes and groups, so every figure is N times the
demo's and every list N times as long.

Rows are written with bulk inserts inside one transaction, and each new row gets its audit
event through `sro.core.audit.audit_log_many` (chained exactly as one-by-one events are, under
one lock): a copy is not a service call, so the events say `scale_copy` with the row copied.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction

from sro.complaints.models import Allegation, Complaint, ComplaintEvent
from sro.contracts.models import Clause, Contract, ContractVersion, Vote
from sro.core.audit import AuditEntry, audit_log_many
from sro.incidents.models import Contact, Incident, IncidentStudent, NotificationTask, Review
from sro.orgs.models import School
from sro.public.models import GroupEnrolment
from sro.staffing.models import Assignment, ContractTraining, Nomination, Officer, TrainingRecord

MAX_SCALE = 200


class ScaleRefused(ValueError):
    pass


@dataclass
class _Copier:
    """Copies rows of one model with their foreign keys remapped to the copies made before."""

    copy: int
    maps: dict[type[models.Model], dict[int, int]] = field(default_factory=dict)
    audit: list[AuditEntry] = field(default_factory=list)

    def clone(
        self,
        model: type[models.Model],
        rows: Iterable[models.Model],
        tweak: Callable[[models.Model], None] | None = None,
        *,
        keep: Iterable[str] = (),
    ) -> list[models.Model]:
        """Copy `rows`; each foreign key to a copied model points at its copy (others stay), except
        the fields in `keep`; one-to-one links to rows not copied are cleared."""
        kept = set(keep)
        originals = list(rows)
        copies: list[models.Model] = []
        for row in originals:
            new = model()
            for f in model._meta.concrete_fields:
                if f.primary_key:
                    continue
                value = getattr(row, f.attname)
                if f.is_relation and value is not None and f.name not in kept:
                    target = self.maps.get(f.related_model)  # type: ignore[arg-type]
                    if target is not None and value in target:
                        value = target[value]
                    elif f.one_to_one:
                        value = None
                setattr(new, f.attname, value)
            if tweak is not None:
                tweak(new)
            copies.append(new)
        model._default_manager.bulk_create(copies, batch_size=1000)
        mapping = self.maps.setdefault(model, {})
        for old, new in zip(originals, copies, strict=True):
            mapping[old.pk] = new.pk
            self.audit.append(
                AuditEntry("scale_copy", model._meta.label, new.pk, {"copy_of": old.pk, "copy": self.copy})
            )
        return copies

    def clone_m2m(self, field_name: str, model: type[models.Model], originals: Iterable[models.Model]) -> None:
        """Copy the many-to-many links `field_name` of `originals`, each end mapped to its copy."""
        through = getattr(model, field_name).through
        source = f"{model._meta.model_name}_id"
        target_field = model._meta.get_field(field_name)
        target = f"{target_field.related_model._meta.model_name}_id"  # type: ignore[union-attr]
        ours = self.maps[model]
        theirs = self.maps.get(target_field.related_model, {})  # type: ignore[arg-type]
        links = through.objects.filter(**{f"{source}__in": list(ours)}).values_list(source, target)
        through.objects.bulk_create(
            [through(**{source: ours[a], target: theirs[b]}) for a, b in links if b in theirs], batch_size=1000
        )


def _schools() -> list[School]:
    """The demo's program campuses: those not made by an earlier scale-up (their names carry no copy mark)."""
    return [s for s in School.objects.filter(in_program=True).order_by("pk") if " · " not in s.name]


def _copy_once(k: int, schools: list[School]) -> list[AuditEntry]:
    c = _Copier(copy=k)
    numbers = iter(range(len(schools)))

    def school(s: Any) -> None:  # same district; a CDS code of its own (the school part from 9000000)
        s.name = f"{s.name} · {k + 1}"
        s.cds_code = f"{s.cds_code[:7]}{9000000 + k * 1000 + next(numbers):07d}"

    c.clone(School, schools, school)
    c.clone(GroupEnrolment, GroupEnrolment.objects.filter(school__in=schools))

    contracts = list(Contract.objects.filter(campuses__in=schools).distinct().order_by("pk"))

    def contract(x: Any) -> None:
        x.title = f"{x.title} · {k + 1}"

    c.clone(Contract, contracts, contract, keep=["in_force"])
    versions = list(ContractVersion.objects.filter(contract__in=contracts))
    c.clone(ContractVersion, versions)
    c.clone(Clause, Clause.objects.filter(version__in=versions))
    c.clone(Vote, Vote.objects.filter(version__in=versions))
    c.clone(ContractTraining, ContractTraining.objects.filter(contract__in=contracts))
    c.clone_m2m("campuses", Contract, contracts)
    version_map = c.maps[ContractVersion]
    for old in contracts:
        if old.in_force_id is not None:
            Contract.objects.filter(pk=c.maps[Contract][old.pk]).update(in_force_id=version_map[old.in_force_id])

    def officer(o: Any) -> None:
        o.badge_number = f"{o.badge_number}-{k + 1}"
        o.ripa_officer_id = f"{o.ripa_officer_id}{k + 1}" if o.ripa_officer_id else ""

    officers = list(
        Officer.objects.filter(
            models.Q(nominations__contract__in=contracts) | models.Q(assignments__school__in=schools)
        ).distinct()
    )
    c.clone(Officer, officers, officer)
    c.clone(Nomination, Nomination.objects.filter(contract__in=contracts, officer__in=officers))
    c.clone(TrainingRecord, TrainingRecord.objects.filter(officer__in=officers))
    c.clone(Assignment, Assignment.objects.filter(school__in=schools))

    incidents = list(Incident.objects.filter(school__in=schools))
    c.clone(Incident, incidents)
    c.clone(IncidentStudent, IncidentStudent.objects.filter(incident__in=incidents))

    def contact(x: Any) -> None:
        if x.agency_stop_id:
            x.agency_stop_id = f"{x.agency_stop_id}-{k + 1}"

    contacts = list(Contact.objects.filter(school__in=schools))
    c.clone(Contact, contacts, contact)
    c.clone(NotificationTask, NotificationTask.objects.filter(school__in=schools))
    reviews = list(Review.objects.filter(school__in=schools))
    c.clone(Review, reviews)

    def complaint(x: Any) -> None:
        x.case_number = f"{x.case_number[:15]}-{k + 1}"
        x.status_token_hash = secrets.token_hex(32)  # a copy has no status link of its own

    complaints = list(Complaint.objects.filter(school__in=schools))
    c.clone(Complaint, complaints, complaint)
    c.clone(Allegation, Allegation.objects.filter(complaint__in=complaints))
    c.clone(ComplaintEvent, ComplaintEvent.objects.filter(complaint__in=complaints))
    for name in ("incidents", "contacts", "reviews"):
        c.clone_m2m(name, Complaint, complaints)
    return c.audit


def scale_demo(times: int) -> int:
    """Grow the loaded demo to `times` times its size (campuses and everything at them); returns the
    number of rows added. Refused before the demo is loaded, or once it has been scaled."""
    if not 2 <= times <= MAX_SCALE:
        raise ScaleRefused(f"--scale must be from 2 to {MAX_SCALE} (got {times})")
    schools = _schools()
    if not schools:
        raise ScaleRefused("load the demo first: there are no program campuses to copy")
    if School.objects.filter(name__contains=" · ").exists():
        raise ScaleRefused("the demo has already been scaled: run `sro demo --reset --scale N`")
    with transaction.atomic():
        entries: list[AuditEntry] = []
        for k in range(1, times):
            entries += _copy_once(k, schools)
        audit_log_many(actor=None, entries=entries)
    return len(entries)
