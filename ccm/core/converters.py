"""URL converters shared by the apps: ISO 3166 alpha-3 codes, years, obligation kinds."""

from django.urls import register_converter


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


register_converter(Iso3Converter, "iso3")
register_converter(YearConverter, "year")
register_converter(ObligationKindConverter, "kind")
