"""The first pages a visitor reaches: the sign-in landing page with its way to the public site (in
English and Spanish), and the API documentation every home page links to, served from the project."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import Any

from django.contrib.staticfiles import finders
from django.test import Client


class _Page(HTMLParser):
    """The links, forms, buttons and scripts of a page, as (tag, attributes) pairs."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[tuple[dict[str, str], str]] = []
        self._script: dict[str, str] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.tags.append((tag, a))
        if tag == "script":
            self._script, self._text = a, []

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._text).strip()))
            self._script = None

    def find(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())]


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def test_the_root_leads_an_anonymous_visitor_to_the_sign_in_page(db: Any) -> None:
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_sign_in_page_offers_the_public_site_in_english_and_spanish(db: Any) -> None:
    html = Client().get("/accounts/login/").content.decode()
    page = parse(html)
    assert page.find("a", href="/public/"), "a plain link to the public site"
    assert page.find("input", name="username") and page.find("input", name="password")
    forms = [a for a in page.find("form") if a.get("action") == "/i18n/setlang/"]
    assert len(forms) == 1
    assert page.find("input", type="hidden", name="next", value="/public/")
    spanish = page.find("button", name="language", value="es")
    english = page.find("button", name="language", value="en")
    assert spanish and spanish[0]["lang"] == "es" and english
    assert "Sitio público en español" in html and "Public site in English" in html


def test_the_spanish_button_opens_the_public_site_in_spanish(demo: Any) -> None:
    client = Client()
    client.get("/accounts/login/")  # the CSRF cookie, as a browser would have it
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/public/"})
    assert response.status_code == 302 and response["Location"] == "/public/"
    page = client.get("/public/")
    assert page.status_code == 200
    assert '<html lang="es">' in page.content.decode()


def test_the_api_docs_reference_only_files_of_this_site(db: Any) -> None:
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    page = parse(response.content.decode())
    assets = [a["src"] for a in page.find("script") if "src" in a]
    assets += [a["href"] for t, a in page.tags if t == "link" and "href" in a]
    assert len(assets) >= 4  # the Swagger UI bundle, its start script, its stylesheet, the icons
    for url in assets:
        assert re.match(r"^/(?!/)", url), f"{url} is not a file of this site"
        assert url.startswith("/static/") and finders.find(url.removeprefix("/static/")), f"{url} is not served"
    # No inline script: the only script without src is the settings, a JSON data block.
    inline = [(a, text) for a, text in page.scripts if "src" not in a]
    assert [a.get("type") for a, _ in inline] == ["application/json"]
    settings = json.loads(inline[0][1])
    assert settings["url"] == "/api/v1/openapi.json"
    assert settings["validatorUrl"] is None  # no badge image from validator.swagger.io
    body = page.find("body")[0]
    assert body["data-api-csrf"] == "true" and body["data-csrf-token"], "Try it out sends X-CSRFToken"


def test_the_api_docs_are_linked_from_every_home_page(signed_in: Any) -> None:
    for username in ("director", "boardmember", "officer.pspd", "analyst"):
        assert 'href="/api/v1/docs"' in signed_in(username).get("/").content.decode(), username
