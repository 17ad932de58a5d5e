from django.urls import path

from sro.orgs import views_twostep

urlpatterns = [
    path("", views_twostep.two_step, name="two_step"),
    path("verify/", views_twostep.two_step_verify_view, name="two_step_verify"),
]
