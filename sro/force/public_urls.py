"""The force app's page on the public site: counts of force reports, withheld where small.

Included by `sro.public.urls` under `/public/force/`, so it keeps the public site's URL names
(`public:force`, `public:force_csv`); the signed-in pages are in `sro.force.urls`.
"""

from django.urls import path

from sro.force import views

urlpatterns = [
    path("", views.public_force, name="force"),
    path("use-of-force.csv", views.public_force_csv, name="force_csv"),
]
