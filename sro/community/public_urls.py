"""The community pages on the public site: the meetings' agenda and each item with its comment form.

Included by `sro.public.urls` under `/public/meetings/`, so they keep the public site's URL
names (`public:agenda`, `public:agenda_item`); the signed-in pages are in `sro.community.urls`.
"""

from django.urls import path

from sro.community import views

urlpatterns = [
    path("", views.public_agenda, name="agenda"),
    path("items/<int:pk>/", views.public_agenda_item, name="agenda_item"),
]
