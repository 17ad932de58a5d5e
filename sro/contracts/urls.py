from django.urls import path

from sro.contracts import views

urlpatterns = [
    path("", views.contract_index, name="contract_list"),
    path("<int:pk>/", views.contract_detail, name="contract_detail"),
    path("<int:pk>/actions/<slug:action>/", views.contract_action, name="contract_action"),
    path("<int:pk>/vote/", views.vote_form, name="contract_vote"),
]
