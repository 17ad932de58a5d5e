from django.urls import path

from sro.community import views as community_views
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
    path("meetings/", community_views.public_agenda, name="agenda"),
    path("meetings/items/<int:pk>/", community_views.public_agenda_item, name="agenda_item"),
]
