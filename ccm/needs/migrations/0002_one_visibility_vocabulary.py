"""One visibility vocabulary (ccm.core.policies.Visibility).

- An obstacle's ``is_public`` becomes ``visibility``: True → "public" (everyone), False →
  "organisation" (its State's government and coordinators: the audience it had).
- A need's ``visibility`` keeps its values ("public", "platform", "chosen" are the core levels of
  the same names); only its length and labels change.
"""

from django.db import migrations, models

# old is_public → new visibility, and back
OBSTACLE_FORWARD = {True: "public", False: "organisation"}
OBSTACLE_BACKWARD = {"public": True, "organisation": False}


def obstacles_forward(apps, schema_editor):
    Obstacle = apps.get_model("needs", "Obstacle")
    for is_public, visibility in OBSTACLE_FORWARD.items():
        Obstacle.objects.filter(is_public=is_public).update(visibility=visibility)


def obstacles_backward(apps, schema_editor):
    Obstacle = apps.get_model("needs", "Obstacle")
    for visibility, is_public in OBSTACLE_BACKWARD.items():
        Obstacle.objects.filter(visibility=visibility).update(is_public=is_public)


class Migration(migrations.Migration):

    dependencies = [
        ('needs', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='obstacle',
            name='visibility',
            field=models.CharField(choices=[('public', 'Public'), ('organisation', "The State's government and coordinators only")], default='public', max_length=20, verbose_name='who may see it'),
        ),
        migrations.RunPython(obstacles_forward, obstacles_backward),
        migrations.RemoveField(
            model_name='obstacle',
            name='is_public',
        ),
        migrations.AlterField(
            model_name='need',
            name='visibility',
            field=models.CharField(choices=[('public', 'Everyone'), ('platform', 'Signed-in users'), ('chosen', 'Chosen donors only')], default='platform', max_length=20, verbose_name='who may see it'),
        ),
    ]
