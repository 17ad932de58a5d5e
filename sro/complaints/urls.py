"""Staff pages, under /complaints/ (district administrators; agency supervisors for their agency's)."""

from django.urls import path

from sro.complaints import views

app_name = "complaints"

urlpatterns = [
    path("", views.complaint_index, name="list"),
    path("new/", views.complaint_new, name="new"),
    path("<int:pk>/", views.complaint_detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.complaint_act, name="act"),
]
