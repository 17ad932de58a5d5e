"""The REST API at /api/v1/: every capability adds its router here."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import NinjaAPI, Swagger
from typing_extensions import override

from sro.community.api import router as community_router
from sro.complaints.api import router as complaints_router
from sro.contracts.api import router as contracts_router
from sro.core.api import document_error_answers, install_error_handlers
from sro.force.api import router as force_router
from sro.incidents.api import router as incidents_router
from sro.orgs.api import router as orgs_router
from sro.orgs.auth import anonymous
from sro.staffing.api import router as staffing_router


class ApiDocs(Swagger):
    """Swagger UI at /api/v1/docs, served from the project under the site's Content-Security-Policy.

    With "ninja" in INSTALLED_APPS, django-ninja renders its `ninja/swagger.html`: the Swagger UI
    files it ships (`ninja/static/ninja/`, served as /static/ninja/ like every static file) and
    `swagger-ui-init.js` instead of an inline script, so the page needs nothing from a CDN and no
    'unsafe-inline'. Two changes to its defaults:

    - no validator badge: Swagger UI would otherwise load an image from validator.swagger.io
      (refused by the CSP, and it would tell a third party where the API is);
    - the CSRF token for "Try it out": the endpoints accept the browser's session, whose unsafe
      requests need the X-CSRFToken header (`sro.orgs.auth.SessionCookie`). The routers carry the
      authentication, not the NinjaAPI, so django-ninja cannot see that it is needed.
    """

    def __init__(self) -> None:
        super().__init__(settings={"validatorUrl": None})

    @override
    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        context = {"swagger_settings": json.dumps(settings, indent=1), "api": api, "add_csrf": True}
        return render(request, self.template, context)


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
    docs=ApiDocs(),
)
install_error_handlers(api)
api.add_router("/", orgs_router)
api.add_router("/", contracts_router)
api.add_router("/", staffing_router)
api.add_router("/", incidents_router)
api.add_router("/", force_router)
api.add_router("/", community_router)
api.add_router("/", complaints_router)
document_error_answers(api, public=anonymous)
