from django.urls import path

from sro.public import report_views

app_name = "reports"

urlpatterns = [
    path("board/", report_views.board_report_page, name="board"),
    path("board.pdf", report_views.board_report_pdf, name="board_pdf"),
]
