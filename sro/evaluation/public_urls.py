"""The survey's public page, included by `sro.public.urls` under /public/survey/ (URL name
`public:survey`). No sign-in: the single-use link is the key."""

from django.urls import path

from sro.evaluation import views

urlpatterns = [
    path("<str:token>/", views.public_survey, name="survey"),
]
