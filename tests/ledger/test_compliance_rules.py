"""The ArbZG rules, table by table, straight from the statute (to the minute)."""

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError

from accounts.models import validate_holiday_region
from ledger.compliance import (
    WorkDay,
    build_rule_set,
    current_rule_set,
    evaluate,
    lookahead_end,
    lookback_start,
)
from tests.ledger.compliance_helpers import BERLIN, at, day, findings_on

MONDAY = "2026-03-02"


def measured(date: str, *days: WorkDay, rule: str, **kwargs):  # type: ignore[no-untyped-def]
    found = findings_on(date, *days, rule=rule, **kwargs)
    assert len(found) <= 1
    return found[0]["measured"] if found else None


# §3: at most ten hours of net work a day.
@pytest.mark.parametrize(
    ("spans", "expected"),
    [
        (("07:00-12:00", "12:45-17:45"), None),  # 10 h 00 min
        (("07:00-12:00", "12:45-17:46"), {"work_minutes": 601, "max_minutes": 600}),
        (("06:00-12:00", "12:45-18:45"), {"work_minutes": 720, "max_minutes": 600}),
        # 10 h 59 min gross, 1 h of breaks: 9 h 59 min net is within the limit.
        (("07:00-12:00", "13:00-17:59"), None),
    ],
)
def test_daily_maximum_is_ten_hours_of_net_work(spans, expected):
    assert measured(MONDAY, day(MONDAY, *spans), rule="ARBZG_3_DAILY_MAX") == expected


# §16(2): time beyond eight hours must be recorded (a notice).
@pytest.mark.parametrize(
    ("spans", "expected"),
    [
        (("08:00-12:00", "12:30-16:30"), None),  # 8 h 00 min
        (
            ("08:00-12:00", "12:30-16:31"),
            {"work_minutes": 481, "over_minutes": 1, "threshold_minutes": 480},
        ),
    ],
)
def test_work_beyond_eight_hours_is_a_recording_notice(spans, expected):
    found = findings_on(MONDAY, day(MONDAY, *spans), rule="ARBZG_16_OVER_8H")
    assert [f["measured"] for f in found] == ([expected] if expected else [])
    assert all(f["severity"] == "notice" and f["paragraph"] == "§16(2) ArbZG" for f in found)


# §4: > 6 h needs 30 min of breaks, > 9 h needs 45; only blocks of >= 15 min count.
@pytest.mark.parametrize(
    ("spans", "expected"),
    [
        pytest.param(("08:00-14:00",), None, id="6h00-no-break-needed"),
        pytest.param(("08:00-14:01",), (361, 0, 30), id="6h01-needs-30"),
        pytest.param(("08:00-11:00", "11:30-14:31"), None, id="6h01-with-30"),
        pytest.param(("08:00-11:00", "11:29-14:30"), (361, 29, 30), id="6h01-with-29"),
        pytest.param(("08:00-12:00", "12:30-17:30"), None, id="9h00-needs-30"),
        pytest.param(("08:00-12:00", "12:30-17:31"), (541, 30, 45), id="9h01-needs-45"),
        pytest.param(("08:00-12:00", "12:15-14:00", "14:30-17:46"), None, id="9h01-15+30"),
        pytest.param(("08:00-12:00", "12:30-17:01"), None, id="9h01-gross-is-8h31-net"),
        pytest.param(
            ("08:00-10:00", "10:10-12:00", "12:10-14:00", "14:10-14:50"),
            (380, 0, 30),
            id="three-10-min-breaks-are-none",
        ),
        pytest.param(("08:00-10:00", "10:15-12:00", "12:15-15:00"), None, id="15+15-is-30"),
        pytest.param(("08:00-10:00", "10:14-12:00", "12:16-15:00"), (390, 16, 30), id="14+16"),
        pytest.param(("08:00-11:00", "11:15-11:30", "11:44-15:00"), (391, 15, 30), id="15+14"),
    ],
)
def test_breaks_count_only_in_blocks_of_fifteen_minutes(spans, expected):
    got = measured(MONDAY, day(MONDAY, *spans), rule="ARBZG_4_BREAK")
    if expected is None:
        assert got is None
    else:
        work, qualifying, required = expected
        assert got == {
            "work_minutes": work,
            "qualifying_break_minutes": qualifying,
            "required_minutes": required,
        }


def test_break_finding_has_the_documented_shape():
    # 6 h 30 min of work with a 20-minute break.
    found = findings_on(MONDAY, day(MONDAY, "08:00-11:00", "11:20-14:50"))
    assert found == [
        {
            "rule": "ARBZG_4_BREAK",
            "paragraph": "§4 ArbZG",
            "severity": "violation",
            "detail": "6 h 30 min worked, 20 min of qualifying breaks; 30 min required",
            "measured": {
                "work_minutes": 390,
                "qualifying_break_minutes": 20,
                "required_minutes": 30,
            },
            "rule_set": current_rule_set().version,
        }
    ]


