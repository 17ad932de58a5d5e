"""Writes for organisations and people. Each validates fully, saves atomically and audits."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from sro.core.audit import audit_log, model_changes
from sro.core.errors import Forbidden, InvalidInput, NotFound
from sro.core.services import actor_user, clean_or_raise
from sro.orgs.actors import Actor, actor_for
from sro.orgs.models import ApiToken, City, District, LawEnforcementAgency, Membership, School, User
from sro.orgs.permissions import can_manage_memberships, is_district_admin
from sro.orgs.roles import AGENCY_ROLES, DISTRICT_ROLES, SCHOOL_ROLES, Role

SYSTEM: Actor | None = None  # the operator at the command line (CLI, demo loader)

log = logging.getLogger(__name__)


_user_of = actor_user


def district_upsert(*, actor: Actor | None, cds_code: str, name: str, county: str = "") -> District:
    with transaction.atomic():
        district = District.objects.filter(cds_code=cds_code).first() or District(cds_code=cds_code)
        adding = district._state.adding
        district.name, district.county = name, county
        clean_or_raise(district, exclude=None if adding else ["cds_code"])
        district.save()
        audit_log(
            actor=_user_of(actor),
            action="create" if adding else "update",
            obj=district,
            changes=model_changes(district, ["cds_code", "name", "county"]),
        )
    return district


def city_get_or_create(*, actor: Actor | None, name: str, county: str) -> City:
    with transaction.atomic():
        city, created = City.objects.get_or_create(name=name, county=county)
        if created:
            audit_log(
                actor=_user_of(actor),
                action="create",
                obj=city,
                changes={"name": name, "county": county},
            )
    return city


def agency_create(
    *, actor: Actor | None, name: str, kind: str, cities: list[City], ori: str = ""
) -> LawEnforcementAgency:
    if kind not in LawEnforcementAgency.Kind.values:
        raise InvalidInput.single(
            "kind", f"unknown kind '{kind}'; one of {', '.join(LawEnforcementAgency.Kind.values)}"
        )
    with transaction.atomic():
        agency = LawEnforcementAgency(name=name, kind=kind, ori=ori)
        clean_or_raise(agency)
        agency.save()
        agency.cities.set(cities)
        audit_log(
            actor=_user_of(actor),
            action="create",
            obj=agency,
            changes={"name": name, "kind": kind, "cities": [c.pk for c in cities]},
        )
    return agency


def school_enrolment_set(*, actor: Actor | None, school: School, enrolment: int | None, source: str) -> School:
    """Set a campus's total enrolment (the denominator of its rates), saying where the figure comes from.

    Only the district's administrator (or the operator at the command line) may; the change is
    audited with the old and new figures and the source.
    """
    if actor is not None and not is_district_admin(actor, school.district_id):
        raise Forbidden("Only the district's administrator may set a campus's enrolment.")
    problems: list[tuple[str, str]] = []
    if enrolment is not None and not 0 <= enrolment <= 2_147_483_647:
        problems.append(("enrolment", "enrolment must be a count from 0 to 2,147,483,647"))
    if not source.strip():
        problems.append(("source", "say where the figure comes from"))
    if problems:
        raise InvalidInput.many(problems)
    with transaction.atomic():
        locked = School.objects.select_for_update().get(pk=school.pk)
        before = locked.enrolment
        if before == enrolment:
            school.enrolment = enrolment
            return school
        locked.enrolment = enrolment
        locked.save(update_fields=["enrolment", "updated_at"])
        school.enrolment = enrolment
        audit_log(
            actor=_user_of(actor),
            action="school_enrolment_set",
            obj=locked,
            changes={"enrolment": [before, enrolment], "source": source.strip()},
        )
    return school


def user_create(
    *,
    actor: Actor | None,
    username: str,
    password: str | None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    title: str = "",
    check_password: bool = True,
) -> User:
    """Make an account. `password=None` makes one that cannot sign in until its holder sets a
    password through a set-password link (`password_link_send`)."""
    user = User(username=username, first_name=first_name, last_name=last_name, email=email, title=title)
    clean_or_raise(user, exclude=["password"])
    if check_password and password is not None:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise InvalidInput.many([("password", m) for m in exc.messages]) from None
    with transaction.atomic():
        if password is None:
            user.set_unusable_password()
        else:
            user.set_password(password)
        user.save()
        audit_log(
            actor=_user_of(actor),
            action="create",
            obj=user,
            changes=model_changes(user, ["username", "first_name", "last_name", "email", "title"]),
        )
    return user


def _membership_problems(
    user: User,
    role: str,
    district: District | None,
    school: School | None,
    agency: LawEnforcementAgency | None,
) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if role not in Role.values:
        return [("role", f"unknown role '{role}'; one of {', '.join(Role.values)}")]
    r = Role(role)
    if r in DISTRICT_ROLES:
        if district is None:
            problems.append(("district", f"a {role} membership needs a district"))
        if school is not None:
            problems.append(("school", f"a {role} membership is district-wide; leave school empty"))
        if agency is not None:
            problems.append(("agency", f"a {role} membership belongs to a district, not an agency"))
    elif r in SCHOOL_ROLES:
        if school is None:
            problems.append(("school", "a site_admin membership needs a school"))
        elif district is not None and school.district_id != district.pk:
            problems.append(("school", f"{school} is not in {district}"))
        if agency is not None:
            problems.append(("agency", "a site_admin membership belongs to a school, not an agency"))
    elif r in AGENCY_ROLES:
        if agency is None:
            problems.append(("agency", f"a {role} membership needs a law enforcement agency"))
        if district is not None or school is not None:
            problems.append(("district", f"a {role} membership belongs to an agency, not a district or school"))
    if problems:
        return problems
    # A person belongs to one organisation: police and school roles never mix.
    for m in user.memberships.select_related("school").all():
        if r in AGENCY_ROLES:
            if m.agency_id is None or (agency is not None and m.agency_id != agency.pk):
                problems.append(
                    (
                        "organisation",
                        f"{user.username} already belongs to "
                        f"{m.organisation_name}; police roles are held in one agency only",
                    )
                )
                break
        else:
            their_district = m.district_id or (m.school.district_id if m.school else None)
            target = district.pk if district is not None else (school.district_id if school else None)
            if m.agency_id is not None or their_district != target:
                problems.append(
                    (
                        "organisation",
                        f"{user.username} already belongs to "
                        f"{m.organisation_name}; a person's roles stay within one organisation",
                    )
                )
                break
    return problems


def membership_create(
    *,
    actor: Actor | None,
    user: User,
    role: str,
    district: District | None = None,
    school: School | None = None,
    agency: LawEnforcementAgency | None = None,
) -> Membership:
    if school is not None and district is None:
        district = school.district
    problems = _membership_problems(user, role, district, school, agency)
    if problems:
        raise InvalidInput.many(problems)
    if actor is not None and not can_manage_memberships(
        actor,
        district_id=district.pk if district else None,
        agency_id=agency.pk if agency else None,
    ):
        raise Forbidden("Only the organisation's administrator may grant roles in it.")
    with transaction.atomic():
        membership = Membership(user=user, role=role, district=district, school=school, agency=agency)
        try:
            with transaction.atomic():
                membership.save()
        except IntegrityError:
            raise InvalidInput.single("role", f"{user.username} already holds this role there") from None
        audit_log(
            actor=_user_of(actor),
            action="grant_role",
            obj=membership,
            changes={
                "user": user.username,
                "role": role,
                "organisation": membership.organisation_name,
            },
        )
    _forget_actor(user)
    return membership


def _forget_actor(user: User) -> None:
    with contextlib.suppress(AttributeError):
        del user._sro_actor  # type: ignore[attr-defined]


def _org_ids(
    district: District | None, school: School | None, agency: LawEnforcementAgency | None
) -> dict[str, int | None]:
    if school is not None and district is None:
        district = school.district
    return {"district_id": district.pk if district else None, "agency_id": agency.pk if agency else None}


def person_add(
    *,
    actor: Actor | None,
    username: str,
    email: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    title: str = "",
    district: District | None = None,
    school: School | None = None,
    agency: LawEnforcementAgency | None = None,
) -> tuple[User, Membership]:
    """A new person with one role in the actor's organisation, in one step: both are saved or neither.

    The account has no password: its holder sets one through the link `password_link_send` mails.
    """
    if actor is not None and not can_manage_memberships(actor, **_org_ids(district, school, agency)):
        raise Forbidden("Only the organisation's administrator may add people to it.")
    problems: list[tuple[str, str]] = []
    if not email.strip():
        problems.append(("email", "is required: the set-password link is sent there"))
    problems += [(f, "is required") for f, v in (("first_name", first_name), ("last_name", last_name)) if not v.strip()]
    if problems:
        raise InvalidInput.many(problems)
    with transaction.atomic():
        user = user_create(
            actor=actor,
            username=username.strip(),
            password=None,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            email=email.strip(),
            title=title.strip(),
        )
        membership = membership_create(
            actor=actor, user=user, role=role, district=district, school=school, agency=agency
        )
    return user, membership


def role_grant(
    *,
    actor: Actor | None,
    user: User,
    role: str,
    district: District | None = None,
    school: School | None = None,
    agency: LawEnforcementAgency | None = None,
) -> Membership:
    """Another role for someone who already holds one in the same organisation (a principal who takes
    on a second school, a superintendent made district administrator too).

    Someone from elsewhere is added with `person_add`, never by naming their account here: an
    administrator sees and grants within their own organisation only."""
    here = (
        Membership.objects.filter(user=user, agency=agency)
        if agency is not None
        else Membership.objects.filter(user=user, district=district or (school.district if school else None))
    )
    if not here.exists():
        raise InvalidInput.single("person", "holds no role in this organisation: add them as a new person")
    if not user.is_active:
        raise InvalidInput.single("person", f"{user.username}'s account is closed")
    return membership_create(actor=actor, user=user, role=role, district=district, school=school, agency=agency)


def _may_manage_person(actor: Actor, user: User) -> bool:
    """The administrator of an organisation the person holds a role in."""
    return actor.is_superuser or any(
        can_manage_memberships(actor, district_id=m.district_id, agency_id=m.agency_id) for m in user.memberships.all()
    )


def password_link_send(*, actor: Actor | None, user: User, link: Callable[[str, str], str]) -> bool:
    """Mail the person a link to set their password; `link(uidb64, token)` makes its address.

    The link works once and expires after `PASSWORD_RESET_TIMEOUT` (Django's password-reset token:
    it stops working as soon as the password changes). False when the mail could not be sent.
    """
    if actor is not None and not _may_manage_person(actor, user):
        raise Forbidden("Only the administrator of the person's organisation may send them a set-password link.")
    if not user.email:
        raise InvalidInput.single("email", f"{user.username} has no e-mail address")
    if not user.is_active:
        raise InvalidInput.single("user", f"{user.username}'s account is closed")
    url = link(urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user))
    hours = settings.PASSWORD_RESET_TIMEOUT // 3600
    body = (
        f"Hello {user.get_full_name() or user.username},\n\n"
        f"An account has been made for you on the SRO program site; your username is {user.username}.\n"
        f"Set your password here (the link works once, within {hours} hours):\n\n{url}\n\n"
        "If you did not expect this message, ignore it."
    )
    try:
        send_mail("Set your password for the SRO program site", body, settings.DEFAULT_FROM_EMAIL, [user.email])
    except OSError:
        log.exception("set-password link for user %s not sent", user.pk)
        return False
    audit_log(actor=_user_of(actor), action="password_link_send", obj=user, changes={"email": user.email})
    return True


def membership_end(*, actor: Actor | None, membership: Membership, reason: str) -> Membership:
    """End a person's role (the row goes; the audit trail keeps it, with the reason).

    Nobody ends their own role (another administrator does). When the person's last role ends,
    their account is closed too: it can no longer sign in or use its API tokens.
    """
    if not reason.strip():
        raise InvalidInput.single("reason", "is required")
    with transaction.atomic():
        locked = (
            Membership.objects.select_for_update(of=("self",))
            .select_related("user", "district", "school", "agency")
            .get(pk=membership.pk)
        )
        user = locked.user
        if actor is not None and not can_manage_memberships(
            actor, district_id=locked.district_id, agency_id=locked.agency_id
        ):
            raise Forbidden("Only the organisation's administrator may end roles in it.")
        if actor is not None and actor.user is not None and actor.user.pk == user.pk:
            raise InvalidInput.single("membership", "you cannot end your own role; ask another administrator")
        last = not user.memberships.exclude(pk=locked.pk).exists()
        changes: dict[str, object] = {
            "user": user.username,
            "role": locked.role,
            "organisation": locked.organisation_name,
            "reason": reason.strip(),
        }
        if last and user.is_active and not user.is_superuser:
            user.is_active = False
            user.save(update_fields=["is_active"])
            changes["account_closed"] = True
        audit_log(actor=_user_of(actor), action="end_role", obj=locked, changes=changes)
        locked.delete()
    _forget_actor(user)
    return locked


TOKEN_DAYS = 90  # a new token's life unless another is chosen
TOKEN_MAX_DAYS = 366


def token_expiry(expires: dt.date | None, today: dt.date | None = None) -> dt.date:
    """The last day a new token works: `expires`, checked, or 90 days from today."""
    today = today or timezone.localdate()
    if expires is None:
        return today + dt.timedelta(days=TOKEN_DAYS)
    if expires < today:
        raise InvalidInput.single("expires", f"{expires.isoformat()} is in the past")
    if expires > today + dt.timedelta(days=TOKEN_MAX_DAYS):
        raise InvalidInput.single(
            "expires", f"a token may last at most a year (until {today.replace(year=today.year + 1)})"
        )
    return expires


def token_create(
    *, actor: Actor | None, user: User, name: str = "", expires: dt.date | None = None
) -> tuple[ApiToken, str]:
    """Make a personal token that works until `expires` (default 90 days); the raw value is
    returned once and never stored."""
    if actor is not None and actor.user is not None and actor.user.pk != user.pk and not actor.is_superuser:
        raise Forbidden("You may create tokens only for yourself.")
    if not user.is_active:
        raise InvalidInput.single("user", f"{user.username} is inactive")
    last_day = token_expiry(expires)
    raw = ApiToken.generate_key()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name, key_prefix=raw[:12], key_hash=ApiToken.hash_key(raw), expires_on=last_day
        )
        audit_log(
            actor=_user_of(actor),
            action="token_create",
            obj=token,
            changes={"user": user.username, "prefix": token.key_prefix, "name": name, "expires_on": last_day},
        )
    return token, raw


def token_revoke(*, actor: Actor | None, prefix: str) -> int:
    """Revoke every live token that starts with `prefix` (at least 8 characters)."""
    if len(prefix) < 8:
        raise InvalidInput.single("prefix", "give at least the first 8 characters of the token")
    with transaction.atomic():
        tokens = list(
            ApiToken.objects.select_for_update().filter(key_prefix__startswith=prefix[:12], revoked_at__isnull=True)
        )
        tokens = [t for t in tokens if prefix.startswith(t.key_prefix) or t.key_prefix.startswith(prefix)]
        if actor is not None and actor.user is not None and not actor.is_superuser:
            tokens = [t for t in tokens if t.user_id == actor.user.pk]
        if not tokens:
            raise NotFound("Token")
        now = timezone.now()
        for t in tokens:
            t.revoked_at = now
            t.save(update_fields=["revoked_at", "updated_at"])
            audit_log(
                actor=_user_of(actor),
                action="token_revoke",
                obj=t,
                changes={"prefix": t.key_prefix},
            )
    return len(tokens)


def token_authenticate(raw: str) -> User | None:
    """The active user a raw token belongs to, or None. Marks the token used."""
    if not raw.startswith(ApiToken.PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash_key(raw), revoked_at__isnull=True).first()
    )
    if token is None or not token.user.is_active or not token.is_live(timezone.localdate()):
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


__all__ = ["SYSTEM", "actor_for"]
