from django.urls import path

from sro.public import explorer, report_views

app_name = "reports"

urlpatterns = [
    path("board/", report_views.board_report_page, name="board"),
    path("board.pdf", report_views.board_report_pdf, name="board_pdf"),
    path("explorer/", explorer.explorer_page, name="explorer"),
    path("explorer.csv", explorer.explorer_csv, name="explorer_csv"),
]