# §4 sentence 3: not more than six hours in a row without a qualifying break.
@pytest.mark.parametrize(
    ("spans", "expected_minutes"),
    [
        pytest.param(("08:00-13:59", "14:29-16:00"), None, id="break-at-5h59"),
        pytest.param(("08:00-14:00", "14:30-16:00"), None, id="break-at-6h00"),
        pytest.param(("08:00-14:01", "14:31-16:00"), 361, id="break-at-6h01"),
        # A 10-minute pause is no rest break: the stretch runs on, pause included.
        pytest.param(("08:00-11:00", "11:10-14:05", "14:35-15:00"), 365, id="10-min-gap"),
        pytest.param(("08:00-11:00", "11:15-14:05"), None, id="15-min-gap-ends-it"),
        # Enough breaks in total (45 min at the end) do not cure a long first stretch.
        pytest.param(("07:00-13:30", "14:15-17:00"), 390, id="late-break"),
    ],
)
def test_no_more_than_six_hours_in_a_row(spans, expected_minutes):
    got = measured(MONDAY, day(MONDAY, *spans), rule="ARBZG_4_STRETCH")
    assert (got and got["stretch_minutes"]) == expected_minutes
    if got:
        assert got["max_stretch_minutes"] == 360
        assert got["start"] == f"2026-03-02T{spans[0][:5]}:00+01:00"


def test_stretch_across_midnight_belongs_to_the_day_it_started():
    # A night shift that a per-date source (MOCO) records in two pieces is one stretch.
    night = day("2026-03-02", "22:00-24:00")
    morning = day("2026-03-03", "00:00-05:00")
    found = evaluate(days=[night, morning], first=dt.date(2026, 3, 2), last=dt.date(2026, 3, 3))
    stretch = [f for f in found[dt.date(2026, 3, 2)] if f.rule == "ARBZG_4_STRETCH"]
    assert [f.measured["stretch_minutes"] for f in stretch] == [420]
    # ... and the morning piece continues that shift: no rest period to judge.
    assert "ARBZG_5_REST" not in [f.rule for f in found.get(dt.date(2026, 3, 3), [])]


# §5: eleven hours of uninterrupted rest after the end of the working day.
@pytest.mark.parametrize(
    ("previous", "today", "expected_rest"),
    [
        pytest.param(("2026-03-02", "12:00-22:00"), ("2026-03-03", "09:00-12:00"), None, id="11h"),
        pytest.param(("2026-03-02", "12:00-22:00"), ("2026-03-03", "08:59-12:00"), 659, id="10h59"),
        pytest.param(
            ("2026-03-02", "13:00-23:30"), ("2026-03-03", "10:29-12:00"), 659, id="midnight"
        ),
        pytest.param(
            ("2026-03-02", "14:00-01:00"), ("2026-03-03", "11:00-13:00"), 600, id="night-shift"
        ),
        # Spring forward (2026-03-29, 02:00 -> 03:00): 11 h 30 min on the clock, 10 h 30 real.
        pytest.param(
            ("2026-03-28", "12:00-22:00"), ("2026-03-29", "09:30-12:00"), 630, id="dst-spring"
        ),
        # Fall back (2026-10-25, 03:00 -> 02:00): 10 h 30 min on the clock, 11 h 30 real.
        pytest.param(
            ("2026-10-24", "12:00-22:00"), ("2026-10-25", "08:30-12:00"), None, id="dst-autumn"
        ),
        pytest.param(
            ("2026-10-24", "12:00-22:00"), ("2026-10-25", "07:59-12:00"), 659, id="dst-autumn-short"
        ),
        # The previous working day need not be yesterday.
        pytest.param(
            ("2026-03-01", "12:00-22:00"), ("2026-03-03", "06:00-12:00"), None, id="day-between"
        ),
    ],
)
def test_eleven_hours_of_rest_between_working_days(previous, today, expected_rest):
    got = measured(
        today[0], day(previous[0], previous[1]), day(today[0], today[1]), rule="ARBZG_5_REST"
    )
    assert (got and got["rest_minutes"]) == expected_rest
    if got:
        assert got["required_minutes"] == 660


def test_rest_is_not_judged_without_earlier_work():
    assert findings_on(MONDAY, day(MONDAY, "05:00-08:00"), rule="ARBZG_5_REST") == []


