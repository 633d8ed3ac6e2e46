"""ArbZG compliance: a pure rules engine over person-days of net work (warn, never block)."""

from ledger.compliance.engine import evaluate, lookahead_end, lookback_start
from ledger.compliance.ruleset import RuleSet, build_rule_set, current_rule_set
from ledger.compliance.types import Finding, Rule, Severity, WorkDay

__all__ = [
    "Finding",
    "Rule",
    "RuleSet",
    "Severity",
    "WorkDay",
    "build_rule_set",
    "current_rule_set",
    "evaluate",
    "lookahead_end",
    "lookback_start",
]
