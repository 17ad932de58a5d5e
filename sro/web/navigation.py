"""What each role can do, as links on its home page. Apps add entries here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from sro.orgs.actors import Actor

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # a type only: a development package


@dataclass(frozen=True)
class NavLink:
    label: StrOrPromise  # in the language of the request
    url_name: str
    description: StrOrPromise
    roles: frozenset[str] | None = None  # None: every signed-in role


LINKS: list[NavLink] = [
    NavLink(_("Campuses"), "campus_list", _("Program campuses and their status.")),
    NavLink(_("Campus status board"), "campus_board", _("May an officer be on each campus today, and why not.")),
    NavLink(_("Contracts"), "contract_list", _("Agreements with each agency: text, rubric, votes and costs.")),
    NavLink(
        _("New contract"),
        "contract_new",
        _("Draft a new agreement with an agency: campuses, term, cost and text."),
        frozenset({"district_admin"}),
    ),
    NavLink(
        _("Yearly evaluation"),
        "evaluation:index",
        _("Each contract's year in figures, the community survey, the report and the renewal."),
        frozenset({"district_admin", "superintendent", "board_member", "analyst", "agency_supervisor"}),
    ),
    NavLink(
        _("Councils and school boards"), "contract_bodies", _("The bodies that vote on agreements, and their meetings.")
    ),
    NavLink(_("API documentation"), "api:openapi-view", _("The REST API, with your role's scope.")),
    NavLink(
        _("Incidents"),
        "incidents:list",
        _("Incidents by campus, each with its route under the policy."),
        frozenset({"district_admin", "site_admin", "sro", "agency_supervisor"}),
    ),
    NavLink(
        _("Notification tasks"),
        "incidents:tasks",
        _("Notifications of law enforcement the law requires, with deadlines."),
        frozenset({"district_admin", "site_admin"}),
    ),
    NavLink(
        _("SRO contacts"),
        "incidents:contacts",
        _("Contacts with students recorded by SROs (RIPA)."),
        frozenset({"district_admin", "sro", "agency_supervisor"}),
    ),
    NavLink(
        _("Boundary reviews"),
        "incidents:reviews",
        _("Contacts that may cross into school discipline, under review."),
        frozenset({"district_admin", "sro", "agency_supervisor"}),
    ),
    NavLink(
        _("Use of force"),
        "force:list",
        _("Force and restraint on students, reported the same day; the supervisor's review; URSUS."),
        frozenset({"district_admin", "site_admin", "sro", "agency_supervisor"}),
    ),
    NavLink(
        _("Officers"),
        "staffing:roster",
        _("Officers, nominations and selection panels (joint hiring)."),
        frozenset({"district_admin", "superintendent", "agency_supervisor", "sro", "site_admin"}),
    ),
    NavLink(
        _("Training matrix"),
        "staffing:matrix",
        _("Each officer's required training: complete, due, expired or missing."),
        frozenset({"district_admin", "superintendent", "agency_supervisor"}),
    ),
    NavLink(
        _("Assignments"),
        "staffing:assignments",
        _("Officers posted to campuses, through the deployment gate."),
        frozenset({"district_admin", "superintendent", "agency_supervisor", "sro", "site_admin"}),
    ),
    NavLink(
        _("Staffing notices"),
        "staffing:notices",
        _("Assignments the daily check found no longer valid."),
        frozenset({"district_admin", "agency_supervisor"}),
    ),
    NavLink(
        _("Board report"),
        "reports:board",
        _("Contracts, votes, costs, staffing, figures and reviews for a date range; as a page or a PDF."),
        frozenset({"district_admin", "superintendent", "board_member", "analyst"}),
    ),
    NavLink(
        _("Public comments"),
        "community:moderation",
        _("Residents' comments on agenda items, to publish or not; add agenda items."),
        frozenset({"district_admin"}),
    ),
    NavLink(
        _("People"),
        "orgs:people",
        _("The people of your organisation and their roles: add a person, end a role."),
        frozenset({"district_admin", "agency_supervisor"}),
    ),
    NavLink(_("Your API tokens"), "orgs:tokens", _("Create and revoke your personal tokens for the REST API.")),
    NavLink(
        _("Two-step sign-in"),
        "two_step",
        _("An authenticator app's code after your password, and recovery codes for when you lack your phone."),
    ),
    NavLink(_("Public site"), "public:home", _("What residents see, in English and Spanish, without signing in.")),
]


def links_for(actor: Actor) -> list[tuple[str, str, str]]:
    out = []
    for link in LINKS:
        if link.roles is not None and not (actor.roles & link.roles) and not actor.is_superuser:
            continue
        try:
            out.append((str(link.label), reverse(link.url_name), str(link.description)))
        except NoReverseMatch:
            continue
    return out
