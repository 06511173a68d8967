"""iCalendar → jCal (RFC 7265), shaped like sabre/vobject's jsonSerialize() so that the `event`
field of our AMQP messages looks like the one esn-sabre publishes.

Component: [name, [properties], [components]]; property: [name, {params}, type, value, …].
Names are lower case; VALUE is not a parameter but the type; multi-valued properties (EXDATE,
CATEGORIES…) carry one jCal value per item; structured values (GEO, REQUEST-STATUS) are one array.
"""

from __future__ import annotations

from .ical import Component, Property, split_unescaped, unescape_text

# Default value type per property name (sabre's VCalendar::$propertyMap plus the extension
# properties esn-sabre registers in VObjectPropertyRegistry). Absent names are "unknown".
DEFAULT_TYPES = {
    **dict.fromkeys(
        "CALSCALE METHOD PRODID VERSION CATEGORIES CLASS COMMENT DESCRIPTION LOCATION RESOURCES STATUS "
        "SUMMARY TRANSP TZID TZNAME CONTACT RELATED-TO UID ACTION REQUEST-STATUS ALARM-AGENT PROXIMITY "
        "BUSYTYPE X-PUBLICLY-CREATOR X-PUBLICLY-CANCELLED-BY X-OPENPAAS-BOOKING-LINK".split(), "text"),
    **dict.fromkeys("COMPLETED DTEND DUE DTSTART RECURRENCE-ID EXDATE RDATE CREATED DTSTAMP LAST-MODIFIED "
                    "ACKNOWLEDGED".split(), "date-time"),
    **dict.fromkeys("PERCENT-COMPLETE PRIORITY REPEAT SEQUENCE".split(), "integer"),
    **dict.fromkeys("ATTACH TZURL URL X-OPENPAAS-VIDEOCONFERENCE".split(), "uri"),
    **dict.fromkeys("ATTENDEE ORGANIZER".split(), "cal-address"),
    **dict.fromkeys("RRULE EXRULE".split(), "recur"),
    **dict.fromkeys("TZOFFSETFROM TZOFFSETTO".split(), "utc-offset"),
    **dict.fromkeys("DEFAULT-ALARM X-PUBLICLY-CREATED X-PUBLICLY-DELETED".split(), "boolean"),
    "DURATION": "duration",
    "TRIGGER": "duration",
    "FREEBUSY": "period",
    "GEO": "float",
}

KNOWN_TYPES = {"binary", "boolean", "cal-address", "date", "date-time", "duration", "float", "integer",
               "period", "recur", "text", "time", "uri", "utc-offset", "unknown"}

STRUCTURED = {"GEO", "REQUEST-STATUS"}      # one array value instead of several values
RECUR_INTEGERS = {"COUNT"}                  # sabre turns only COUNT into a number


def component_to_jcal(comp: Component) -> list:
    return [
        comp.name.lower(),
        [property_to_jcal(p) for p in comp.properties],
        [component_to_jcal(c) for c in comp.components],
    ]


def property_to_jcal(prop: Property) -> list:
    vtype = value_type(prop)
    params = {}
    for name, values in prop.params.items():
        if name == "VALUE":
            continue
        params[name.lower()] = values[0] if len(values) == 1 else list(values)
    return [prop.name.lower(), params, vtype, *_values(prop, vtype)]


def value_type(prop: Property) -> str:
    declared = (prop.param("VALUE") or "").lower()
    if declared in KNOWN_TYPES:
        return declared
    return DEFAULT_TYPES.get(prop.name, "unknown")


def _values(prop: Property, vtype: str) -> list:
    raw = prop.value
    if vtype == "unknown":
        return [raw]
    if vtype == "text":
        if prop.name in STRUCTURED:
            return [[unescape_text(p) for p in split_unescaped(raw, ";")]]
        return [unescape_text(p) for p in split_unescaped(raw, ",")]
    if vtype in ("date-time", "date"):
        utc = (prop.param("TZID") or "").upper() in ("UTC", "GMT")
        return [_datetime(v, utc) for v in raw.split(",")]
    if vtype == "period":
        return [_period(v) for v in raw.split(",")]
    if vtype == "duration":
        return [v.strip().upper() for v in raw.split(",")]
    if vtype == "integer":
        return [int(v) for v in raw.split(",")]
    if vtype == "float":
        if prop.name in STRUCTURED:
            return [[float(v) for v in raw.split(";")]]
        return [float(v) for v in raw.split(",")]
    if vtype == "boolean":
        return [raw.strip().upper() == "TRUE"]
    if vtype == "utc-offset":
        return [_utc_offset(raw.strip())]
    if vtype == "time":
        return [_time(v) for v in raw.split(",")]
    if vtype == "recur":
        return [_recur(raw)]
    return [raw]                                   # cal-address, uri, binary: as written


def _datetime(value: str, utc: bool = False) -> str:
    v = value.strip()
    if len(v) == 8:                                # DATE: 20250419
        return f"{v[0:4]}-{v[4:6]}-{v[6:8]}"
    date, _, time = v.partition("T")
    z = "Z" if time.endswith("Z") or utc else ""
    time = time.rstrip("Z")
    return f"{date[0:4]}-{date[4:6]}-{date[6:8]}T{time[0:2]}:{time[2:4]}:{time[4:6]}{z}"


def _time(value: str) -> str:
    v = value.strip()
    return f"{v[0:2]}:{v[2:4]}:{v[4:6]}{'Z' if v.endswith('Z') else ''}"


def _period(value: str) -> list[str]:
    start, _, end = value.partition("/")
    end = end.strip()
    return [_datetime(start), end.upper() if end.upper().startswith(("P", "+P", "-P")) else _datetime(end)]


def _utc_offset(value: str) -> str:
    sign, digits = value[0], value[1:]
    out = f"{sign}{digits[0:2]}:{digits[2:4]}"
    return out + f":{digits[4:6]}" if len(digits) == 6 else out


def _recur(value: str) -> dict:
    out: dict = {}
    for part in value.upper().split(";"):
        if "=" not in part:
            continue
        key, val = part.split("=", 1)
        if key == "UNTIL":
            out["until"] = _datetime(val)
        elif key in RECUR_INTEGERS:
            out[key.lower()] = int(val)
        else:
            out[key.lower()] = val.split(",") if "," in val else val
    return out
