"""The tamper-evident change log: each entry's place and hashes, the chain head, signed tree heads.

Existing entries are chained in id order (the order they were written in), under the label they
carry now; the head row is set to the last of them.
"""

import django.utils.timezone
from django.db import migrations, models

import comity.core.models.audit


def chain_existing(apps, schema_editor):
    from comity.core.audit_chain import GENESIS, canonical_bytes, canonical_json, hash_hex, time_text

    AuditEntry = apps.get_model("core", "AuditEntry")
    AuditHead = apps.get_model("core", "AuditHead")
    ContentType = apps.get_model("contenttypes", "ContentType")
    names = {pk: f"{app}.{model}" for pk, app, model in ContentType.objects.values_list("pk", "app_label", "model")}
    prev, seq, batch = GENESIS, 0, []
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        seq += 1
        entry.seq, entry.label_at_write, entry.prev_hash = seq, entry.label_id, prev
        entry.entry_hash = hash_hex(
            canonical_bytes(
                seq=seq,
                time=time_text(entry.time),
                username=entry.username,
                action=entry.action,
                content_type=names[entry.content_type_id],
                object_id=entry.object_id,
                object_repr=entry.object_repr,
                before="null" if entry.before is None else canonical_json(entry.before),
                after="null" if entry.after is None else canonical_json(entry.after),
                label_id=entry.label_at_write,
                prev_hash=prev,
            )
        )
        prev = entry.entry_hash
        batch.append(entry)
        if len(batch) >= 2000:
            AuditEntry.objects.bulk_update(batch, ["seq", "label_at_write", "prev_hash", "entry_hash"])
            batch = []
    if batch:
        AuditEntry.objects.bulk_update(batch, ["seq", "label_at_write", "prev_hash", "entry_hash"])
    AuditHead.objects.update_or_create(pk=1, defaults={"seq": seq, "entry_hash": prev})


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0005_datakey"),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditHead",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("seq", models.PositiveBigIntegerField(default=0)),
                ("entry_hash", models.CharField(default="0" * 64, max_length=64)),
            ],
            options={"db_table": "core_audithead"},
        ),
        migrations.CreateModel(
            name="TreeHead",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("tree_size", models.PositiveBigIntegerField(unique=True)),
                ("root_hash", models.CharField(max_length=64)),
                ("timestamp", models.DateTimeField()),
                ("signature", models.CharField(help_text="Ed25519 over the canonical head, hex.", max_length=128)),
                ("key_id", models.CharField(help_text="SHA-256 of the raw public key, hex.", max_length=64)),
                ("frontier", models.JSONField(default=list)),
            ],
            options={"db_table": "core_treehead", "ordering": ["tree_size"]},
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="time",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="action",
            field=models.CharField(
                choices=[("create", "Created"), ("update", "Updated"), ("delete", "Deleted"), ("read", "Read")],
                max_length=8,
            ),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="before",
            field=models.JSONField(blank=True, encoder=comity.core.models.audit.CanonicalJSONEncoder, null=True),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="after",
            field=models.JSONField(blank=True, encoder=comity.core.models.audit.CanonicalJSONEncoder, null=True),
        ),
        migrations.AddField(model_name="auditentry", name="seq", field=models.PositiveBigIntegerField(null=True)),
        migrations.AddField(model_name="auditentry", name="label_at_write", field=models.BigIntegerField(null=True)),
        migrations.AddField(
            model_name="auditentry", name="prev_hash", field=models.CharField(default="", max_length=64)
        ),
        migrations.AddField(
            model_name="auditentry", name="entry_hash", field=models.CharField(default="", max_length=64)
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="auditentry",
            name="seq",
            field=models.PositiveBigIntegerField(
                help_text="Place in the chain: 1, 2, 3, ... without gaps.", unique=True
            ),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="label_at_write",
            field=models.BigIntegerField(
                help_text="The label id the entry was written under, as hashed; ``label`` may rise later, never fall."
            ),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="prev_hash",
            field=models.CharField(
                help_text="``entry_hash`` of the entry before (hex); zeros first.", max_length=64
            ),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="entry_hash",
            field=models.CharField(
                help_text="SHA-256(0x00 || canonical entry), hex: the Merkle leaf.", max_length=64
            ),
        ),
    ]
