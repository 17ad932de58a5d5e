"""People and roles (for the organisation's administrator) and each person's own API tokens.

Thin over the services in `sro.orgs.services`, the same the command line and the API use.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sro.core.errors import DomainError
from sro.core.forms import add_service_error
from sro.orgs.actors import Actor, actor_for
from sro.orgs.forms import (
    AGENCY_GRANTS,
    DISTRICT_GRANTS,
    ConfirmForm,
    EndRoleForm,
    PersonForm,
    RoleGrantForm,
    TokenForm,
)
from sro.orgs.models import ApiToken, District, LawEnforcementAgency, User
from sro.orgs.permissions import can_manage_memberships
from sro.orgs.roles import Role
from sro.orgs.selectors import membership_list
from sro.orgs.services import (
    membership_end,
    password_link_send,
    person_add,
    role_grant,
    token_create,
    token_revoke,
)

DISTRICT, AGENCY = "district", "agency"


def _posted(request: HttpRequest) -> Any:
    """The posted data, or None on GET: a POST with nothing filled in still shows its errors."""
    return request.POST if request.method == "POST" else None


def _managed(actor: Actor) -> list[tuple[str, District | LawEnforcementAgency]]:
    """The organisations whose people the actor manages: (kind, organisation)."""
    if actor.is_superuser:
        districts: Any = District.objects.all()
        agencies: Any = LawEnforcementAgency.objects.all()
    else:
        districts = District.objects.filter(pk__in=actor.org_ids(Role.DISTRICT_ADMIN))
        agencies = LawEnforcementAgency.objects.filter(pk__in=actor.org_ids(Role.AGENCY_SUPERVISOR))
    return [(DISTRICT, d) for d in districts] + [(AGENCY, a) for a in agencies]


def _organisation(actor: Actor, kind: str, pk: int) -> District | LawEnforcementAgency:
    """The organisation of the page; 404 when there is none, 403 when it is not the actor's."""
    org: District | LawEnforcementAgency | None = None
    if kind == DISTRICT:
        org = District.objects.filter(pk=pk).first()
    elif kind == AGENCY:
        org = LawEnforcementAgency.objects.filter(pk=pk).first()
    if org is None:
        raise Http404
    ids = {"district_id": pk, "agency_id": None} if kind == DISTRICT else {"district_id": None, "agency_id": pk}
    if not can_manage_memberships(actor, **ids):
        raise PermissionDenied
    return org


def _set_password_url(request: HttpRequest) -> Any:
    return lambda uid, token: request.build_absolute_uri(reverse("orgs:set_password", args=[uid, token]))


@login_required
def people(request: HttpRequest) -> HttpResponse:
    """Straight to the one organisation the actor manages; a list when there are several."""
    orgs = _managed(actor_for(request.user))
    if not orgs:
        raise PermissionDenied
    if len(orgs) == 1:
        kind, org = orgs[0]
        return redirect("orgs:people_org", kind=kind, pk=org.pk)
    return render(request, "orgs/people_index.html", {"orgs": orgs})


