"""Staff pages, under /evaluation/ (district roles; the agency's supervisors read their contracts')."""

from django.urls import path

from sro.evaluation import views

app_name = "evaluation"

urlpatterns = [
    path("", views.index, name="index"),
    path("contracts/<int:pk>/", views.contract_page, name="contract"),
    path("<int:pk>/", views.evaluation_page, name="detail"),
    path("<int:pk>/report.pdf", views.evaluation_pdf, name="pdf"),
]
