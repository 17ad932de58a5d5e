"""The complaint pages of the public site, included by `sro.public.urls` under /public/complaints/
(URL names `public:complaint_new`, `public:complaint_status`, `public:complaint_figures`,
`public:complaint_csv`). No sign-in."""

from django.urls import path

from sro.complaints import views

urlpatterns = [
    path("new", views.public_new, name="complaint_new"),
    path("status/<str:token>", views.public_status, name="complaint_status"),
    path("figures/", views.public_figures, name="complaint_figures"),
    path("figures/complaints.csv", views.public_figures_csv, name="complaint_csv"),
]
