from django.urls import path

from sro.force import views

app_name = "force"

urlpatterns = [
    path("", views.report_index, name="list"),
    path("new/", views.report_new, name="new"),
    path("contacts/<int:contact_pk>/new/", views.report_new_from_contact, name="new_from_contact"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/review/", views.report_review, name="review"),
    path("<int:pk>/ursus/", views.report_ursus, name="ursus"),
    path("ursus.csv", views.ursus_csv, name="ursus_csv"),
    path("notices/", views.notice_index, name="notices"),
    path("notices/<int:pk>/read/", views.notice_read, name="notice_read"),
    path("officers/<int:pk>/", views.officer_record, name="officer_record"),
    path("flags/<int:pk>/close/", views.flag_close, name="flag_close"),
    path("joint-reviews/<int:pk>/sign/", views.joint_sign, name="joint_sign"),
]