def test_daily_work_across_the_autumn_clock_change_counts_real_time():
    # 22:00 CEST to 08:00 CET with a 30-minute break: 9 h 30 min of work on the clock,
    # 10 h 30 min of real time (the hour 02:00-03:00 happens twice).
    shift = day("2026-10-24", "22:00-25:00", "25:30-32:00")
    assert measured("2026-10-24", shift, rule="ARBZG_3_DAILY_MAX") == {
        "work_minutes": 630,
        "max_minutes": 600,
    }


# §3: eight hours on average per Werktag (Monday to Saturday) over 24 weeks.
# For Monday 2026-06-29 the window is 2026-01-19 .. 2026-07-05 (24 weeks, 144 days Mon-Sat);
# five of them are public holidays in Berlin (Apr 3, Apr 6, May 1, May 14, May 25): 139.
AVERAGE_DAY = dt.date(2026, 6, 29)
WINDOW = [dt.date(2026, 1, 19) + dt.timedelta(days=n) for n in range(24 * 7)]
BERLIN_HOLIDAYS = {dt.date(2026, 4, 3), dt.date(2026, 4, 6), dt.date(2026, 5, 1)} | {
    dt.date(2026, 5, 14),
    dt.date(2026, 5, 25),
}


def worked(date: dt.date, minutes: int) -> WorkDay:
    start = at(date, "06:00", BERLIN)
    return WorkDay(
        date=date,
        timezone=BERLIN,
        intervals=((start, start + dt.timedelta(minutes=minutes)),),
    )


def average_finding(days):  # type: ignore[no-untyped-def]
    found = evaluate(days=days, first=AVERAGE_DAY, last=AVERAGE_DAY)
    hits = [f.measured for f in found.get(AVERAGE_DAY, []) if f.rule == "ARBZG_3_AVERAGE"]
    return hits[0] if hits else None


def ordinary_days(weekdays: int):  # type: ignore[no-untyped-def]
    return [d for d in WINDOW if d.weekday() < weekdays and d not in BERLIN_HOLIDAYS]


def test_average_counts_saturdays_as_werktage_even_when_nobody_works_them():
    # 9 h 30 min Monday to Friday is 47 h 30 min a week: 7 h 55 min per Werktag.
    days = [worked(d, 570) for d in ordinary_days(5)]
    assert average_finding(days) is None


def test_average_above_eight_hours_with_saturdays_is_a_violation():
    days = [worked(d, 540) for d in ordinary_days(6)]
    assert average_finding(days) == {
        "average_minutes": 540.0,
        "max_average_minutes": 480,
        "work_minutes": 139 * 540,
        "working_days": 139,
        "weeks": 24,
        "period_start": "2026-01-19",
        "period_end": "2026-07-05",
    }


@pytest.mark.parametrize(("extra_minutes", "expected"), [(0, False), (1, True)])
def test_average_threshold_is_exact(extra_minutes, expected):
    days = [worked(d, 480) for d in ordinary_days(6)]
    days[0] = worked(days[0].date, 480 + extra_minutes)
    assert (average_finding(days) is not None) is expected


def test_work_on_sundays_and_holidays_counts_but_they_are_no_werktage():
    days = [worked(d, 480) for d in ordinary_days(6)]
    days += [worked(d, 60) for d in sorted(BERLIN_HOLIDAYS)]
    got = average_finding(days)
    assert got is not None
    assert (got["work_minutes"], got["working_days"]) == (139 * 480 + 5 * 60, 139)


def test_full_days_of_leave_are_neutral_in_the_average():
    # 39 days of leave: the remaining 100 Werktage carry 8 h 30 min each.
    ordinary = ordinary_days(6)
    leave = {d for d in ordinary if d != AVERAGE_DAY and d.weekday() == 2}
    leave |= set(sorted(d for d in ordinary if d.weekday() == 3)[: 39 - len(leave)])
    days = [
        WorkDay(date=d, timezone=BERLIN, full_day_absence=True) if d in leave else worked(d, 510)
        for d in ordinary
    ]
    got = average_finding(days)
    assert (got["working_days"], got["average_minutes"]) == (100, 510.0)


def test_average_window_ends_with_the_days_week_and_lookback_covers_it():
    days = [worked(d, 480) for d in ordinary_days(6)]
    # Work the Monday after the window and the Sunday before it: neither counts.
    days += [worked(dt.date(2026, 7, 6), 600), worked(dt.date(2026, 1, 18), 600)]
    assert average_finding(days) is None
    assert lookback_start(AVERAGE_DAY) == dt.date(2026, 1, 18)
    assert lookahead_end(AVERAGE_DAY) == dt.date(2026, 7, 5)


