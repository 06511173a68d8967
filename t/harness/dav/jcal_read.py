"""jCal (RFC 7265) → iCalendar, the reverse of jcal.py: what sabre does with a PUT whose body
starts with `[` (the web app PUTs events as jCal, whatever Content-Type it says), so that the
object is stored, exported and published as iCalendar text.
"""

from __future__ import annotations

import json

from .ical import Component, Property
from .jcal import DEFAULT_TYPES


def is_jcal(body: bytes) -> bool:
    return body.lstrip()[:1] == b"["


def to_ical(body: bytes | str) -> str:
    """Raises ValueError for a body that is not a jCal component."""
    data = json.loads(body)
    return component(data).serialize()


def component(data) -> Component:
    if not (isinstance(data, list) and len(data) == 3 and isinstance(data[0], str)):
        raise ValueError("not a jCal component")
    name, props, subs = data
    return Component(name.upper(), [_property(p) for p in props], [component(c) for c in subs])


def _property(data) -> Property:
    if not (isinstance(data, list) and len(data) >= 4 and isinstance(data[1], dict)):
        raise ValueError("not a jCal property")
    name, params, vtype, values = data[0].upper(), data[1], str(data[2]).lower(), data[3:]
    out = {k.upper(): [str(x) for x in (v if isinstance(v, list) else [v])] for k, v in params.items()}
    if vtype != "unknown" and vtype != DEFAULT_TYPES.get(name, "unknown"):
        out["VALUE"] = [vtype.upper()]
    return Property(name, _value(name, vtype, values), out)


def _value(name: str, vtype: str, values: list) -> str:
    if vtype == "text":
        if values and isinstance(values[0], list):             # structured (REQUEST-STATUS)
            return ";".join(_escape(str(v)) for v in values[0])
        return ",".join(_escape(str(v)) for v in values)
    if vtype in ("date-time", "date"):
        return ",".join(_datetime(str(v)) for v in values)
    if vtype == "period":
        return ",".join(f"{_datetime(s)}/{e if str(e).upper().startswith(('P', '+P', '-P')) else _datetime(e)}"
                        for s, e in values)
    if vtype == "utc-offset":
        return str(values[0]).replace(":", "")
    if vtype == "time":
        return ",".join(str(v).replace(":", "") for v in values)
    if vtype == "boolean":
        return "TRUE" if values[0] else "FALSE"
    if vtype == "recur":
        return _recur(values[0])
    if vtype == "float" and values and isinstance(values[0], list):   # GEO
        return ";".join(str(v) for v in values[0])
    return ",".join(str(v) for v in values)


def _datetime(value: str) -> str:
    """2030-01-02T10:00:00Z → 20300102T100000Z, 2030-01-02 → 20300102."""
    return value.replace("-", "").replace(":", "").split(".")[0] + ("Z" if value.endswith("Z") and "." in value else "")


def _recur(rule) -> str:
    if isinstance(rule, str):
        return rule
    parts = []
    for key, value in rule.items():
        values = value if isinstance(value, list) else [value]
        text = ",".join(_datetime(str(v)) if key.lower() == "until" else str(v) for v in values)
        parts.append(f"{key.upper()}={text}")
    return ";".join(parts)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")
