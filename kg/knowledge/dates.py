"""Date expressions in a sentence, resolved against the article's publication date.

"October 5" in an article of 11 Oct 2016 is 2016-10-05; "last year" is 2015; "in December 2020" is 2020-12.
The words come from ontology/patterns/dates.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from kg.knowledge.schemas import DatesFile

__all__ = ["DateMention", "DateRules", "anaphoric_dates", "find_dates", "parse_day_month_year"]


@dataclass(frozen=True)
class DateMention:
    """A date expression: offsets in the text searched, and its ISO value (YYYY, YYYY-MM or YYYY-MM-DD)."""

    start: int
    end: int
    text: str
    value: str


@dataclass(frozen=True)
class DateRules:
    months: dict[str, int]
    weekdays: dict[str, int]
    relative_years: dict[str, int]
    relative_months: dict[str, int]
    relative_days: dict[str, int]
    anaphoric_days: dict[str, int]
    start_cues: tuple[str, ...]
    end_cues: tuple[str, ...]
    future_tolerance_days: int
    duration_units: dict[str, int]  # "60-day", "three-month": days per unit

    @classmethod
    def from_spec(cls, spec: DatesFile) -> DateRules:
        return cls(months={w.lower().rstrip("."): n for n, words in spec.months.items() for w in words},
                   weekdays={w.lower(): n for n, words in spec.weekdays.items() for w in words},
                   relative_years={k.lower(): v for k, v in spec.relative_years.items()},
                   relative_months={k.lower(): v for k, v in spec.relative_months.items()},
                   relative_days={k.lower(): v for k, v in spec.relative_days.items()},
                   anaphoric_days={k.lower(): v for k, v in spec.anaphoric_days.items()},
                   start_cues=tuple(spec.start_cues), end_cues=tuple(spec.end_cues),
                   future_tolerance_days=spec.future_tolerance_days,
                   duration_units={k.lower(): v for k, v in spec.duration_units.items()})

    def pattern(self) -> re.Pattern[str]:
        return _compiled(self)


_CACHE: dict[int, re.Pattern[str]] = {}


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _compiled(rules: DateRules) -> re.Pattern[str]:
    key = id(rules)
    if key not in _CACHE:
        month = rf"(?P<{{g}}>{_alt(rules.months)})\.?"
        parts = [
            # October 5, 2016 / Oct. 5 2016 / October 5
            rf"(?:{month.format(g='m1')}\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y1>(?:19|20)\d\d))?)",
            # 5 October 2016 / 5 de octubre de 2016
            rf"(?:(?P<d2>\d{{1,2}})\s+(?:de\s+)?{month.format(g='m2')}(?:,?\s+(?:de\s+|of\s+)?(?P<y2>(?:19|20)\d\d))?)",
            # December 2020 / diciembre de 2020
            rf"(?:{month.format(g='m3')}\s+(?:de\s+|of\s+)?(?P<y3>(?:19|20)\d\d))",
            # in February, a February ambush (no day, no year)
            rf"(?:(?:(?<=\bin\s)|(?<=\ba\s)|(?<=\ban\s)|(?<=\blast\s)|(?<=\bthis\s)|(?<=\bearly\s)|(?<=\blate\s))"
            rf"{month.format(g='m4')}(?!\s+\d))",
            # on Monday; "on Wednesday (5)", "this Tuesday (4)": a weekday with its day of the month, as Brazilian
            # reporting writes it
            rf"(?:(?<=\bon\s)(?P<wd>{_alt(rules.weekdays)})(?:\s+\((?P<wdn>\d{{1,2}})\))?)",
            rf"(?:(?:(?<=\bthis\s)|(?<=\blast\s))(?P<wd2>{_alt(rules.weekdays)})\s+\((?P<wdn2>\d{{1,2}})\))",
            rf"(?P<ry>{_alt(rules.relative_years)})" if rules.relative_years else None,
            rf"(?P<rm>{_alt(rules.relative_months)})" if rules.relative_months else None,
            rf"(?P<rd>{_alt(rules.relative_days)})" if rules.relative_days else None,
            # mid-2023, early 2024, in 2015
            r"(?:(?:mid-|early\s+|late\s+)?(?P<y5>(?:19|20)\d\d)(?![\d-]))",
        ]
        body = "|".join(p for p in parts if p)
        _CACHE[key] = re.compile(rf"(?<![\w-])(?:{body})(?!\w)", re.IGNORECASE)
    return _CACHE[key]


def _month_day(rules: DateRules, published: date | None, month: int, day: int, year: str | None) -> str | None:
    if year:
        try:
            return date(int(year), month, day).isoformat()
        except ValueError:
            return None
    if published is None:
        return None
    try:
        guess = date(published.year, month, day)
    except ValueError:
        return None
    if guess > published + timedelta(days=rules.future_tolerance_days):
        guess = guess.replace(year=published.year - 1)
    return guess.isoformat()


def find_dates(text: str, rules: DateRules, published: date | None, offset: int = 0) -> list[DateMention]:
    """Every date expression in `text`, with offsets shifted by `offset` (the sentence's start)."""
    found: list[DateMention] = []
    weekdays: list[tuple[int, int]] = []
    for m in rules.pattern().finditer(text):
        value = _value(m, rules, published)
        if value:
            found.append(DateMention(offset + m.start(), offset + m.end(), m.group(0), value))
            if m.group("wd") and not m.group("wdn"):
                weekdays.append((len(found) - 1, m.end()))
    # "on Saturday night, November 1": the weekday is the date that follows it, not the Saturday before publication
    dropped = {n for n, end in weekdays if n + 1 < len(found) and len(found[n + 1].value) == 10
               and _WEEKDAY_GAP.fullmatch(text, end, found[n + 1].start - offset)}
    return [d for n, d in enumerate(found) if n not in dropped]


# what may stand between a weekday and the day of the month it is given with: "Saturday, October 23", "Saturday
# night, November 1"
_WEEKDAY_GAP = re.compile(r",?\s+(?:[a-z]+,?\s+)?")


@lru_cache(maxsize=8)
def _anaphoric_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w])(?:{_alt(words)})(?![\w])", re.IGNORECASE)


