from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("labelling", "0006_bilingual_history"),
    ]

    operations = [
        # The labelled projects' list, latest decided first, read in the index's order.
        migrations.AddIndex(
            model_name="labellingrequest",
            index=models.Index(
                fields=["state", "-decided_at", "-start_date"], name="labelling_l_state_be042f_idx"
            ),
        ),
    ]
