"""Search rates and contraband hit rates by group: the outcome test.

Among persons stopped, how often each group is searched (search rate, per ``--per`` persons
stopped) and, among persons searched, how often contraband or evidence is found (hit rate, per
``--per`` persons searched). A group searched more often but found with contraband less often
than others is evidence that officers search it on less evidence (the outcome test of the
Stanford Open Policing Project). Definitions and sources are in docs/metrics.md, "Search and hit
rates".

Portable Ibis, like ``sro.oversight.k12``: any table in the RIPA layout (DuckDB, a database,
Spark). ``search_rows`` -> ``search_counts`` -> ``search_report``.
"""

from __future__ import annotations

from collections.abc import Sequence

import ibis

from sro.oversight.k12 import AGE_LABELS, BY_KEYS, DIMENSIONS, KEY_COLUMNS, age_group, k12_filter, labelled
from sro.oversight.metrics import TOTAL, Col, Settings, disparity_wide, untyped
from sro.oversight.ripa import NOT_RECORDED

#: The partition keys (each partition's groups share a total, the ``All`` row).
PARTITION = ["breakdown", *KEY_COLUMNS, "dimension"]
#: A hit rate withheld because the search count it divides by is withheld.
REASON_SEARCHES = "searches withheld"
#: A hit rate left empty because no person searched in the group has contraband recorded.
REASON_NO_CONTRABAND = "no contraband data"
#: The dimensions: (code column of ``search_rows``, labels).
DIMENSION_COLUMNS: dict[str, tuple[str, dict[int, str]]] = {
    **DIMENSIONS,
    "age_group": ("AGE_GROUP", AGE_LABELS),
}
#: The counts per group (``search_counts``); ``known`` is not published (see ``search_report``).
MEASURES = ("people", "stops", "searched", "known", "found")


def _flag(condition: Col) -> Col:
    return untyped.ifelse(condition, 1, 0).cast("int64")


def search_rows(t: ibis.Table, *, k12_only: bool = False) -> ibis.Table:
    """One row per person stopped (of students or on K-12 grounds with ``k12_only``), with the
    stop (``DOJ_RECORD_ID`` and date), the keys, the demographic codes and 0/1 columns
    ``searched`` (person or property), ``known`` (searched, and ``CONTRABAND_FOUND`` recorded),
    ``found`` (searched and ``CONTRABAND_FOUND = 1``) and ``frisked`` (``NFA_TERRY_FRISK = 1``,
    2024 layout only).

    A table without ``CONTRABAND_FOUND`` or ``NFA_TERRY_FRISK`` reads them as empty.
    """
    s = k12_filter(t) if k12_only else t
    searched = (s.ADS_SEARCH_PERSON == 1) | (s.ADS_SEARCH_PROPERTY == 1)
    none = ibis.literal(0, "int64")  # for a column the table lacks (a null literal would not compare)
    if "CONTRABAND_FOUND" in s.columns:
        contraband = s.CONTRABAND_FOUND
        known, found = _flag(searched & contraband.notnull()), _flag(searched & (contraband == 1))
        contraband_recorded = _flag(contraband.notnull())
    else:
        known, found, contraband_recorded = none, none, none
    if "NFA_TERRY_FRISK" in s.columns:
        frisk_recorded, frisked = _flag(s.NFA_TERRY_FRISK.notnull()), _flag(s.NFA_TERRY_FRISK == 1)
    else:
        frisk_recorded, frisked = none, none
    day = s.DATE_OF_STOP.year() * 10000 + s.DATE_OF_STOP.month() * 100 + s.DATE_OF_STOP.day()
    return s.select(
        # The stop: its DOJ_RECORD_ID on its date (an identifier found in two years' files is not
        # taken for one stop); null, so no stop, when DOJ_RECORD_ID is blank.
        stop=s.DOJ_RECORD_ID.cast("string") + "|" + day.cast("string").coalesce(""),
        AGENCY_ORI=s.AGENCY_ORI.cast("string"),
        SCHOOL_CODE=s.SCHOOL_CODE.cast("string"),
        month=s.DATE_OF_STOP.year() * 100 + s.DATE_OF_STOP.month(),
        year=s.DATE_OF_STOP.year(),
        RAE_FULL=s.RAE_FULL,
        G_FULL=s.G_FULL,
        PD_FULL=s.PD_FULL,
        AGE_GROUP=age_group(s.AGE),
        searched=_flag(searched),
        known=known,
        found=found,
        contraband_recorded=contraband_recorded,
        frisk_recorded=frisk_recorded,
        frisked=frisked,
    )


def _measures(rows: ibis.Table) -> dict[str, Col]:
    return {
        "people": rows.count(),
        "stops": rows.stop.nunique(),  # stop events: distinct DOJ_RECORD_ID (on its date)
        "searched": rows.searched.sum(),
        "known": rows.known.sum(),
        "found": rows.found.sum(),
    }


def search_counts(rows: ibis.Table, breakdowns: Sequence[tuple[str, ...]]) -> ibis.Table:
    """Counts per breakdown, place, dimension and group: ``people`` (persons stopped),
    ``stops`` (distinct stops), ``searched``, ``known`` and ``found``.

    The ``All`` row of each partition is counted from the rows themselves, not summed from the
    groups: a stop of two people of different groups is one stop in each group and one in All.
    """
    parts = []
    for keys in breakdowns:
        by = [BY_KEYS[k] for k in keys]
        totals = rows.group_by(by).aggregate(**_measures(rows)) if by else rows.aggregate(**_measures(rows))
        for dim, (col, labels) in DIMENSION_COLUMNS.items():
            agg = rows.group_by([*by, col]).aggregate(**_measures(rows))
            for table, group in ((totals, ibis.literal(TOTAL)), (agg, labelled(agg[col], labels))):
                key_cols = {
                    k: (table[BY_KEYS[k]].cast("string") if k in keys else ibis.null("string")) for k in KEY_COLUMNS
                }
                parts.append(
                    table.select(
                        breakdown=ibis.literal(",".join(keys) or "statewide"),
                        **key_cols,
                        dimension=ibis.literal(dim),
                        group=group,
                        **{m: table[m].cast("int64") for m in MEASURES},
                    )
                )
    return ibis.union(*parts, distinct=False)


