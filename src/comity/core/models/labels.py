"""Security policies (from SPIF files) and confidentiality labels (STANAG 4774).

Labels are immutable and stored once per distinct content (``fingerprint``): records point at a
shared label row, which keeps the access filter a subquery over a small table.
"""

from __future__ import annotations

from django.db import models

from comity.core.access import CategorySpec, CategoryType, LabelSpec


class SecurityPolicy(models.Model):
    """A security policy such as ``NATO`` or ``PUBLIC``, loaded from its SPIF."""

    name = models.CharField(max_length=64, unique=True)
    oid = models.CharField(max_length=128, blank=True, help_text="Policy object identifier from the SPIF.")
    spif_version = models.CharField(max_length=32, blank=True)
    source = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name_plural = "security policies"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Classification(models.Model):
    """One classification of a policy, ordered by ``rank`` (the SPIF ``hierarchy``)."""

    policy = models.ForeignKey(SecurityPolicy, on_delete=models.CASCADE, related_name="classifications")
    name = models.CharField(max_length=64)
    rank = models.PositiveSmallIntegerField()
    lacv = models.PositiveIntegerField(null=True, blank=True)
    marking = models.CharField(max_length=64, help_text="How the classification is shown on a page.")

    class Meta:
        ordering = ["policy__name", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "name"], name="classification_unique_name"),
            models.UniqueConstraint(fields=["policy", "rank"], name="classification_unique_rank"),
        ]

    def __str__(self) -> str:
        return self.marking


class CategoryTag(models.Model):
    """A category tag a policy defines (e.g. NATO "Releasable To", permissive)."""

    policy = models.ForeignKey(SecurityPolicy, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(max_length=64)
    type = models.CharField(max_length=16, choices=[(t.value, t.value) for t in CategoryType])
    oid = models.CharField(max_length=128, blank=True)
    values = models.JSONField(default=list, blank=True, help_text="Values the SPIF lists for this tag.")

    class Meta:
        ordering = ["policy__name", "name"]
        constraints = [models.UniqueConstraint(fields=["policy", "name"], name="categorytag_unique_name")]

    def __str__(self) -> str:
        return f"{self.policy.name} {self.name}"


class ConfidentialityLabel(models.Model):
    """An immutable confidentiality label; records reference it through ``LabelledModel.label``."""

    policy = models.ForeignKey(SecurityPolicy, on_delete=models.PROTECT, related_name="+")
    classification = models.ForeignKey(Classification, on_delete=models.PROTECT, related_name="+")
    fingerprint = models.CharField(max_length=64, unique=True, editable=False)
    marking = models.CharField(max_length=512, editable=False, help_text="The label as shown on a page.")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["policy__name", "classification__rank", "marking"]

    def __str__(self) -> str:
        return self.marking

    def to_spec(self) -> LabelSpec:
        """This label as a storage-free ``LabelSpec`` (uses prefetched categories when present)."""
        categories = tuple(
            CategorySpec(
                tag_name=c.tag_name,
                type=CategoryType(c.type),
                values=frozenset(v.value for v in c.values.all()),
            )
            for c in self.categories.all()
        )
        return LabelSpec(
            policy=self.policy.name,
            classification=self.classification.name,
            rank=self.classification.rank,
            categories=categories,
            created=self.created,
        )


class LabelCategory(models.Model):
    """One category of a label (tag name and type); its values are ``LabelCategoryValue`` rows."""

    label = models.ForeignKey(ConfidentialityLabel, on_delete=models.CASCADE, related_name="categories")
    tag_name = models.CharField(max_length=64)
    type = models.CharField(max_length=16, choices=[(t.value, t.value) for t in CategoryType])

    class Meta:
        ordering = ["tag_name"]
        constraints = [models.UniqueConstraint(fields=["label", "tag_name"], name="labelcategory_unique_tag")]
        indexes = [models.Index(fields=["type", "label"])]

    def __str__(self) -> str:
        return f"{self.tag_name} ({self.type})"


class LabelCategoryValue(models.Model):
    """One value of a label category, e.g. ``FIN`` under "Releasable To"."""

    category = models.ForeignKey(LabelCategory, on_delete=models.CASCADE, related_name="values")
    value = models.CharField(max_length=64)

    class Meta:
        ordering = ["value"]
        constraints = [models.UniqueConstraint(fields=["category", "value"], name="labelcategoryvalue_unique")]

    def __str__(self) -> str:
        return self.value
