"""The incident form's student rows: as many as needed, none preset, errors summarised at the top.

Posts are built the way a browser sends the form: every field of every row is sent, an unchosen
select as "" (its "Choose…" option), so an empty row is really empty.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client

from sro.core.errors import InvalidInput
from sro.incidents.models import Incident, IncidentStudent
from sro.incidents.services import StudentData, incident_create
from sro.incidents.tests.conftest import past
from sro.orgs.actors import actor_for

PSHS = "Palm Springs High"
ROW_FIELDS = ["local_student_id", "name", "role", "race", "sex", "grade", "disability", "english_learner"]
DEMOGRAPHIC_SELECTS = ["role", "race", "sex", "disability", "english_learner"]
ANA = {
    "local_student_id": "S501",
    "name": "Ana Ruiz",
    "role": "offender",
    "race": "HI",
    "sex": "F",
    "grade": "10",
    "disability": "none",
    "english_learner": "no",
}
BO = {
    "local_student_id": "S502",
    "name": "Bo Lee",
    "role": "victim",
    "race": "AS",
    "sex": "M",
    "grade": "",
    "disability": "idea",
    "english_learner": "yes",
}


@pytest.fixture
def principal(client_as: Any) -> Client:
    client: Client = client_as("principal.pshs")
    return client


def post_data(org: dict[str, Any], *rows: dict[str, str], **incident: Any) -> dict[str, Any]:
    """What the browser sends: the incident's fields, then every field of every row (blank if not given)."""
    data: dict[str, Any] = {
        "school": org["schools"][PSHS].pk,
        "occurred_at": past().strftime("%Y-%m-%dT%H:%M"),
        "location": "Quad",
        "description": "Form test: phone out in class.",
        "offences": ["policy:phone"],
        "students-TOTAL_FORMS": str(len(rows)),
        "students-INITIAL_FORMS": "0",
        "students-MIN_NUM_FORMS": "1",
        "students-MAX_NUM_FORMS": "30",
    }
    for i, row in enumerate(rows):
        for name in ROW_FIELDS:
            data[f"students-{i}-{name}"] = row.get(name, "")
    data.update(incident)
    return data


def counts() -> tuple[int, int]:
    return Incident.objects.count(), IncidentStudent.objects.count()


