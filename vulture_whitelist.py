"""Names `make deadcode` (vulture) cannot see used from the product's own code, each with its user.

Everything else that nothing calls is removed, not listed here.
"""

from sro.community import services as community_services
from sro.complaints import selectors as complaint_selectors
from sro.contracts import catalogue as contract_catalogue
from sro.core import admin as core_admin
from sro.core import csvsafe
from sro.incidents import catalogue as offence_catalogue
from sro.incidents import policy, ripa
from sro.incidents import selectors as incident_selectors
from sro.orgs import auth as org_auth
from sro.orgs import selectors as org_selectors
from sro.oversight import metrics
from sro.public import tables as public_tables
from sro.staffing import admin as staffing_admin
from sro.staffing import catalogues as staffing_catalogues

_ = (
    # Text-level entry points of the data-file and RIPA parsers: the tests feed them broken copies.
    contract_catalogue.parse_catalogue,
    offence_catalogue.parse_catalogue,
    policy.parse_policy,
    staffing_catalogues.parse_rubric,
    staffing_catalogues.parse_courses,
    ripa.ripa_parse,
    # The one access helper and list of each entity (tests/test_access.py checks each against its
    # visibility rule); no page shows a single contact or agency, or lists users, yet.
    incident_selectors.contact_get,
    incident_selectors.notification_get,  # parent tasks are read through task_list; the object check stays
    org_selectors.agency_get,
    org_selectors.user_list,
    # The Wilson interval in plain Python: the reference the published intervals are tested against.
    metrics.wilson_interval,
    # Services with their own tests that no page or API endpoint offers yet.
    community_services.agenda_item_attach_vote,
    community_services.agenda_item_set_comments,
    # Overrides called by the base class: Django's CSRF middleware calls `_reject` with the reason;
    # `writerows` keeps csv.DictWriter's own from writing rows past the neutralising `writerow`.
    org_auth._CsrfCheck._reject,
    csvsafe.DictWriter.writerows,
    # Read by the use-of-force app's officer record and early-intervention rules (sro.force).
    complaint_selectors.allegations_about_officer,
    # Django admin hooks, called by the admin site.
    core_admin.AuditedAdmin.delete_queryset,
    core_admin.ReadOnlyAdmin.has_add_permission,
    core_admin.ReadOnlyAdmin.has_change_permission,
    core_admin.ReadOnlyAdmin.has_delete_permission,
    staffing_admin.OfficerAdmin.has_add_permission,
    staffing_admin.OfficerAdmin.has_delete_permission,
    # Read by the board report PDF's figures tables (public/_breakdown_pdf.html).
    public_tables.Table.pdf_rows,
)
