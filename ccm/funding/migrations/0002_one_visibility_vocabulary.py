"""One visibility vocabulary (ccm.core.policies.Visibility).

A flow's ``confidentiality`` becomes ``visibility``: "public" → "public" (everyone), "coordinators"
→ "organisation" (coordinators and the funder's organisation: the audience it had).
"""

from django.db import migrations, models

# old confidentiality → new visibility, and back
FORWARD = {"public": "public", "coordinators": "organisation"}
BACKWARD = {new: old for old, new in FORWARD.items()}


def flows_forward(apps, schema_editor):
    FundingFlow = apps.get_model("funding", "FundingFlow")
    for confidentiality, visibility in FORWARD.items():
        FundingFlow.objects.filter(confidentiality=confidentiality).update(visibility=visibility)


def flows_backward(apps, schema_editor):
    FundingFlow = apps.get_model("funding", "FundingFlow")
    for visibility, confidentiality in BACKWARD.items():
        FundingFlow.objects.filter(visibility=visibility).update(confidentiality=confidentiality)


class Migration(migrations.Migration):

    dependencies = [
        ('funding', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='fundingflow',
            name='visibility',
            field=models.CharField(choices=[('public', 'Public'), ('organisation', 'Coordinators only (and the funder)')], default='public', max_length=20, verbose_name='who may see it'),
        ),
        migrations.RunPython(flows_forward, flows_backward),
        migrations.RemoveField(
            model_name='fundingflow',
            name='confidentiality',
        ),
    ]
