from django.urls import path

from sro.contracts import views, views_create

urlpatterns = [
    path("", views.contract_index, name="contract_list"),
    path("new/", views_create.contract_new, name="contract_new"),
    path("<int:pk>/", views.contract_detail, name="contract_detail"),
    path("<int:pk>/edit/", views_create.contract_edit, name="contract_edit"),
    path("<int:pk>/versions/new/", views_create.version_new, name="contract_version_new"),
    path("<int:pk>/versions/<int:number>/schedule/", views_create.version_schedule, name="contract_version_schedule"),
    path("<int:pk>/actions/<slug:action>/", views.contract_action, name="contract_action"),
    path("<int:pk>/vote/", views.vote_form, name="contract_vote"),
    path("bodies/", views_create.body_index, name="contract_bodies"),
    path("bodies/new/", views_create.body_new, name="contract_body_new"),
    path("bodies/<int:pk>/meetings/", views_create.meeting_index, name="contract_meetings"),
    path("bodies/<int:pk>/meetings/new/", views_create.meeting_new, name="contract_meeting_new"),
    path("bodies/<int:pk>/edit/", views_create.body_edit, name="contract_body_edit"),
    path("bodies/<int:pk>/meetings/<int:meeting_pk>/edit/", views_create.meeting_edit, name="contract_meeting_edit"),
]
