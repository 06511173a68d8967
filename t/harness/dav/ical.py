"""A minimal iCalendar / vCard content-line model (RFC 5545 §3.1): parse, edit, serialize.

Values stay in their escaped text form, so an object read and written back keeps every property
and parameter it had; only jcal.py interprets values. We do not use vobject here because it
rewrites what it does not understand (time zones, unknown properties), and the messages built
from these objects must say exactly what the client stored.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field


@dataclass
class Property:
    name: str                                   # upper case, without group prefix
    value: str                                  # raw (escaped) value text
    params: dict[str, list[str]] = field(default_factory=dict)  # upper-case names → values

    def param(self, name: str, default: str | None = None) -> str | None:
        values = self.params.get(name.upper())
        return values[0] if values else default

    def set_param(self, name: str, value: str) -> None:
        self.params[name.upper()] = [value]

    def drop_param(self, name: str) -> None:
        self.params.pop(name.upper(), None)


@dataclass
class Component:
    name: str
    properties: list[Property] = field(default_factory=list)
    components: list["Component"] = field(default_factory=list)

    # -- reading -------------------------------------------------------------------------------
    def first(self, name: str) -> Property | None:
        name = name.upper()
        return next((p for p in self.properties if p.name == name), None)

    def all(self, name: str) -> list[Property]:
        name = name.upper()
        return [p for p in self.properties if p.name == name]

    def value(self, name: str, default: str | None = None) -> str | None:
        prop = self.first(name)
        return prop.value if prop is not None else default

    def subs(self, name: str) -> list["Component"]:
        name = name.upper()
        return [c for c in self.components if c.name == name]

    # -- editing -------------------------------------------------------------------------------
    def add(self, name: str, value: str, **params: str) -> Property:
        prop = Property(name.upper(), value, {k.upper().replace("_", "-"): [v] for k, v in params.items()})
        self.properties.append(prop)
        return prop

    def set(self, name: str, value: str) -> Property:
        """Replace every `name` property by one with this value (keeps the first one's place)."""
        name = name.upper()
        prop = self.first(name)
        if prop is None:
            return self.add(name, value)
        self.properties = [p for p in self.properties if p.name != name or p is prop]
        prop.value, prop.params = value, {}
        return prop

    def remove(self, name: str) -> None:
        name = name.upper()
        self.properties = [p for p in self.properties if p.name != name]

    def clone(self) -> "Component":
        return copy.deepcopy(self)

    def serialize(self) -> str:
        lines: list[str] = []
        _write(self, lines)
        return "".join(_fold(line) + "\r\n" for line in lines)


class ParseError(ValueError):
    pass


# -- parsing ------------------------------------------------------------------------------------

def parse(text: str | bytes) -> Component:
    """The first top-level component of `text` (VCALENDAR or VCARD)."""
    found = parse_all(text)
    if not found:
        raise ParseError("no component")
    return found[0]


def parse_all(text: str | bytes) -> list[Component]:
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    top: list[Component] = []
    stack: list[Component] = []
    for line in _unfold(text):
        name, params, value = _split_line(line)
        if name == "BEGIN":
            comp = Component(value.strip().upper())
            (stack[-1].components if stack else top).append(comp)
            stack.append(comp)
        elif name == "END":
            if not stack or stack[-1].name != value.strip().upper():
                raise ParseError(f"unbalanced END:{value}")
            stack.pop()
        elif stack:
            stack[-1].properties.append(Property(name, value, params))
        else:
            raise ParseError(f"property outside a component: {name}")
    if stack:
        raise ParseError(f"missing END:{stack[-1].name}")
    return top


def _unfold(text: str) -> list[str]:
    lines: list[str] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if raw[:1] in (" ", "\t") and lines:
            lines[-1] += raw[1:]
        elif raw.strip():
            lines.append(raw)
    return lines


def _split_line(line: str) -> tuple[str, dict[str, list[str]], str]:
    """name;p1=a,"b";p2=c:value → ("NAME", {"P1": ["a", "b"], "P2": ["c"]}, "value")."""
    i, n = 0, len(line)
    while i < n and line[i] not in ";:":
        i += 1
    name = line[:i].upper()
    if "." in name:                       # vCard group prefix ("item1.EMAIL")
        name = name.split(".", 1)[1]
    params: dict[str, list[str]] = {}
    while i < n and line[i] == ";":
        i += 1
        start = i
        while i < n and line[i] not in "=;:":
            i += 1
        pname = line[start:i].upper()
        values: list[str] = []
        if i < n and line[i] == "=":
            i += 1
            while True:
                if i < n and line[i] == '"':
                    end = line.find('"', i + 1)
                    if end < 0:
                        raise ParseError(f"unterminated quote in {line!r}")
                    values.append(line[i + 1:end])
                    i = end + 1
                else:
                    start = i
                    while i < n and line[i] not in ",;:":
                        i += 1
                    values.append(line[start:i])
                if i < n and line[i] == ",":
                    i += 1
                    continue
                break
        params[pname] = values
    if i >= n or line[i] != ":":
        raise ParseError(f"no value in {line!r}")
    return name, params, line[i + 1:]


# -- writing ------------------------------------------------------------------------------------

def _write(comp: Component, lines: list[str]) -> None:
    lines.append(f"BEGIN:{comp.name}")
    for prop in comp.properties:
        text = prop.name
        for pname, values in prop.params.items():
            text += f";{pname}=" + ",".join(_quote(v) for v in values)
        lines.append(f"{text}:{prop.value}")
    for sub in comp.components:
        _write(sub, lines)
    lines.append(f"END:{comp.name}")


def _quote(value: str) -> str:
    return f'"{value}"' if any(c in value for c in ":;,") else value


def _fold(line: str) -> str:
    """Fold at 75 octets without cutting a UTF-8 sequence (RFC 5545 §3.1)."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts, limit = [], 75
    while data:
        cut = min(limit, len(data))
        while cut < len(data) and (data[cut] & 0xC0) == 0x80:
            cut -= 1
        parts.append(data[:cut].decode("utf-8"))
        data, limit = data[cut:], 74      # continuation lines start with a space
    return "\r\n ".join(parts)


# -- helpers shared by the scheduling code -------------------------------------------------------

def unescape_text(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        c = value[i]
        if c == "\\" and i + 1 < len(value):
            nxt = value[i + 1]
            out.append("\n" if nxt in "nN" else nxt)
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def split_unescaped(value: str, sep: str) -> list[str]:
    """Split on `sep` where it is not preceded by a backslash escape."""
    parts, cur, i = [], [], 0
    while i < len(value):
        c = value[i]
        if c == "\\" and i + 1 < len(value):
            cur.append(value[i:i + 2])
            i += 2
            continue
        if c == sep:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(c)
        i += 1
    parts.append("".join(cur))
    return parts


def new_vcalendar() -> Component:
    """An empty VCALENDAR with the properties sabre/vobject gives a new one."""
    cal = Component("VCALENDAR")
    cal.add("VERSION", "2.0")
    cal.add("PRODID", PRODID)
    cal.add("CALSCALE", "GREGORIAN")
    return cal


PRODID = "-//Sabre//Sabre VObject 4.5.7//EN"
