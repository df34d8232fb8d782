"""English date formats for anything a template prints without the ``ccm`` filters: the same as
``{{ value|date }}`` there ("1 May 2026"), never Django's default "May 1, 2026" beside it."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