def anaphoric_dates(text: str, before: str, rules: DateRules, published: date | None,
                    offset: int = 0) -> list[DateMention]:
    """The days `text` names by reference to a date said before them ("the same day", "the next day"), counted
    from the last full date before each: in `before` (its paragraph up to `text`) or earlier in `text`. None
    without such a date: a month or a year is no day to count from."""
    if not rules.anaphoric_days:
        return []
    out = []
    for m in _anaphoric_pattern(tuple(sorted(rules.anaphoric_days))).finditer(text):
        full = [d.value for d in find_dates(before + " " + text[:m.start()], rules, published) if len(d.value) == 10]
        if full:
            day = date.fromisoformat(full[-1]) + timedelta(days=rules.anaphoric_days[m.group(0).lower()])
            out.append(DateMention(offset + m.start(), offset + m.end(), m.group(0), day.isoformat()))
    return out


def _value(m: re.Match[str], rules: DateRules, published: date | None) -> str | None:
    g = m.groupdict()
    for mk, dk, yk in (("m1", "d1", "y1"), ("m2", "d2", "y2")):
        if g.get(mk):
            return _month_day(rules, published, rules.months[g[mk].lower().rstrip(".")], int(g[dk]), g.get(yk))
    if g.get("m3"):
        return f"{int(g['y3']):04d}-{rules.months[g['m3'].lower().rstrip('.')]:02d}"
    if g.get("y5"):
        return g["y5"]
    if published is None:
        return None
    if g.get("m4"):
        month = rules.months[g["m4"].lower().rstrip(".")]
        year = published.year - 1 if month > published.month + 1 else published.year
        return f"{year:04d}-{month:02d}"
    if g.get("wd") or g.get("wd2"):
        weekday = rules.weekdays[(g.get("wd") or g["wd2"]).lower()]
        numbered = g.get("wdn") or g.get("wdn2")
        if numbered and (day := _weekday_of_month(published, weekday, int(numbered))):
            return day
        back = (published.weekday() - weekday) % 7
        return (published - timedelta(days=back)).isoformat()
    if g.get("ry"):
        return f"{published.year + rules.relative_years[g['ry'].lower()]:04d}"
    if g.get("rm"):
        month_index = published.year * 12 + published.month - 1 + rules.relative_months[g["rm"].lower()]
        return f"{month_index // 12:04d}-{month_index % 12 + 1:02d}"
    if g.get("rd"):
        return (published + timedelta(days=rules.relative_days[g["rd"].lower()])).isoformat()
    return None


def _weekday_of_month(published: date, weekday: int, day: int) -> str | None:
    """"Wednesday (5)": the day `day`, within two weeks of publication, that falls on that weekday; None when none
    does (a misprint: the weekday alone is read then)."""
    for offset in range(-14, 8):
        candidate = published + timedelta(days=offset)
        if candidate.day == day and candidate.weekday() == weekday:
            return candidate.isoformat()
    return None


def parse_day_month_year(text: str, rules: DateRules) -> date | None:
    """A full date written as in bylines ("11 OCT 2016", "March 11, 2024"), any year; None when it is no date."""
    m = re.fullmatch(r"(\d{1,2})\s+([A-Za-zéá]+)\.?,?\s+(\d{4})", text.strip())
    day_first = m is not None
    m = m or re.fullmatch(r"([A-Za-zéá]+)\.?\s+(\d{1,2}),?\s+(\d{4})", text.strip())
    if not m:
        return None
    day, month = (m.group(1), m.group(2)) if day_first else (m.group(2), m.group(1))
    if month.lower() not in rules.months:
        return None
    try:
        return date(int(m.group(3)), rules.months[month.lower()], int(day))
    except ValueError:
        return None
