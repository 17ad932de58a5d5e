"""What each role can do, as links on its home page. Apps add entries here."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from sro.orgs.actors import Actor


@dataclass(frozen=True)
class NavLink:
    label: str
    url_name: str
    description: str
    roles: frozenset[str] | None = None  # None: every signed-in role


LINKS: list[NavLink] = [
    NavLink("Campuses", "campus_list", "Program campuses and their status."),
    NavLink("Campus status board", "campus_board", "May an officer be on each campus today, and why not."),
    NavLink("Contracts", "contract_list", "Agreements with each agency: text, rubric, votes and costs."),
    NavLink(
        "New contract",
        "contract_new",
        "Draft a new agreement with an agency: campuses, term, cost and text.",
        frozenset({"district_admin"}),
    ),
    NavLink(
        "Yearly evaluation",
        "evaluation:index",
        "Each contract's year in figures, the community survey, the report and the renewal.",
        frozenset({"district_admin", "superintendent", "board_member", "analyst", "agency_supervisor"}),
    ),
    NavLink("Councils and school boards", "contract_bodies", "The bodies that vote on agreements, and their meetings."),
    NavLink("API documentation", "api:openapi-view", "The REST API, with your role's scope."),
    NavLink(
        "Incidents",
        "incidents:list",
        "Incidents by campus, each with its route under the policy.",
        frozenset({"district_admin", "site_admin", "sro", "agency_supervisor"}),
    ),
    NavLink(
        "Notification tasks",
        "incidents:tasks",
        "Notifications of law enforcement the law requires, with deadlines.",
        frozenset({"district_admin", "site_admin"}),
    ),
    NavLink(
        "SRO contacts",
        "incidents:contacts",
        "Contacts with students recorded by SROs (RIPA).",
        frozenset({"district_admin", "sro", "agency_supervisor"}),
    ),
    NavLink(
        "Boundary reviews",
        "incidents:reviews",
        "Contacts that may cross into school discipline, under review.",
        frozenset({"district_admin", "sro", "agency_supervisor"}),
    ),
    NavLink(
        "Use of force",
        "force:list",
        "Force and restraint on students, reported the same day; the supervisor's review; URSUS.",
        frozenset({"district_admin", "site_admin", "sro", "agency_supervisor"}),
    ),
    NavLink(
        "Officers",
        "staffing:roster",
        "Officers, nominations and selection panels (joint hiring).",
        frozenset({"district_admin", "superintendent", "agency_supervisor", "sro", "site_admin"}),
    ),
    NavLink(
        "Training matrix",
        "staffing:matrix",
        "Each officer's required training: complete, due, expired or missing.",
        frozenset({"district_admin", "superintendent", "agency_supervisor"}),
    ),
    NavLink(
        "Assignments",
        "staffing:assignments",
        "Officers posted to campuses, through the deployment gate.",
        frozenset({"district_admin", "superintendent", "agency_supervisor", "sro", "site_admin"}),
    ),
    NavLink(
        "Staffing notices",
        "staffing:notices",
        "Assignments the daily check found no longer valid.",
        frozenset({"district_admin", "agency_supervisor"}),
    ),
    NavLink(
        "Board report",
        "reports:board",
        "Contracts, votes, costs, staffing, figures and reviews for a date range; as a page or a PDF.",
        frozenset({"district_admin", "superintendent", "board_member", "analyst"}),
    ),
    NavLink(
        "Public comments",
        "community:moderation",
        "Residents' comments on agenda items, to publish or not; add agenda items.",
        frozenset({"district_admin"}),
    ),
    NavLink(
        "People",
        "orgs:people",
        "The people of your organisation and their roles: add a person, end a role.",
        frozenset({"district_admin", "agency_supervisor"}),
    ),
    NavLink("Your API tokens", "orgs:tokens", "Create and revoke your personal tokens for the REST API."),
    NavLink(
        "Two-step sign-in",
        "two_step",
        "An authenticator app's code after your password, and recovery codes for when you lack your phone.",
    ),
    NavLink("Public site", "public:home", "What residents see, in English and Spanish, without signing in."),
]


def links_for(actor: Actor) -> list[tuple[str, str, str]]:
    out = []
    for link in LINKS:
        if link.roles is not None and not (actor.roles & link.roles) and not actor.is_superuser:
            continue
        try:
            out.append((link.label, reverse(link.url_name), link.description))
        except NoReverseMatch:
            continue
    return out
