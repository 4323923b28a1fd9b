"""Ideas' descriptions were stored as sanitised HTML; they are written in Markdown now.

Converting them (rather than rendering both) keeps one format in the database, and shows the
people who edit an older idea Markdown in the box, not HTML tags."""

from django.db import migrations, models

from portal_lib.richtext import html_to_markdown, render_markdown


def to_markdown(apps, schema_editor):
    Idea = apps.get_model("ideas_lab", "Idea")
    for idea in Idea.objects.exclude(description="").only("pk", "description").iterator():
        converted = html_to_markdown(idea.description)
        if converted != idea.description:
            Idea.objects.filter(pk=idea.pk).update(description=converted)


def to_html(apps, schema_editor):
    Idea = apps.get_model("ideas_lab", "Idea")
    for idea in Idea.objects.exclude(description="").only("pk", "description").iterator():
        Idea.objects.filter(pk=idea.pk).update(description=str(render_markdown(idea.description)))


class Migration(migrations.Migration):
    dependencies = [("ideas_lab", "0004_private_file_field")]

    operations = [
        migrations.RunPython(to_markdown, to_html),
        *[
            migrations.AlterField(
                model_name=model_name,
                name="description",
                field=models.TextField(
                    blank=True,
                    help_text="Formatted text written in Markdown: an empty line between "
                    "paragraphs, **bold**, *italics*, lists, links, quotations and headings.",
                    verbose_name="description",
                ),
            )
            for model_name in ("historicalidea", "idea")
        ],
    ]
