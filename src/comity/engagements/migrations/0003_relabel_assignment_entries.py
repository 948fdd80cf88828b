from django.db import migrations


def under_their_activity(apps, schema_editor):
    """Change-log entries about activity assignments written before they shared their activity's
    label were PUBLIC: give each the label of the activity it names (who was invited to a SECRET
    activity is SECRET). Entries whose activity is gone keep theirs."""
    AuditEntry = apps.get_model("core", "AuditEntry")
    ProgrammeActivity = apps.get_model("engagements", "ProgrammeActivity")
    labels = dict(ProgrammeActivity.objects.values_list("pk", "label_id"))
    entries = AuditEntry.objects.filter(content_type__app_label="engagements", content_type__model="activityassignment")
    for entry in entries.iterator():
        snapshot = entry.after or entry.before or {}
        label_id = labels.get(snapshot.get("activity_id"))
        if label_id is not None and label_id != entry.label_id:
            AuditEntry.objects.filter(pk=entry.pk).update(label_id=label_id)


class Migration(migrations.Migration):

    dependencies = [
        ("engagements", "0002_owner"),
    ]

    operations = [migrations.RunPython(under_their_activity, migrations.RunPython.noop)]
