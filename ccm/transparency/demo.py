"""Demo data of the transparency app (``ccm seed_demo`` finds this module). The Article 7 drafts' step
lives in ``draft_demo``; this module only brings it in."""

from ccm.transparency import draft_demo  # noqa: F401 - registers the drafts' demo step
