"""Errors raised by services and selectors, mapped to one shape by every interface.

The API answers `{"detail": "...", "errors": [{"field": "...", "message": "..."}]}`;
pages show the same messages beside their fields; the CLI prints them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError as DjangoValidationError


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


class DomainError(Exception):
    """Base class: carries a summary and field errors; `status` is its HTTP answer."""

    status = 400

    def __init__(self, detail: str, errors: Iterable[FieldError] = ()) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = list(errors)

    def as_dict(self) -> dict[str, object]:
        return {"detail": self.detail, "errors": [e.as_dict() for e in self.errors]}


class InvalidInput(DomainError):
    """Input failed validation; nothing was saved."""

    status = 422

    @classmethod
    def from_django(cls, exc: DjangoValidationError, detail: str = "") -> InvalidInput:
        errors: list[FieldError] = []
        if hasattr(exc, "error_dict"):
            for name, errs in exc.error_dict.items():
                for err in errs:
                    for msg in err.messages:
                        errors.append(FieldError("__all__" if name == "__all__" else name, msg))
        else:
            errors.extend(FieldError("__all__", m) for m in exc.messages)
        summary = detail or "; ".join(f"{e.field}: {e.message}" for e in errors)
        return cls(summary or "Invalid input.", errors)

    @classmethod
    def single(cls, field_name: str, message: str) -> InvalidInput:
        return cls(f"{field_name}: {message}", [FieldError(field_name, message)])

    @classmethod
    def many(cls, problems: Mapping[str, str] | Iterable[tuple[str, str]]) -> InvalidInput:
        items = problems.items() if isinstance(problems, Mapping) else problems
        errors = [FieldError(f, m) for f, m in items]
        return cls("; ".join(f"{e.field}: {e.message}" for e in errors), errors)


class NotFound(DomainError):
    """Missing, or not visible to this actor: the two are answered alike."""

    status = 404

    def __init__(self, what: str = "Object") -> None:
        super().__init__(f"{what} not found.")


class Forbidden(DomainError):
    """The actor may see the object but not do this to it."""

    status = 403

    def __init__(self, detail: str = "You do not have permission to do this.") -> None:
        super().__init__(detail)


@dataclass
class TransitionRefused(DomainError):
    """A lifecycle step that is not allowed from the current status."""

    action: str
    current: str
    allowed: list[str] = field(default_factory=list)
    reason: str = ""
    status = 409

    def __post_init__(self) -> None:
        msg = self.reason or f"'{self.action}' is not allowed while the status is '{self.current}'."
        allowed = ", ".join(self.allowed) or "none"
        super().__init__(f"{msg} Allowed actions: {allowed}.")

    def as_dict(self) -> dict[str, object]:
        data = super().as_dict()
        data.update({"current_status": self.current, "allowed_actions": self.allowed})
        return data


class Conflict(DomainError):
    """The request clashes with stored state (a duplicate, an overlap, a gate refusal)."""

    status = 409
