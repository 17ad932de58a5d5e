"""Write docs/policy.md from the data files: `python -m sro.incidents.policy_doc > docs/policy.md`."""

from __future__ import annotations

from sro.incidents.catalogue import catalogue
from sro.incidents.policy import (
    DEADLINE_LABELS,
    FACT_LABELS,
    RECIPIENTS,
    ROUTE_LABELS,
    ROUTES,
    UNCONFIRMED,
    Ref,
    Sources,
    load_sources,
    parse_citation,
    policy,
    route_for,
)

STATUS_LABELS = {
    "official": "official text",
    "secondary": "unofficial copy",
    "unconfirmed": "current text unconfirmed",
}


def _source_line(ref: Ref, sources: Sources) -> str:
    """`ref`: what the text read says, with the page and the date it was read."""
    src = sources.get(ref)
    if src is None:
        return f"{ref}: not in citations.toml"
    said = src.says(ref.subdivision)
    status = STATUS_LABELS[src.status] if src.confirms(ref.subdivision) else STATUS_LABELS["unconfirmed"]
    return f"{ref}: {said} Read {src.read_on.isoformat()} at <{src.url}> ({status})."


def _sources_of(citation: str, sources: Sources) -> list[str]:
    refs = dict.fromkeys(ref for _part, found in parse_citation(citation) for ref in found)
    return [f"  - {_source_line(ref, sources)}" for ref in refs]


def _read(citation: str, sources: Sources) -> str:
    """The references of `citation`, each with how far it is confirmed and when it was read."""
    refs = dict.fromkeys(ref for _part, found in parse_citation(citation) for ref in found)
    out = []
    for ref in refs:
        src = sources.get(ref)
        if src is None:
            out.append(f"{ref} (not in citations.toml)")
            continue
        status = STATUS_LABELS[src.status] if src.confirms(ref.subdivision) else STATUS_LABELS["unconfirmed"]
        out.append(f"{ref} ({status}, read {src.read_on.isoformat()})")
    return "; ".join(out)


def render() -> str:
    pol = policy()
    sources = load_sources()
    out = [
        "# Routing policy",
        "",
        f"Policy version **{pol.version}**: {pol.title}. Source: `sro/incidents/data/policy.toml`;",
        "offences: `sro/incidents/data/offences.toml`. Check a changed file with `sro policy validate PATH`;",
        "try a case with `sro route 48900(h)` or `GET /api/v1/policy/route?offence=48900(h)`.",
        "A test fails when a rule or offence is missing here. Not legal advice: district counsel reviews the files.",
        "Both files (and the RIPA codes) are also checked at every start-up (`manage.py check`); each problem names",
        'its file, line and key: `sro/incidents/data/policy.toml, line 25, [[rule]] #1 key "route": rule',
        "emergency-imminent-threat: unknown route 'nope'; one of ...`.",
        "",
        "Every statute cited is listed in `sro/incidents/data/citations.toml` with the page read, the date it was read",
        "and what each cited subdivision says (the list at the end of this page). `test_policy_statutes.py` fails when",
        "a citation names a section or subdivision not listed there, when a source has not been re-read for",
        f"{sources.read_every_days} days, or when a citation of a text not confirmed lacks `{UNCONFIRMED}`.",
        "",
        "## Routes (strongest first)",
        "",
    ]
    out += [f"- `{r}`: {ROUTE_LABELS[r]}" for r in reversed(ROUTES)]
    out += ["", "An incident with several offences takes the strongest route; every matching rule is listed.", ""]
    out += ["## Facts", ""]
    out += [f"- `{f}`: {label}" for f, label in FACT_LABELS.items()]
    out += ["", "## Whom a notification goes to", ""]
    out += [f"- `{r}`: {label}" for r, label in RECIPIENTS.items()]
    out += [""]
    if pol.corrections:
        out += [f"## Corrections in policy {pol.version}", ""]
        out += [
            "Each rule corrected against the statutes, with what it said before. The sources, as read, follow each",
            "rule below and at the end of this page.",
            "",
        ]
        for c in pol.corrections:
            rule = next(r for r in pol.rules if r.id == c.rule)
            out += [f"### `{c.rule}`", "", f"- Was: {c.was}", f"- Now: {c.now}", f"- Citation: {rule.citation}"]
            out += ["- Sources:", *_sources_of(rule.citation, sources), ""]
    out += ["## Rules", ""]
    for r in pol.rules:
        out += [f"### `{r.id}` → {r.route}", ""]
        if r.offences:
            out.append("- Offences (any): " + ", ".join(f"`{c}`" for c in r.offences))
        if r.facts:
            out.append("- Facts (all): " + ", ".join(f"`{f}`" for f in r.facts))
        if r.school_grades:
            low, high = r.school_grades
            out.append(
                f"- Schools: serving any of grades {low}-{high}, or whose grades are not on record (the decision says)"
            )
        if r.excuses:
            out.append(
                "- Excuses: " + ", ".join(f"`{c}`" for c in r.excuses) + " (no other rule matches on them: no "
                "discipline, no notification)"
            )
        if r.deadline:
            out.append(f"- Deadline: `{r.deadline}` ({DEADLINE_LABELS[r.deadline]})")
        if r.notify:
            out.append("- Notify: " + "; ".join(f"`{n}` ({RECIPIENTS[n]})" for n in r.notify))
        out += [f"- Citation: {r.citation}", f"- Reason: {r.reason}"]
        read = _read(r.citation, sources)
        out += [f"- Sources read: {read}", ""] if read else [""]
    out += ["## Boundary checks on SRO contacts", ""]
    for b in pol.boundary:
        codes = f" (codes {', '.join(map(str, b.codes))})" if b.codes else ""
        out += [f"### `{b.id}`: {b.kind}{codes}", "", f"- Citation: {b.citation}", f"- Reason: {b.reason}", ""]
    out += ["## Offence catalogue and the route of each offence alone", ""]
    out += ["| code | title | citation | route |", "|---|---|---|---|"]
    for o in catalogue().values():
        out.append(f"| `{o.code}` | {o.title} | {o.citation} | {route_for(offences=[o.code]).route} |")
    out += ["", "## Sources read", ""]
    out += [
        "Read with the project's search tool (stored copies of public pages), not from memory. 'Unofficial copy'",
        "means the text was read on a page other than the official publisher's: counsel confirms it on leginfo.",
        "",
    ]
    for s in sources.by_key.values():
        name = f"{s.law} {s.section}" if s.law in ("AB", "SB") else f"{s.law} § {s.section}"
        out += [f"### {name}: {s.title}", ""]
        out += [f"- Read {s.read_on.isoformat()} at <{s.url}> ({STATUS_LABELS[s.status]})", f"- Says: {s.summary}"]
        out += [f"- {sub}: {said}" for sub, said in s.subdivisions]
        if s.unconfirmed:
            out.append("- Cited but not seen in the text read: " + ", ".join(s.unconfirmed))
        if s.note:
            out.append(f"- Note: {s.note}")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


if __name__ == "__main__":
    import django

    django.setup()
    print(render(), end="")
