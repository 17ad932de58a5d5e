from django.urls import include, path

from sro.public import views

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
    path("campuses/<str:cds_code>/", views.campus, name="campus"),
    path("contracts/", views.contract_index, name="contracts"),
    path("contracts/<int:pk>/", views.contract_detail, name="contract"),
    path("figures/", views.figures_page, name="figures"),
    path("data/", views.downloads, name="downloads"),
    path("data/<slug:name>.csv", views.download_csv, name="csv"),
    # the community app's public pages (public:agenda, public:agenda_item), in this namespace
    path("meetings/", include("sro.community.public_urls")),
    # the complaints app's public pages (public:complaint_new, ..._status, ..._figures, ..._csv)
    path("complaints/", include("sro.complaints.public_urls")),
    # the force app's public counts (public:force, public:force_csv), in this namespace
    path("force/", include("sro.force.public_urls")),
    # the yearly evaluation's survey (public:survey), through a single-use link
    path("survey/", include("sro.evaluation.public_urls")),
]
