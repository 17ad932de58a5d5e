from django.urls import path

from sro.orgs import views

app_name = "orgs"

urlpatterns = [
    path("", views.people, name="people"),
    path("<str:kind>/<int:pk>/", views.people_org, name="people_org"),
    path("<str:kind>/<int:pk>/add/", views.person_add_view, name="person_add"),
    path("<str:kind>/<int:pk>/grant/", views.role_grant_view, name="role_grant"),
    path("roles/<int:pk>/end/", views.role_end, name="role_end"),
    path("accounts/<int:pk>/password-link/", views.password_link, name="password_link"),
    path("set-password/<uidb64>/<token>/", views.SetPasswordView.as_view(), name="set_password"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke_view, name="token_revoke"),
]
