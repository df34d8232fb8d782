"""The site-search index: one row per searchable object (imported at the end of ``ccm.library.models``).

The full-text part is not a Django field: migration ``0002_search_entry`` adds it for the database in use —

- **PostgreSQL**: a generated ``search_vector tsvector`` column (title weighted A, text B; the text
  search configuration follows ``language``: english, french, spanish, else simple) with a GIN index;
- **SQLite**: an FTS5 table ``library_searchentry_fts`` (external content, porter + unicode61 tokenizer)
  kept in step with this table by triggers.

On SQLite, a later migration that rebuilds this table (``AlterField``) drops the triggers: create them
again in that migration (copy ``SQLITE_TRIGGERS`` from migration 0002).

Rows are derived data, written only by ``ccm.library.search_index`` (never edited by hand); who sees an
object is decided at query time by its own policy, never by this table.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchKind(models.TextChoices):
    PRACTICE = "practice", _("Practice")
    OFFER = "offer", _("Offer")
    NEED = "need", _("Need")
    STATE = "state", _("State")
    DONOR = "donor", _("Donor profile")
    SUMMARY = "summary", _("Meeting summary")
    COALITION = "coalition", _("Coalition")


class SearchEntry(models.Model):
    kind = models.CharField(_("kind"), max_length=12, choices=SearchKind.choices)
    object_id = models.PositiveBigIntegerField(_("object"))
    # What the object's page is found by: a State's ISO code, a donor's slug, a summary's meeting id.
    ref = models.CharField(max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"), blank=True)
    language = models.CharField(_("language"), max_length=2, blank=True)
    # Codes between spaces (" clearance victim_assistance "), so one ``contains`` finds one.
    pillars = models.CharField(_("pillars"), max_length=300, blank=True)
    # State ids between spaces (" 12 40 "): the countries the object is about.
    states = models.TextField(_("countries"), blank=True)
    updated = models.DateTimeField(_("updated"))

    class Meta:
        ordering = ["kind", "object_id"]
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_once")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.object_id}"
