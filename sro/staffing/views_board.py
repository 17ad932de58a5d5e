"""The campus status board: the deployment gate's answer for every campus the actor sees on a date.

Beside each answer, the warning ahead: when the officer assigned there on the date has a required
course lapsing within 30 days, the day it expires.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sro.core.params import date_param_or_today
from sro.orgs.actors import actor_for
from sro.orgs.selectors import school_list
from sro.staffing.gate import deployment_gates


@login_required
def campus_board(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    on = date_param_or_today(request)
    rows = deployment_gates(school_list(actor=actor).order_by("name"), on)
    return render(request, "staffing/board.html", {"rows": rows, "on": on})
