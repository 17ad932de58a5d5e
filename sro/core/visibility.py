"""Visibility rules: who may see which rows of a model, written once as a `Q` for one actor.

Each scoped entity has one `<entity>_visibility(actor) -> Q` in its app's selectors. The list
selector filters by it, and a single-object check evaluates the very same `Q` against the one
row (`matches`), so a list and an object check cannot disagree.
"""

from __future__ import annotations

from django.db.models import Model, Q

EVERYONE = Q()  # the rule of a superuser, and of entities everybody may see


def matches(obj: Model, rule: Q) -> bool:
    """Does the saved row `obj` satisfy the visibility rule `rule`? One query."""
    if obj.pk is None:
        return False
    # The base manager: a model's default manager may hide rows (cancelled assignments).
    return type(obj)._base_manager.filter(pk=obj.pk).filter(rule).exists()