class Page(HTMLParser):
    """The parts of a page these tests read: selects and their options, inputs, the error summary."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.selects: dict[str, list[tuple[str, str, bool]]] = {}  # name -> (value, text, selected)
        self.inputs: dict[str, dict[str, str | None]] = {}
        self.summary_links: list[tuple[str, str]] = []  # (href, text)
        self.summary: dict[str, str | None] | None = None
        self.summary_heading = ""
        self.in_template = 0
        self._select: str | None = None
        self._option: list[Any] | None = None
        self._in_summary = 0
        self._link: list[str] | None = None
        self._heading: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "template":
            self.in_template += 1
        if self.in_template:
            return
        if tag == "select":
            self._select = a.get("name") or ""
            self.selects[self._select] = []
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value") or "", "", "selected" in a]
        elif tag == "input" and a.get("name"):
            self.inputs[str(a["name"])] = a
        elif tag == "div" and "data-error-summary" in a:
            self.summary, self._in_summary = a, 1
        elif self._in_summary:
            if tag == "div":
                self._in_summary += 1
            elif tag == "a":
                self._link = [a.get("href") or "", ""]
            elif tag == "h2":
                self._heading = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "template":
            self.in_template -= 1
        if self.in_template:
            return
        if tag == "option" and self._option is not None and self._select is not None:
            self.selects[self._select].append((self._option[0], self._option[1].strip(), self._option[2]))
            self._option = None
        elif tag == "select":
            self._select = None
        elif self._in_summary:
            if tag == "div":
                self._in_summary -= 1
            elif tag == "a" and self._link is not None:
                self.summary_links.append((self._link[0], " ".join(self._link[1].split())))
                self._link = None
            elif tag == "h2" and self._heading is not None:
                self.summary_heading = "".join(self._heading).strip()
                self._heading = None

    def handle_data(self, data: str) -> None:
        if self._option is not None:
            self._option[1] += data
        if self._link is not None:
            self._link[1] += data
        if self._heading is not None:
            self._heading.append(data)

    def chosen(self, name: str) -> str:
        """The value a browser would send for the select `name`: the selected option, else the first."""
        options = self.selects[name]
        return next((v for v, _t, sel in options if sel), options[0][0])


def page_of(response: Any) -> Page:
    return Page(response.content.decode())


def test_the_form_starts_with_one_row_and_no_demographic_chosen(principal: Client) -> None:
    page = page_of(principal.get("/incidents/new/"))
    assert page.inputs["students-TOTAL_FORMS"]["value"] == "1"
    assert not any(name.startswith("students-1-") for name in page.selects)  # one row (and a <template>)
    for field in DEMOGRAPHIC_SELECTS:
        options = page.selects[f"students-0-{field}"]
        assert options[0][:2] == ("", "Choose…"), (field, options[0])
        assert not any(selected for value, _t, selected in options if value), f"{field} has a value preselected"
        assert page.chosen(f"students-0-{field}") == ""
    race = {v: t for v, t, _s in page.selects["students-0-race"]}
    sex = {v: t for v, t, _s in page.selects["students-0-sex"]}
    assert race["NR"] == "Not recorded" and sex["NR"] == "Not recorded"
    assert "NR" not in {v for v, _t, _s in page.selects["students-0-role"]}  # the school knows the role
    assert page.summary is None  # nothing to report before anything is sent


def test_a_principal_saves_an_incident_with_one_student(principal: Client, org: dict[str, Any]) -> None:
    before = counts()
    r = principal.post("/incidents/new/", post_data(org, ANA))
    assert r.status_code == 302, r.content.decode()[:3000]
    incident = Incident.objects.latest("pk")
    assert counts() == (before[0] + 1, before[1] + 1)
    (ana,) = incident.students.all()
    assert (ana.local_student_id, ana.role, ana.race, ana.sex, ana.grade) == ("S501", "offender", "HI", "F", 10)
    assert (ana.idea, ana.section_504, ana.english_learner) == (False, False, False)


def test_a_principal_saves_an_incident_with_two_students(principal: Client, org: dict[str, Any]) -> None:
    r = principal.post("/incidents/new/", post_data(org, ANA, BO))
    assert r.status_code == 302, r.content.decode()[:3000]
    incident = Incident.objects.latest("pk")
    students = {s.local_student_id: s for s in incident.students.all()}
    assert set(students) == {"S501", "S502"}
    bo = students["S502"]
    assert (bo.role, bo.race, bo.sex, bo.grade) == ("victim", "AS", "M", None)
    assert (bo.idea, bo.section_504, bo.english_learner) == (True, False, True)


def test_not_recorded_and_section_504_are_saved_as_chosen(principal: Client, org: dict[str, Any]) -> None:
    row = {**ANA, "race": "NR", "sex": "NR", "disability": "section_504"}
    assert principal.post("/incidents/new/", post_data(org, row)).status_code == 302
    student = Incident.objects.latest("pk").students.get()
    assert (student.race, student.sex, student.idea, student.section_504) == ("NR", "NR", False, True)


@pytest.mark.parametrize("layout", ["empty row between", "empty first row", "empty last rows"])
def test_empty_rows_are_ignored(principal: Client, org: dict[str, Any], layout: str) -> None:
    rows = {
        "empty row between": [ANA, {}, BO],
        "empty first row": [{}, ANA, BO],
        "empty last rows": [ANA, BO, {}, {}],
    }[layout]
    before = counts()
    r = principal.post("/incidents/new/", post_data(org, *rows))
    assert r.status_code == 302, r.content.decode()[:3000]
    assert counts() == (before[0] + 1, before[1] + 2)


def test_a_partly_filled_row_names_what_is_missing_in_that_row(principal: Client, org: dict[str, Any]) -> None:
    before = counts()
    r = principal.post("/incidents/new/", post_data(org, ANA, {"name": "Cy Park", "sex": "X"}))
    assert r.status_code == 200
    assert counts() == before
    page = page_of(r)
    links = dict(page.summary_links)
    assert links == {
        "#id_students-1-local_student_id": "Student 2, Local student id: Enter the student's local id",
        "#id_students-1-role": (
            "Student 2, Role in the incident: Choose the student's role: offender, victim or witness"
        ),
        "#id_students-1-race": "Student 2, Race/ethnicity: Choose the student's race or ethnicity, or “Not recorded”",
        "#id_students-1-disability": (
            "Student 2, Disability: Choose whether the student has an IEP or a Section 504 plan"
        ),
        "#id_students-1-english_learner": (
            "Student 2, English learner: Choose whether the student is an English learner"
        ),
    }
    # What was given stays; the complete first row is not in error.
    assert page.inputs["students-1-name"]["value"] == "Cy Park"
    assert page.chosen("students-1-sex") == "X"
    assert page.inputs["students-0-name"]["value"] == "Ana Ruiz"
    assert "aria-invalid" not in page.inputs["students-0-local_student_id"]
    assert page.inputs["students-1-local_student_id"]["aria-invalid"] == "true"


def test_a_missing_race_is_an_error_and_nothing_is_saved(principal: Client, org: dict[str, Any]) -> None:
    before = counts()
    r = principal.post("/incidents/new/", post_data(org, {**ANA, "race": ""}, location="Gym"))
    assert r.status_code == 200
    assert counts() == before
    page = page_of(r)
    assert page.summary_links == [
        ("#id_students-0-race", "Student 1, Race/ethnicity: Choose the student's race or ethnicity, or “Not recorded”")
    ]
    html = r.content.decode()
    assert 'aria-describedby="id_students-0-race_error"' in html and 'id="id_students-0-race_error"' in html
    # Every value sent comes back, the unchosen race still unchosen.
    assert page.inputs["location"]["value"] == "Gym"
    assert page.inputs["students-0-local_student_id"]["value"] == "S501"
    assert [page.chosen(f"students-0-{f}") for f in ("role", "race", "sex", "disability", "english_learner")] == [
        "offender",
        "",
        "F",
        "none",
        "no",
    ]
    assert "<title>Error: Record an incident" in html


def test_the_error_summary_is_at_the_top_with_links_to_every_field_in_error(
    principal: Client, org: dict[str, Any]
) -> None:
    data = post_data(org, {**ANA, "sex": ""}, location="", offences=[])
    r = principal.post("/incidents/new/", data)
    html = r.content.decode()
    page = page_of(r)
    assert page.summary is not None
    assert page.summary["role"] == "alert" and page.summary["tabindex"] == "-1" and "autofocus" in page.summary
    assert page.summary_heading == "There is a problem"
    assert [href for href, _text in page.summary_links] == ["#id_location", "#id_offences_0", "#id_students-0-sex"]
    form_at = html.index('<form method="post" action="/incidents/new/"')
    assert html.index("data-error-summary") < html.index("<h1>") < form_at  # at the top, before the form
    for href, _text in page.summary_links:  # each link goes to a field on the page
        assert f'id="{href[1:]}"' in html


def test_no_student_at_all_is_an_error(principal: Client, org: dict[str, Any]) -> None:
    before = counts()
    r = principal.post("/incidents/new/", post_data(org, {}))
    assert r.status_code == 200 and counts() == before
    assert page_of(r).summary_links == [
        ("#id_students-0-local_student_id", "Add at least one student: the offender, a victim or a witness.")
    ]


def test_a_student_listed_twice_is_shown_on_its_own_row(principal: Client, org: dict[str, Any]) -> None:
    """The service numbers only the students sent; the error goes back to the row the person filled in."""
    before = counts()
    r = principal.post("/incidents/new/", post_data(org, ANA, {}, {**BO, "local_student_id": "S501"}))
    assert r.status_code == 200 and counts() == before
    assert page_of(r).summary_links == [
        ("#id_students-2-local_student_id", "Student 3, Local student id: Is listed twice")
    ]


def test_without_javascript_add_another_student_shows_one_more_row(principal: Client, org: dict[str, Any]) -> None:
    before = counts()
    r = principal.post("/incidents/new/", post_data(org, {**ANA, "race": ""}, add_student="1"))
    assert r.status_code == 200 and counts() == before  # nothing saved, nothing reported
    page = page_of(r)
    assert page.summary is None
    assert page.inputs["students-TOTAL_FORMS"]["value"] == "2"
    assert page.inputs["students-0-name"]["value"] == "Ana Ruiz"
    assert page.chosen("students-1-race") == "" and page.chosen("students-0-sex") == "F"
    assert 'name="remove_student" value="1"' in r.content.decode()


def test_without_javascript_remove_student_drops_that_row(principal: Client, org: dict[str, Any]) -> None:
    before = counts()
    r = principal.post("/incidents/new/", post_data(org, ANA, BO, {"name": "Cy Park"}, remove_student="0"))
    assert r.status_code == 200 and counts() == before
    page = page_of(r)
    assert page.summary is None
    assert page.inputs["students-TOTAL_FORMS"]["value"] == "2"
    assert page.inputs["students-0-name"]["value"] == "Bo Lee"
    assert page.chosen("students-0-disability") == "idea"
    assert page.inputs["students-1-name"]["value"] == "Cy Park"
    assert "students-2-name" not in page.inputs
    # Then saved as it now stands (the partly filled row completed).
    data = post_data(org, BO, {**ANA, "local_student_id": "S503", "name": "Cy Park"})
    assert principal.post("/incidents/new/", data).status_code == 302
    assert counts() == (before[0] + 1, before[1] + 2)


@pytest.mark.parametrize("field", ["role", "race", "sex"])
@pytest.mark.parametrize("value", ["", "  "])
def test_the_service_refuses_a_missing_demographic(org: dict[str, Any], field: str, value: str) -> None:
    """The API and the command line get the same refusal: nothing is assumed for a student."""
    student = StudentData("S900", "Di Test", "offender", "WH", "F")
    student = StudentData(**{**student.__dict__, field: value})
    before = counts()
    with pytest.raises(InvalidInput) as exc:
        incident_create(
            actor=actor_for(org["users"]["principal.pshs"]),
            school=org["schools"][PSHS],
            occurred_at=past(),
            location="Quad",
            description="Service test",
            offences=["policy:phone"],
            students=[student],
        )
    assert [e.field for e in exc.value.errors] == [f"students.0.{field}"]
    assert "choose the student's" in exc.value.errors[0].message
    assert counts() == before


def test_the_service_accepts_not_recorded(org: dict[str, Any]) -> None:
    incident = incident_create(
        actor=actor_for(org["users"]["principal.pshs"]),
        school=org["schools"][PSHS],
        occurred_at=past(),
        location="Quad",
        description="Service test",
        offences=["policy:phone"],
        students=[StudentData("S901", "Ed Test", "witness", "NR", "NR")],
    )
    assert incident.students.get().get_race_display() == "Not recorded"


def test_removing_a_row_renumbers_the_rows_after_it_whatever_the_order_sent() -> None:
    from django.http import QueryDict

    from sro.incidents.forms import with_row_added_or_removed

    data = QueryDict(mutable=True)
    for i in (2, 1, 0):  # not in row order
        data.setlist(f"students-{i}-name", [f"row {i}"])
    data.update({"students-TOTAL_FORMS": "3", "students-INITIAL_FORMS": "0", "remove_student": "0"})
    out = with_row_added_or_removed(data)
    assert out is not None
    assert (out["students-TOTAL_FORMS"], out["students-0-name"], out["students-1-name"]) == ("2", "row 1", "row 2")
    assert "students-2-name" not in out
    assert with_row_added_or_removed(QueryDict("students-TOTAL_FORMS=1&location=Quad")) is None


def test_the_incident_page_shows_student_groups_in_words(signed_in: Any) -> None:
    student = IncidentStudent.objects.select_related("incident").filter(race="HI").first()
    assert student is not None
    c = signed_in("director")
    html = c.get(f"/incidents/{student.incident_id}/").content.decode()
    assert student.get_race_display() in html and ">HI<" not in html
    assert student.get_role_display() in html and f">{student.role}<" not in html
