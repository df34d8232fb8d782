"""The Django admin of consultations: question sets, their versions and campaigns (changes are audited).

Question sets are edited on the pages (drafts, publishing); here an administrator corrects a title or a
campaign's dates by hand. Answers are not in the admin on purpose: which organisation said what is for
the campaign's conveners and the implementation support unit only.
"""

from django.contrib import admin

from ccm.consultations.models import Campaign, CampaignRecipient, Convener, QuestionSet, QuestionSetVersion
from ccm.core.admin_audit import AuditedModelAdmin


class VersionInline(admin.TabularInline):
    model = QuestionSetVersion
    extra = 0
    fields = ["number", "status", "published_at", "change_note"]
    readonly_fields = ["number", "status", "published_at", "change_note"]
    can_delete = False
    show_change_link = False


@admin.register(QuestionSet)
class QuestionSetAdmin(AuditedModelAdmin):
    list_display = ["title", "slug", "audience", "created_at"]
    list_filter = ["audience"]
    search_fields = ["title", "slug"]
    readonly_fields = ["created_by", "created_at"]
    inlines = [VersionInline]


class RecipientInline(admin.TabularInline):
    model = CampaignRecipient
    extra = 0
    raw_id_fields = ["organisation"]
    readonly_fields = ["added_at"]


class ConvenerInline(admin.TabularInline):
    model = Convener
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Campaign)
class CampaignAdmin(AuditedModelAdmin):
    list_display = ["title", "version", "opens_on", "closes_on", "sent_at"]
    search_fields = ["title"]
    list_select_related = ["version__question_set"]
    raw_id_fields = ["version"]
    readonly_fields = ["sent_at", "created_by", "created_at"]
    inlines = [RecipientInline, ConvenerInline]