@login_required
def people_org(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    org = _organisation(actor, kind, pk)
    roles = membership_list(actor=actor).filter(**{f"{kind}_id": pk}).order_by("role", "school__name")
    people_ = (
        User.objects.filter(memberships__in=roles)
        .distinct()
        .order_by("last_name", "first_name", "username")
        .prefetch_related(Prefetch("memberships", queryset=roles, to_attr="roles_here"))
    )
    return render(
        request,
        "orgs/people.html",
        {"org": org, "kind": kind, "people": people_, "me": request.user.pk},
    )


@login_required
def role_grant_view(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Another role here for someone who already holds one here."""
    actor = actor_for(request.user)
    org = _organisation(actor, kind, pk)
    district = org if isinstance(org, District) else None
    people_here = (
        User.objects.filter(is_active=True, memberships__in=membership_list(actor=actor).filter(**{f"{kind}_id": pk}))
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
    form = RoleGrantForm(
        _posted(request),
        people=people_here,
        roles=DISTRICT_GRANTS if district else AGENCY_GRANTS,
        schools=district.schools.order_by("name") if district else None,
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            membership = role_grant(
                actor=actor,
                user=d["person"],
                role=d["role"],
                district=district,
                school=d.get("school"),
                agency=org if isinstance(org, LawEnforcementAgency) else None,
            )
        except DomainError as exc:
            add_service_error(form, exc)
        else:
            where = f", {membership.school.name}" if membership.school else ""
            messages.success(
                request,
                _("%(person)s now also holds the role %(role)s%(where)s.")
                % {
                    "person": d["person"].get_full_name() or d["person"].username,
                    "role": membership.get_role_display(),
                    "where": where,
                },
            )
            return redirect("orgs:people_org", kind=kind, pk=pk)
    return render(request, "orgs/role_grant.html", {"org": org, "kind": kind, "form": form})


@login_required
def person_add_view(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    org = _organisation(actor, kind, pk)
    district = org if isinstance(org, District) else None
    form = PersonForm(
        _posted(request),
        roles=DISTRICT_GRANTS if district else AGENCY_GRANTS,
        schools=district.schools.order_by("name") if district else None,
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            user, membership = person_add(
                actor=actor,
                username=d["username"],
                email=d["email"],
                role=d["role"],
                first_name=d["first_name"],
                last_name=d["last_name"],
                title=d["title"],
                district=district,
                school=d.get("school"),
                agency=org if isinstance(org, LawEnforcementAgency) else None,
            )
        except DomainError as exc:
            add_service_error(form, exc)
        else:
            what = {"person": user.get_full_name(), "role": membership.get_role_display(), "email": user.email}
            if password_link_send(actor=actor, user=user, link=_set_password_url(request)):
                messages.success(
                    request,
                    _("%(person)s added as %(role)s. A link to set their password was sent to %(email)s.") % what,
                )
            else:
                messages.warning(
                    request,
                    _(
                        "%(person)s added as %(role)s, but the e-mail to %(email)s could not be sent. "
                        "Send a new set-password link from this page once mail works."
                    )
                    % what,
                )
            return redirect("orgs:people_org", kind=kind, pk=pk)
    return render(request, "orgs/person_form.html", {"org": org, "kind": kind, "form": form})


@login_required
@require_POST
def password_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a new set-password link (the person lost theirs, or it expired)."""
    actor = actor_for(request.user)
    user = User.objects.filter(pk=pk).first()
    if user is None or not membership_list(actor=actor).filter(user=user).exists():
        raise Http404
    try:
        sent = password_link_send(actor=actor, user=user, link=_set_password_url(request))
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        if sent:
            messages.success(request, _("A link to set a password was sent to %(email)s.") % {"email": user.email})
        else:
            messages.error(request, _("The e-mail to %(email)s could not be sent.") % {"email": user.email})
    back = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return redirect(back if back and safe else "orgs:people")


@login_required
def role_end(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirmation page: end one of a person's roles (a required reason)."""
    actor = actor_for(request.user)
    membership = membership_list(actor=actor).filter(pk=pk).first()
    if membership is None:
        raise Http404
    kind, org_id = (AGENCY, membership.agency_id) if membership.agency_id else (DISTRICT, membership.district_id)
    if not can_manage_memberships(actor, district_id=membership.district_id, agency_id=membership.agency_id):
        raise PermissionDenied
    back = reverse("orgs:people_org", args=[kind, org_id])
    person, role = membership.user, membership.get_role_display()
    form = EndRoleForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            membership_end(actor=actor, membership=membership, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            add_service_error(form, exc)
        else:
            person.refresh_from_db(fields=["is_active"])
            messages.success(
                request,
                _("Role ended: %(person)s is no longer %(role)s at %(org)s.")
                % {"person": person, "role": role, "org": membership.organisation_name}
                + ("" if person.is_active else " " + _("They held no other role, so their account is closed.")),
            )
            return redirect(back)
    last = not person.memberships.exclude(pk=membership.pk).exists()
    consequences = [
        _("%(person)s can no longer do what a %(role)s does at %(org)s.")
        % {"person": person, "role": role, "org": membership.organisation_name}
    ]
    if last:
        consequences.append(
            _("It is their only role: their account is closed, so they cannot sign in or use their API tokens.")
        )
    return render(
        request,
        "web/confirm.html",
        {
            "title": _("End %(person)s's role?") % {"person": person},
            "record": _("%(role)s at %(org)s") % {"role": role, "org": membership.organisation_name},
            "consequences": consequences,
            "irreversible": _(
                "To give the role back, an administrator adds the person again; the audit trail keeps this record."
            ),
            "form": form,
            "button": _("End the role"),
            "cancel_url": back,
        },
    )


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """The page a set-password link opens: the person chooses their password, then signs in."""

    template_name = "orgs/set_password.html"
    success_url = reverse_lazy("login")
    extra_context = {"title": gettext_lazy("Set your password")}

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Your password is set. Sign in with your username and the new password."))
        return response


# ---------------------------------------------------------------- API tokens


def _me(request: HttpRequest) -> User:
    """The signed-in user (the views below are behind `login_required`)."""
    assert isinstance(request.user, User)
    return request.user


def _tokens_page(request: HttpRequest, form: TokenForm, new_token: str = "") -> HttpResponse:
    tokens = ApiToken.objects.filter(user=_me(request)).order_by("revoked_at", "-created_at")
    context = {"tokens": tokens, "form": form, "new_token": new_token, "today": timezone.localdate()}
    return render(request, "orgs/tokens.html", context)


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    """Your API tokens: create one (shown once, on the answer to the POST), see when each was used."""
    form = TokenForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            me = _me(request)
            _token, raw = token_create(
                actor=actor_for(me), user=me, name=form.cleaned_data["name"], expires=form.cleaned_data["expires"]
            )
        except DomainError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Token created. Copy it now: it is not shown again."))
            return _tokens_page(request, TokenForm(), new_token=raw)
    return _tokens_page(request, form)


@login_required
def token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirmation page: revoke one of your tokens."""
    token = ApiToken.objects.filter(pk=pk, user=_me(request)).first()
    if token is None:
        raise Http404
    back = reverse("orgs:tokens")
    if token.revoked_at is not None:
        messages.error(request, _("This token was already revoked."))
        return redirect(back)
    form = ConfirmForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            token_revoke(actor=actor_for(request.user), prefix=token.key_prefix)
        except DomainError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                _("Token %(prefix)s… revoked: programs using it can no longer reach the API.")
                % {"prefix": token.key_prefix},
            )
            return redirect(back)
    return render(
        request,
        "web/confirm.html",
        {
            "title": _("Revoke the token %(prefix)s…?") % {"prefix": token.key_prefix},
            "record": token.name or _("(no name)"),
            "consequences": [_("Any program or script using this token is refused by the API from now on.")],
            "irreversible": _("This cannot be undone: create a new token if you need one again."),
            "form": form,
            "button": _("Revoke the token"),
            "cancel_url": back,
        },
    )
