"""The demo shows routing, tasks, crossings and emergencies on first run; every page renders for its roles."""

from __future__ import annotations

from typing import Any

from sro.incidents.models import Contact, Incident, Review


def test_demo_has_routes_crossings_emergencies_and_reviews(demo: dict[str, Any]) -> None:
    routes = set(Incident.objects.values_list("route", flat=True))
    assert routes == {"school_discipline", "discretionary_referral", "mandatory_notification", "emergency"}
    assert set(Incident.objects.values_list("school__name", flat=True)) == set(demo["schools"])
    assert Contact.objects.filter(boundary_crossing=True).count() >= 8
    assert Contact.objects.filter(emergency=True, boundary_crossing=False).exists()
    statuses = set(Review.objects.values_list("status", flat=True))
    assert {"open", "substantiated", "unfounded"} <= statuses


PAGES = {
    "principal.pshs": ["/incidents/", "/incidents/new/", "/incidents/tasks/"],
    "director": ["/incidents/", "/incidents/tasks/", "/incidents/contacts/", "/incidents/reviews/"],
    "officer.pspd": ["/incidents/", "/incidents/contacts/", "/incidents/contacts/new/", "/incidents/reviews/"],
    "lt.pspd": ["/incidents/", "/incidents/contacts/", "/incidents/reviews/"],
}


def test_pages_render_for_their_roles_and_the_review_page_offers_allowed_steps(
    client_for: Any, demo: dict[str, Any]
) -> None:
    for username, paths in PAGES.items():
        c = client_for(username)
        for path in paths:
            r = c.get(path)
            assert r.status_code == 200, (username, path)
            assert "<script>" not in r.content.decode() and "style=" not in r.content.decode()
    review = Review.objects.filter(status="open").first()
    assert review is not None
    page = client_for("director").get(f"/incidents/reviews/{review.pk}/").content.decode()
    assert "Close: substantiated" in page and "prohibited from involvement" in page
    assert "Close: substantiated" not in client_for("lt.pspd").get(f"/incidents/reviews/{review.pk}/").content.decode()
    r = client_for("director").post(f"/incidents/reviews/{review.pk}/", {"action": "substantiate"})
    assert r.status_code == 200 and "corrective action" in r.content.decode()
    r = client_for("director").post(
        f"/incidents/reviews/{review.pk}/", {"action": "substantiate", "corrective_action": "Retraining"}
    )
    assert r.status_code == 302
    assert client_for("principal.pshs").get("/incidents/contacts/new/").status_code == 404
