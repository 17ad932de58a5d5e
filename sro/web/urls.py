from django.contrib.auth import views as auth_views
from django.urls import include, path

from sro.staffing.views_board import campus_board
from sro.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("queue/", views.queue, name="queue"),
    path("campuses/", views.campus_list, name="campus_list"),
    path("campuses/board/", campus_board, name="campus_board"),
    path("contracts/", include("sro.contracts.urls")),
    path("staffing/", include("sro.staffing.urls")),
    path("people/", include("sro.orgs.urls")),
    path("incidents/", include("sro.incidents.urls")),
    path("complaints/", include("sro.complaints.urls")),
    path("force/", include("sro.force.urls")),
    path("public/", include("sro.public.urls")),
    path("community/", include("sro.community.urls")),
    path("evaluation/", include("sro.evaluation.urls")),
    path("reports/", include("sro.public.report_urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/two-step/", include("sro.orgs.twostep_urls")),
    path("healthz", views.healthz, name="healthz"),
    path("sw.js", views.service_worker, name="service_worker"),
]
