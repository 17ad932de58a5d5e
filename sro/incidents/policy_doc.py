"""Write docs/policy.md from the data files: `python -m sro.incidents.policy_doc > docs/policy.md`."""

from __future__ import annotations

from sro.incidents.catalogue import catalogue
from sro.incidents.policy import DEADLINE_LABELS, ROUTE_LABELS, ROUTES, policy, route_for


def render() -> str:
    pol = policy()
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
        "## Routes (strongest first)",
        "",
    ]
    out += [f"- `{r}`: {ROUTE_LABELS[r]}" for r in reversed(ROUTES)]
    out += ["", "An incident with several offences takes the strongest route; every matching rule is listed.", ""]
    out += ["## Rules", ""]
    for r in pol.rules:
        out += [f"### `{r.id}` → {r.route}", ""]
        if r.offences:
            out.append("- Offences (any): " + ", ".join(f"`{c}`" for c in r.offences))
        if r.facts:
            out.append("- Facts (all): " + ", ".join(f"`{f}`" for f in r.facts))
        if r.deadline:
            out.append(f"- Deadline: `{r.deadline}` ({DEADLINE_LABELS[r.deadline]})")
        out += [f"- Citation: {r.citation}", f"- Reason: {r.reason}", ""]
    out += ["## Boundary checks on SRO contacts", ""]
    for b in pol.boundary:
        codes = f" (codes {', '.join(map(str, b.codes))})" if b.codes else ""
        out += [f"### `{b.id}`: {b.kind}{codes}", "", f"- Citation: {b.citation}", f"- Reason: {b.reason}", ""]
    out += ["## Offence catalogue and the route of each offence alone", ""]
    out += ["| code | title | citation | route |", "|---|---|---|---|"]
    for o in catalogue().values():
        out.append(f"| `{o.code}` | {o.title} | {o.citation} | {route_for(offences=[o.code]).route} |")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    import django

    django.setup()
    print(render(), end="")
