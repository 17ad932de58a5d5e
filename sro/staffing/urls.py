from django.urls import path

from sro.staffing import views, views_assignments

app_name = "staffing"

urlpatterns = [
    path("", views.roster, name="roster"),
    path("officers/new/", views.officer_new, name="officer_new"),
    path("officers/<int:pk>/", views.officer_detail, name="officer"),
    path("officers/<int:pk>/account/", views.officer_account, name="officer_account"),
    path("officers/<int:pk>/deactivate/", views.officer_deactivate_view, name="officer_deactivate"),
    path("officers/<int:pk>/nominate/", views.nominate, name="nominate"),
    path("officers/<int:pk>/training/", views.training_add, name="training_add"),
    path("training/", views.matrix, name="matrix"),
    path("training/contracts/", views.contract_training_list, name="contract_training_list"),
    path("training/contracts/<int:pk>/", views.contract_training, name="contract_training"),
    path("training/<int:pk>/review/", views.training_review, name="training_review"),
    path("training/<int:pk>/decline/", views.training_decline, name="training_decline"),
    path("nominations/<int:pk>/panel/", views.panel_new, name="panel_new"),
    path("nominations/<int:pk>/withdraw/", views.nomination_withdraw_view, name="nomination_withdraw"),
    path("panels/<int:pk>/", views.panel_detail, name="panel"),
    path("assignments/", views_assignments.assignment_index, name="assignments"),
    path("assignments/new/", views_assignments.assignment_new, name="assignment_new"),
    path("assignments/check/", views_assignments.assignment_check, name="assignment_check"),
    path("assignments/<int:pk>/end/", views_assignments.assignment_end_view, name="assignment_end"),
    path("assignments/<int:pk>/cancel/", views_assignments.assignment_cancel_view, name="assignment_cancel"),
    path("notices/", views.notices, name="notices"),
    path("notices/<int:pk>/read/", views.notice_read, name="notice_read"),
]