# §9: Sundays and public holidays of the user's region (notices: §10 allows exceptions).
def test_sunday_work_is_a_notice():
    assert findings_on("2026-03-01", day("2026-03-01", "10:00-14:00")) == [
        {
            "rule": "ARBZG_9_SUNDAY",
            "paragraph": "§9 ArbZG",
            "severity": "notice",
            "detail": "4 h worked on a Sunday; allowed only under an exception (§10 ArbZG)",
            "measured": {"work_minutes": 240},
            "rule_set": current_rule_set().version,
        }
    ]
    assert findings_on(MONDAY, day(MONDAY, "10:00-14:00")) == []


@pytest.mark.parametrize(
    ("date", "region", "holiday"),
    [
        ("2026-01-06", "DE-BY", "Epiphany"),  # Bavaria only
        ("2026-01-06", "DE-BE", None),
        ("2027-03-08", "DE-BE", "Women's Day"),  # Berlin only
        ("2027-03-08", "DE-BY", None),
        ("2026-10-03", "DE-HH", "German Unity Day"),  # everywhere
    ],
)
def test_work_on_a_public_holiday_of_the_users_region(date, region, holiday):
    got = measured(date, day(date, "09:00-12:00"), rule="ARBZG_9_HOLIDAY", region=region)
    expected = {"work_minutes": 180, "holiday": holiday, "region": region}
    assert got == (expected if holiday else None)


def test_holiday_region_defaults_to_the_setting(settings):
    settings.COMPLIANCE_HOLIDAY_REGION = "DE-BY"
    assert measured("2026-01-06", day("2026-01-06", "09:00-12:00"), rule="ARBZG_9_HOLIDAY")


def test_easter_sunday_in_brandenburg_is_both_sunday_and_holiday():
    found = findings_on("2026-04-05", day("2026-04-05", "09:00-12:00"), region="DE-BB")
    assert [f["rule"] for f in found] == ["ARBZG_9_SUNDAY", "ARBZG_9_HOLIDAY"]


def test_overlapping_intervals_count_once():
    # Two sources record 08:00-14:00 and 09:00-16:31: 8 h 31 min, not 13 h 31 min.
    both = day(MONDAY, "08:00-14:00", "09:00-16:31")
    assert [f["rule"] for f in findings_on(MONDAY, both)] == [
        "ARBZG_4_BREAK",
        "ARBZG_4_STRETCH",
        "ARBZG_16_OVER_8H",
    ]
    assert measured(MONDAY, both, rule="ARBZG_16_OVER_8H")["work_minutes"] == 511


def test_only_dates_in_the_range_with_work_carry_findings():
    days = [day("2026-03-01", "08:00-20:00"), day(MONDAY, "08:00-20:00"), day("2026-03-03")]
    found = evaluate(days=days, first=dt.date(2026, 3, 2), last=dt.date(2026, 3, 4))
    assert list(found) == [dt.date(2026, 3, 2)]


# Settings: the rule switch and the thresholds (§7 lets collective agreements deviate).
def test_rule_switch_runs_only_the_listed_rules(settings):
    settings.COMPLIANCE_RULES = ["ARBZG_3_DAILY_MAX"]
    found = findings_on("2026-03-01", day("2026-03-01", "06:00-18:00"))
    assert [f["rule"] for f in found] == ["ARBZG_3_DAILY_MAX"]


def test_thresholds_come_from_settings_and_change_the_rule_set_version(settings):
    default_version = current_rule_set().version
    settings.COMPLIANCE_THRESHOLDS = {"daily_max_minutes": 720}
    found = findings_on(MONDAY, day(MONDAY, "06:00-12:00", "12:45-17:46"))
    assert "ARBZG_3_DAILY_MAX" not in [f["rule"] for f in found]
    assert {f["rule_set"] for f in found} == {current_rule_set().version}
    assert current_rule_set().version != default_version
    assert current_rule_set().version.startswith("arbzg-1.")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"rules": ["ARBZG_99"]},
        {"thresholds": {"weekly_max_minutes": 1}},
        {"thresholds": {"daily_max_minutes": -1}},
        {"thresholds": {"daily_max_minutes": "600"}},
        {"thresholds": {"average_weeks": 0}},
        {"holiday_region": "DE-XX"},
        {"holiday_region": "XX"},
    ],
)
def test_misconfigured_rule_sets_are_refused(kwargs):
    with pytest.raises(ImproperlyConfigured):
        build_rule_set(**kwargs)


@pytest.mark.parametrize(("value", "valid"), [("DE-BY", True), ("DE", True), ("DE-XX", False)])
def test_user_holiday_region_is_validated(value, valid):
    if valid:
        validate_holiday_region(value)
    else:
        with pytest.raises(ValidationError):
            validate_holiday_region(value)
