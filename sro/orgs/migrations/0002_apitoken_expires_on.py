"""API tokens get a last day; tokens made before have 90 days from this migration."""

import datetime as dt

from django.db import migrations, models
from django.utils import timezone


def expire_old_tokens(apps, schema_editor):
    ApiToken = apps.get_model("orgs", "ApiToken")
    ApiToken.objects.filter(expires_on__isnull=True).update(expires_on=timezone.localdate() + dt.timedelta(days=90))


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_organisations_people_roles")]
    operations = [
        migrations.AddField(model_name="apitoken", name="expires_on", field=models.DateField(blank=True, null=True)),
        migrations.RunPython(expire_old_tokens, migrations.RunPython.noop),
    ]
