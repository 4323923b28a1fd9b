import hashlib

from django.db import migrations, models


def fill_digests(apps, schema_editor):
    """Existing records get the digest the handler now looks messages up by."""
    InboundMessage = apps.get_model("ideas_lab", "InboundMessage")
    for record in InboundMessage.objects.only("pk", "message_id").iterator():
        digest = hashlib.sha256(record.message_id.encode("utf-8", "surrogatepass")).hexdigest()
        InboundMessage.objects.filter(pk=record.pk).update(digest=digest)


class Migration(migrations.Migration):
    dependencies = [
        ("ideas_lab", "0002_history"),
    ]

    operations = [
        migrations.AddField(
            model_name="inboundmessage",
            name="digest",
            field=models.CharField(default="", max_length=64, verbose_name="Message-ID digest"),
            preserve_default=False,
        ),
        migrations.RunPython(fill_digests, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="inboundmessage",
            name="digest",
            field=models.CharField(max_length=64, unique=True, verbose_name="Message-ID digest"),
        ),
        migrations.AlterField(
            model_name="inboundmessage",
            name="message_id",
            field=models.CharField(blank=True, max_length=998, verbose_name="Message-ID"),
        ),
        migrations.AddField(
            model_name="inboundmessage",
            name="excerpt",
            field=models.TextField(blank=True, verbose_name="start of the message"),
        ),
    ]
