"""The REST API at /api/v1/: every capability adds its router here."""

from ninja import NinjaAPI

from sro.community.api import router as community_router
from sro.contracts.api import router as contracts_router
from sro.core.api import install_error_handlers
from sro.incidents.api import router as incidents_router
from sro.orgs.api import router as orgs_router
from sro.staffing.api import router as staffing_router

api = NinjaAPI(
    title="sro API",
    version="1",
    description=(
        "School resource officer program: organisations, contracts, staffing, incidents, oversight. "
        "Authenticate with a personal token: `Authorization: Bearer <token>` "
        "(create one with `sro token create --user USERNAME`). Every 4xx answers "
        '`{"detail": "...", "errors": [{"field": "...", "message": "..."}]}`.'
    ),
    urls_namespace="api",
)
install_error_handlers(api)
api.add_router("/", orgs_router)
api.add_router("/", contracts_router)
api.add_router("/", staffing_router)
api.add_router("/", incidents_router)
api.add_router("/", community_router)
