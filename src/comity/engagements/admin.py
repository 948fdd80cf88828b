"""Admin for engagements and objectives (filtered by label; saves are change-logged)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from comity.core.admin import AuditedAdmin
from comity.engagements.models import Exercise, Indicator, Objective


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


@admin.register(Objective)
class ObjectiveAdmin(AuditedAdmin):
    list_display = ["code", "title", "level", "parent", "label"]
    inlines = [IndicatorInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Objective]:
        return Objective.objects.visible_to(request.user)  # type: ignore[arg-type]


@admin.register(Exercise)
class ExerciseAdmin(AuditedAdmin):
    list_display = ["title", "start_date", "end_date", "status", "label"]
    list_filter = ["status", "domain"]
    search_fields = ["title", "key", "series"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Exercise]:
        return Exercise.objects.visible_to(request.user)  # type: ignore[arg-type]
