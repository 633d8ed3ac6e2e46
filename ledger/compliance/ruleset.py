"""The rule set: which rules run and their thresholds, from Django settings.

Collective agreements may deviate from the statute (§7 ArbZG), so every threshold and the
set of active rules is a setting; the defaults are the statute's numbers. Every finding
carries the rule set's version, a digest of everything that decides a finding, so a report
can later be reproduced with the same parameters.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from typing import Any

import holidays as holidays_lib
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from ledger.compliance.public_holidays import check_region
from ledger.compliance.types import Rule

# Bump when the engine's reading of the statute changes (not for threshold changes: the
# digest covers those).
ENGINE_VERSION = "arbzg-1"

# The statute's numbers, in minutes (weeks for the averaging period).
DEFAULT_THRESHOLDS: dict[str, int] = {
    "daily_max_minutes": 600,  # §3 sentence 2: at most ten hours
    "average_max_minutes": 480,  # §3 sentence 2: eight hours on average per Werktag
    "average_weeks": 24,  # §3 sentence 2: within 24 weeks
    "break_after_minutes": 360,  # §4: more than six hours ...
    "break_minutes": 30,  # ... at least 30 minutes of breaks
    "long_break_after_minutes": 540,  # §4: more than nine hours ...
    "long_break_minutes": 45,  # ... at least 45 minutes
    "break_block_minutes": 15,  # §4 sentence 2: breaks count in blocks of at least 15 minutes
    "stretch_max_minutes": 360,  # §4 sentence 3: not more than six hours in a row
    "rest_minutes": 660,  # §5(1): eleven hours of uninterrupted rest
    "record_after_minutes": 480,  # §16(2): time beyond eight hours must be recorded
}


@dataclass(frozen=True)
class RuleSet:
    rules: frozenset[Rule]
    thresholds: dict[str, int]
    holiday_region: str

    def __getitem__(self, name: str) -> int:
        return self.thresholds[name]

    def describe(self) -> dict[str, Any]:
        """Everything that decides a finding; the version is a digest of this."""
        return {
            "engine": ENGINE_VERSION,
            "rules": sorted(str(rule) for rule in self.rules),
            "thresholds": dict(sorted(self.thresholds.items())),
            "holiday_region": self.holiday_region,
            "holidays_library": holidays_lib.__version__,
        }

    @functools.cached_property
    def version(self) -> str:
        canonical = json.dumps(self.describe(), sort_keys=True, separators=(",", ":"))
        return f"{ENGINE_VERSION}.{hashlib.sha256(canonical.encode()).hexdigest()[:10]}"


def build_rule_set(
    *, rules: Any = None, thresholds: dict[str, Any] | None = None, holiday_region: str = "DE"
) -> RuleSet:
    """A validated rule set; unknown rule ids or threshold names are configuration errors."""
    known = {str(rule) for rule in Rule}
    chosen = known if rules is None else set(rules)
    if unknown := chosen - known:
        raise ImproperlyConfigured(f"COMPLIANCE_RULES: unknown rule ids {sorted(unknown)}")
    merged = dict(DEFAULT_THRESHOLDS)
    for name, value in (thresholds or {}).items():
        if name not in DEFAULT_THRESHOLDS:
            raise ImproperlyConfigured(f"COMPLIANCE_THRESHOLDS: unknown threshold {name!r}")
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ImproperlyConfigured(f"COMPLIANCE_THRESHOLDS[{name!r}] must be an integer >= 0")
        merged[name] = value
    if merged["average_weeks"] < 1:
        raise ImproperlyConfigured("COMPLIANCE_THRESHOLDS['average_weeks'] must be at least 1")
    try:
        check_region(holiday_region)
    except ValueError as exc:
        raise ImproperlyConfigured(f"COMPLIANCE_HOLIDAY_REGION: {exc}") from exc
    return RuleSet(
        rules=frozenset(Rule(rule) for rule in chosen),
        thresholds=merged,
        holiday_region=holiday_region,
    )


def current_rule_set() -> RuleSet:
    """The rule set the Django settings describe (read on every call: settings may change)."""
    return _cached_rule_set(
        tuple(getattr(settings, "COMPLIANCE_RULES", None) or [str(rule) for rule in Rule]),
        json.dumps(getattr(settings, "COMPLIANCE_THRESHOLDS", None) or {}, sort_keys=True),
        getattr(settings, "COMPLIANCE_HOLIDAY_REGION", "DE-BE"),
    )


@functools.lru_cache(maxsize=8)
def _cached_rule_set(rules: tuple[str, ...], thresholds: str, region: str) -> RuleSet:
    return build_rule_set(rules=rules, thresholds=json.loads(thresholds), holiday_region=region)
