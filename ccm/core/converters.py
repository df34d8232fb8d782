"""URL converters shared by the apps: ISO 3166 alpha-3 codes, years, obligation kinds, references from
outside (IATI organisation references), and object ids (``<id:pk>``, every route's primary keys)."""

import base64
import re

from django.urls import register_converter


class IdConverter:
    """A primary key in a URL: up to 18 digits, so always within a 64-bit integer column. Django's ``int``
    matches any number of digits, and a longer one reaches the database: a lookup through a foreign key
    (``meeting_id=…``) then fails with an overflow (a 500) instead of finding nothing (a 404)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(int(value))


class Iso3Converter:
    regex = "[A-Z]{3}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class YearConverter:
    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{int(value):04d}"


class ObligationKindConverter:
    regex = "clearance|stockpile_destruction"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class ExternalRefConverter:
    """An identifier that comes from outside the platform (an IATI organisation reference: it may hold
    "/", "?", "#", "%", spaces, any Unicode, even control characters) as one URL-safe path segment.

    A plain reference (letters, digits, ".", "_", "-", starting with a letter or digit: ``XM-DAC-41114``)
    is its own segment, readable; any other is "~" and the unpadded URL-safe base64 of its UTF-8 bytes
    (``XM/EVIL`` → ``~WE0vRVZJTA``). The two forms cannot be confused ("~" is never in a plain one), every
    string has a URL, and a segment that does not decode is no match (404)."""

    regex = r"[A-Za-z0-9][A-Za-z0-9._\-]*|~[A-Za-z0-9_\-]*"
    _plain = re.compile(r"[A-Za-z0-9][A-Za-z0-9._\-]*")

    def to_python(self, value: str) -> str:
        if not value.startswith("~"):
            return value
        encoded = value[1:]
        try:
            return base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode("utf-8", "surrogatepass")
        except (ValueError, UnicodeDecodeError) as exc:
            raise ValueError(str(exc)) from exc

    def to_url(self, value: str) -> str:
        value = str(value)
        if self._plain.fullmatch(value):
            return value
        encoded = base64.urlsafe_b64encode(value.encode("utf-8", "surrogatepass")).decode("ascii")
        return "~" + encoded.rstrip("=")


register_converter(IdConverter, "id")
register_converter(Iso3Converter, "iso3")
register_converter(ExternalRefConverter, "ref")
register_converter(YearConverter, "year")
register_converter(ObligationKindConverter, "kind")