def _key(t: ibis.Table) -> Col:
    """One text key per partition and group (null-safe: the keys a breakdown lacks are null)."""
    out: Col = t.breakdown
    for part in (*(t[k].coalesce("") for k in KEY_COLUMNS), t.dimension, t.group):
        out = out + "|" + part
    return out


def _metric_names(reference: bool) -> list[str]:
    """The columns of ``disparity_wide`` published per outcome (the risk differences are left out)."""
    names = ["rate", "rate_lo", "rate_hi", "rr", "rr_lo", "rr_hi"]
    return names + (["rr_ref", "rr_ref_lo", "rr_ref_hi"] if reference else [])


def _renamed(t: ibis.Table, prefix: str, reference: bool) -> dict[str, Col]:
    return {f"{prefix}_{n}": t[n] for n in _metric_names(reference)}


def search_report(counts: ibis.Table, settings: Settings) -> ibis.Table:
    """Search rates per ``settings.per`` persons stopped and hit rates per ``settings.per``
    persons searched, each with its Wilson interval, its risk ratio against all others (and
    against ``settings.reference``) and suppression, one row per partition and group.

    The hit rate is ``found / known``: persons searched with contraband found, over persons
    searched whose contraband was recorded (all of them, unless an input has no ``CED_``
    columns). A hit rate is withheld whenever its group's search count is withheld
    (``searches withheld``), since the hit rate and ``found`` would give the search count away;
    such a hit rate counts as withheld in its own partition, so complementary suppression
    applies there too. Without contraband data a hit rate is empty (``no contraband data``).
    """
    ref = settings.reference is not None
    counts = counts.mutate(_k=_key(counts))
    search = disparity_wide(
        counts, keys=PARTITION, group="group", denominator="people", outcomes=["searched"], settings=settings
    )
    search = search.select(
        _k=_key(search),
        searched=search["count"],
        **_renamed(search, "search", ref),
        search_suppressed=search.suppressed,
        search_reason=search.reason,
    )
    # A group whose search count is withheld gets a hit-rate denominator of 0: withheld (n-size)
    # in the hit partition, so that the partition's complementary suppression takes it into account.
    hidden = counts.join(search.select("_k", _hidden=search.search_suppressed), "_k")
    hits_in = hidden.select(
        *PARTITION,
        "group",
        hit_den=untyped.ifelse(hidden._hidden, 0, hidden.known).cast("int64"),
        found=hidden.found,
    )
    hits = disparity_wide(
        hits_in, keys=PARTITION, group="group", denominator="hit_den", outcomes=["found"], settings=settings
    )
    hits = hits.select(
        _k=_key(hits),
        found=hits["count"],
        **_renamed(hits, "hit", ref),
        hit_suppressed=hits.suppressed,
        _hit_reason=hits.reason,
    )
    base = counts.select(
        *PARTITION, "group", "_k", "people", "stops", _searched_all=counts.searched, _known=counts.known
    )
    joined = base.join(search, "_k").join(hits, "_k")
    hit_reason = untyped.cases(
        (joined.search_suppressed, ibis.literal(REASON_SEARCHES)),
        ((joined._known == 0) & (joined._searched_all > 0), ibis.literal(REASON_NO_CONTRABAND)),
        else_=joined._hit_reason,
    )
    search_cols = ["searched", *(f"search_{n}" for n in _metric_names(ref)), "search_suppressed", "search_reason"]
    hit_cols = ["found", *(f"hit_{n}" for n in _metric_names(ref)), "hit_suppressed"]
    out = joined.select(
        *PARTITION,
        "group",
        "people",
        "stops",
        *search_cols,
        *hit_cols,
        hit_reason=hit_reason,
    )
    return out.order_by([*PARTITION, (out.group == TOTAL).desc(), out.group])


def group_labels() -> set[str]:
    """Every group label the report can show (for checking ``--reference``)."""
    return {label for _, labels in DIMENSION_COLUMNS.values() for label in labels.values()} | {NOT_RECORDED}


def check_reference(reference: str | None) -> None:
    """Refuse a reference group that no dimension has (a typo would leave every ratio empty)."""
    if reference is not None and reference not in group_labels():
        raise ValueError(
            f"--reference {reference!r}: no such group; use 'others' or a group such as "
            f"{', '.join(sorted(DIMENSIONS['race'][1].values()))}"
        )


def coverage(rows: ibis.Table) -> ibis.Table:
    """One row: persons in scope, persons searched, searched with contraband recorded, rows with
    contraband recorded, rows with ``NFA_TERRY_FRISK`` recorded and persons frisked (for the notes)."""
    return rows.aggregate(
        people=rows.count(),
        searched=rows.searched.sum().coalesce(0),
        known=rows.known.sum().coalesce(0),
        contraband_recorded=rows.contraband_recorded.sum().coalesce(0),
        frisk_recorded=rows.frisk_recorded.sum().coalesce(0),
        frisked=rows.frisked.sum().coalesce(0),
    )
