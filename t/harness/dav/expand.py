"""A calendar object cut to a time range the way esn-sabre's JSON REPORT does it (sabre/vobject's
VCalendar::expand): every occurrence in [start, end) becomes its own VEVENT with a RECURRENCE-ID
(overridden instances replace theirs), date-times are given in UTC, VTIMEZONE is dropped.
All-day (DATE) values stay dates. Radicale 3.1 has no CALDAV:expand, hence this module.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil import rrule

from .ical import Component, Property

RECURRENCE = ("RRULE", "RDATE", "EXDATE", "EXRULE")
MAX_OCCURRENCES = 5000                    # an unbounded rule in a wide window stops here


def expand(cal: Component, start: datetime, end: datetime) -> Component:
    out = cal.clone()
    out.components = [c for c in out.components if c.name not in ("VTIMEZONE", "VEVENT")]
    events = cal.subs("VEVENT")
    overrides = {_key(e.first("RECURRENCE-ID")): e for e in events if e.first("RECURRENCE-ID") is not None}
    for event in events:
        if event.first("RECURRENCE-ID") is not None:
            continue
        if event.first("RRULE") is None and event.first("RDATE") is None:
            if _overlaps(event, _when(event.first("DTSTART")), start, end):
                out.components.append(_in_utc(event.clone()))
            continue
        first = _when(event.first("DTSTART"))
        length = _duration(event, first)
        for occurrence in _occurrences(event, first, start - length, end):
            key = _key_of(occurrence)
            if key in overrides:
                continue
            instance = event.clone()
            for name in RECURRENCE:
                instance.remove(name)
            _set(instance, "DTSTART", occurrence)
            if instance.first("DTEND") is not None or instance.first("DURATION") is None:
                instance.remove("DURATION")
                _set(instance, "DTEND", occurrence + length)
            _set(instance, "RECURRENCE-ID", occurrence)
            if _overlaps(instance, occurrence, start, end):
                out.components.append(_in_utc(instance))
    for override in overrides.values():
        if _overlaps(override, _when(override.first("DTSTART")), start, end):
            out.components.append(_in_utc(override.clone()))
    return out


def parse_bound(text: str) -> datetime:
    """A JSON REPORT bound: 20300101T000000[Z] or ISO 8601 (floating means UTC, as in sabre)."""
    value = text.strip().replace("-", "").replace(":", "").split(".")[0].rstrip("Z")
    return datetime.strptime(value, "%Y%m%dT%H%M%S").replace(tzinfo=timezone.utc)


def _when(prop: Property | None) -> datetime | date:
    if prop is None:
        raise ValueError("an event needs a DTSTART")
    value = prop.value.strip()
    if len(value) == 8:
        return date(int(value[:4]), int(value[4:6]), int(value[6:8]))
    moment = datetime.strptime(value.rstrip("Z"), "%Y%m%dT%H%M%S")
    if value.endswith("Z"):
        return moment.replace(tzinfo=timezone.utc)
    return moment.replace(tzinfo=_zone(prop.param("TZID")))


def _zone(tzid: str | None):
    try:
        return ZoneInfo(tzid) if tzid else timezone.utc
    except (ZoneInfoNotFoundError, ValueError):
        return timezone.utc


def _duration(event: Component, first) -> timedelta:
    end = event.first("DTEND")
    if end is not None:
        return _when(end) - first
    duration = event.first("DURATION")
    if duration is not None:
        return _parse_duration(duration.value)
    return timedelta(days=1) if not isinstance(first, datetime) else timedelta(0)


def _parse_duration(text: str) -> timedelta:
    sign = -1 if text.startswith("-") else 1
    number, total = "", timedelta(0)
    units = {"W": timedelta(weeks=1), "D": timedelta(days=1), "H": timedelta(hours=1),
             "M": timedelta(minutes=1), "S": timedelta(seconds=1)}
    for c in text.lstrip("+-").upper():
        if c.isdigit():
            number += c
        elif c in units and number:
            total += int(number) * units[c]
            number = ""
    return sign * total


def _occurrences(event: Component, first, start: datetime, end: datetime):
    all_day = not isinstance(first, datetime)
    anchor = datetime(first.year, first.month, first.day, tzinfo=timezone.utc) if all_day else first
    rules = rrule.rruleset()
    for prop in event.all("RRULE"):
        rules.rrule(_rule(prop.value, anchor))
    rules.rdate(anchor)
    for name, add in (("RDATE", rules.rdate), ("EXDATE", rules.exdate)):
        for prop in event.all(name):
            for part in prop.value.split(","):
                moment = _when(Property(name, part, prop.params))
                add(_as_datetime(moment, anchor))
    low, high = _as_datetime(start, anchor), _as_datetime(end, anchor)
    for count, moment in enumerate(rules.between(low, high, inc=True)):
        if count >= MAX_OCCURRENCES:
            break
        yield moment.date() if all_day else moment


def _rule(rule: str, anchor: datetime):
    # dateutil wants UTC UNTIL with an aware DTSTART; sabre also takes a DATE or local UNTIL.
    parts = []
    for part in rule.split(";"):
        key, _, value = part.partition("=")
        if key.upper() == "UNTIL":
            until = _when(Property("UNTIL", value, {}))
            value = _as_datetime(until, anchor).astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        parts.append(f"{key}={value}")
    return rrule.rrulestr(";".join(parts), dtstart=anchor)


def _as_datetime(moment, anchor: datetime) -> datetime:
    if isinstance(moment, datetime):
        return moment if moment.tzinfo else moment.replace(tzinfo=anchor.tzinfo)
    return datetime(moment.year, moment.month, moment.day, anchor.hour, anchor.minute, anchor.second,
                    tzinfo=anchor.tzinfo)


def _overlaps(event: Component, begin, start: datetime, end: datetime) -> bool:
    length = _duration(event, begin)
    first = _as_datetime(begin, datetime(2000, 1, 1, tzinfo=timezone.utc))
    last = first + length
    return first < end and (last > start if length else first >= start)


def _key(prop: Property) -> str:
    return _key_of(_when(prop))


def _key_of(moment) -> str:
    if isinstance(moment, datetime):
        return moment.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    return moment.strftime("%Y%m%d")


def _set(event: Component, name: str, moment) -> None:
    prop = event.first(name)
    if prop is None:
        event.add(name, "")
        prop = event.first(name)
    prop.value = _key_of(moment)
    prop.drop_param("TZID")
    if not isinstance(moment, datetime):
        prop.set_param("VALUE", "DATE")


def _in_utc(event: Component) -> Component:
    for name in ("DTSTART", "DTEND", "RECURRENCE-ID"):
        prop = event.first(name)
        if prop is not None and len(prop.value.strip()) > 8:
            prop.value = _key_of(_when(prop))
            prop.drop_param("TZID")
    return event
