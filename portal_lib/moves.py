"""Moving models from one app to another in migrations, rows and all."""

from django.db import migrations


def adopt_content_types(old_app, new_app, models):
    """A ``RunPython`` that gives the moved models' content types to ``new_app``, so that the
    permissions granted on them (the Secretariat group's, single accounts') and the admin's log
    keep pointing at them. A type the new app already has is left alone."""

    def adopt(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        db = schema_editor.connection.alias
        taken = ContentType.objects.using(db).filter(app_label=new_app, model__in=models)
        ContentType.objects.using(db).filter(app_label=old_app, model__in=models).exclude(
            model__in=taken.values("model")
        ).update(app_label=new_app)

    return migrations.RunPython(adopt, migrations.RunPython.noop)
