from django.urls import path

from sro.community import views

app_name = "community"

urlpatterns = [
    path("moderation/", views.moderation, name="moderation"),
    path("comments/<int:pk>/moderate/", views.moderate, name="moderate"),
    path("agenda/new/", views.agenda_item_new, name="agenda_item_new"),
]
