"""The director's queue ("Waiting for you"): every count equals its list, every item opens where it
is acted on, the home page shows the top of each group and says how many more, and roles that
wait on nothing have no queue."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone

from sro.community.models import CommentStatus, PublicComment
from sro.contracts.models import Vote
from sro.core import queue as registry
from sro.core.queue import QueueSource, queue_for
from sro.incidents.models import NotificationTask, Review
from sro.orgs.actors import actor_for
from sro.staffing.catalogues import courses
from sro.staffing.models import Officer, TrainingRecord
from sro.staffing.services import training_record_create
from sro.web.dashboard import QUEUE_TOP

SECTION = re.compile(r'<section class="queue-group" aria-labelledby="([^"]+)">(.*?)</section>', re.S)


def _queue_page(html: str) -> dict[str, tuple[int | None, int]]:
    """anchor -> (the count the section states, the items it lists)."""
    out = {}
    for anchor, body in SECTION.findall(html):
        stated = re.search(r"<p>(\d+) waiting\.</p>", body)
        out[anchor] = (int(stated.group(1)) if stated else None, body.count("<li>"))
    return out


def _pending_training(site: dict[str, Any]) -> TrainingRecord:
    officer = Officer.objects.filter(nominations__contract__district=site["district"]).order_by("pk").first()
    assert officer is not None
    return training_record_create(
        actor=None,
        officer=officer,
        course=courses()[0].key,
        completed_on=timezone.localdate() - dt.timedelta(days=3),
        provider="Riverside County Sheriff's Academy",
        hours=8,
        evidence="certificate-4411.pdf",
    )


def test_every_count_in_the_queue_equals_its_list_and_the_records(signed_in: Any, site: dict[str, Any]) -> None:
    _pending_training(site)
    today = timezone.localdate()
    district = site["district"]
    expected = {
        "queue-staffing-training": TrainingRecord.objects.filter(status="pending").count(),
        "queue-incidents-reviews": Review.objects.filter(
            status__in=["open", "under_review"], school__district=district
        ).count(),
        "queue-incidents-overdue": NotificationTask.objects.filter(
            kind="law_enforcement", done_at__isnull=True, due_on__lt=today, school__district=district
        ).count(),
        "queue-contracts-votes": Vote.objects.filter(
            outcome="scheduled",
            meeting__date__lte=today + dt.timedelta(days=30),
            version__contract__district=district,
        ).count(),
        "queue-community-moderation": PublicComment.objects.filter(status=CommentStatus.PENDING).count(),
    }
    assert all(expected.values()), expected  # the demo (and the record above) give every group work

    page = _queue_page(signed_in("director").get("/queue/").content.decode())
    for anchor, n in expected.items():
        assert page[anchor] == (n, n), anchor
    for anchor, (stated, listed) in page.items():  # the groups with nothing waiting say so, with no list
        assert (stated or 0) == listed, anchor

    home = signed_in("director").get("/").content.decode()
    total = sum(listed for _stated, listed in page.values())
    assert f"{total} items wait for you." in home
    reviews = expected["queue-incidents-reviews"]
    block = home.split('id="home-queue-incidents-reviews"', 1)[1].split("</div>", 1)[0]
    assert f"<p>{reviews} waiting.</p>" in block and block.count("<li>") == min(reviews, QUEUE_TOP)
    if reviews > QUEUE_TOP:  # the home page says how many it leaves out, and links to them
        assert f'href="/queue/#queue-incidents-reviews">and {reviews - QUEUE_TOP} more</a>' in block


def test_each_item_opens_where_it_is_acted_on(signed_in: Any, site: dict[str, Any]) -> None:
    record = _pending_training(site)
    director = signed_in("director")
    groups = queue_for(actor_for(site["users"]["director"]))
    items = [item for g in groups for item in g.items]
    assert len(items) >= 5
    for item in items:
        assert director.get(item.url.split("#", 1)[0]).status_code == 200, item
    training = next(g for g in groups if g.key == "staffing.training")
    assert training.items[0].url == f"/staffing/officers/{record.officer_id}/"
    # Confirming the completion takes it off the queue.
    director.post(f"/staffing/training/{record.pk}/review/")
    record.refresh_from_db()
    assert record.status == "confirmed"
    assert _queue_page(director.get("/queue/").content.decode())["queue-staffing-training"] == (None, 0)


@pytest.mark.parametrize("username", ["boardmember", "superintendent", "analyst"])
def test_roles_that_wait_on_nothing_have_no_queue(signed_in: Any, username: str) -> None:
    client = signed_in(username)
    assert client.get("/queue/").status_code == 404
    home = client.get("/").content.decode()
    assert "Waiting for you" not in home and 'href="/queue/' not in home


def test_a_source_that_fails_says_so_instead_of_none_waiting(signed_in: Any) -> None:
    def broken(actor: Any) -> list[Any]:
        raise RuntimeError("boom")

    registry.register(QueueSource("test.broken", "Broken source", frozenset({"district_admin"}), broken, "", 1))
    try:
        html = signed_in("director").get("/queue/").content.decode()
    finally:
        registry._SOURCES.pop("test.broken")
    section = html.split('id="queue-test-broken"', 1)[1].split("</section>", 1)[0]
    assert "could not be read" in section and "None waiting" not in section


@pytest.mark.parametrize("username", ["principal.pshs", "officer.pspd", "lt.pspd"])
def test_principals_officers_and_supervisors_have_a_queue_for_uses_of_force(signed_in: Any, username: str) -> None:
    client = signed_in(username)
    page = client.get("/queue/")
    assert page.status_code == 200
    assert "Waiting for you" in client.get("/").content.decode()
