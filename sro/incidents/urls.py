from django.urls import path

from sro.incidents import views

app_name = "incidents"

urlpatterns = [
    path("", views.incident_index, name="list"),
    path("new/", views.incident_new, name="new"),
    path("route/", views.route_preview, name="route_preview"),
    path("<int:pk>/", views.incident_detail, name="detail"),
    path("<int:pk>/refer/", views.incident_refer_view, name="refer"),
    path("tasks/", views.task_index, name="tasks"),
    path("tasks/<int:pk>/done/", views.task_done, name="task_done"),
    path("tasks/<int:pk>/attempts/", views.task_attempt, name="task_attempt"),
    path("tasks/<int:pk>/records/", views.task_records, name="task_records"),
    path("contacts/", views.contact_index, name="contacts"),
    path("contacts/new/", views.contact_new, name="contact_new"),
    path("contacts/import/", views.contact_import, name="contact_import"),
    path("reviews/", views.review_index, name="reviews"),
    path("reviews/<int:pk>/", views.review_detail, name="review"),
]
