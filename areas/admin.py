from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Area, AreaClassification, AreaSuccession, Body, User


class ClassificationInline(admin.TabularInline):
    model = AreaClassification
    extra = 0


class SuccessionOutInline(admin.TabularInline):
    model = AreaSuccession
    fk_name = "predecessor"
    extra = 0
    autocomplete_fields = ["successor"]
    verbose_name = "đơn vị kế thừa"
    verbose_name_plural = "đơn vị kế thừa"


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "code", "parent", "closed_on", "is_demo"]
    list_filter = ["level", "is_demo", "closed_on"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]
    inlines = [ClassificationInline, SuccessionOutInline]
    list_select_related = ["parent"]


@admin.register(AreaSuccession)
class AreaSuccessionAdmin(admin.ModelAdmin):
    list_display = ["predecessor", "successor", "kind", "effective_on", "basis"]
    autocomplete_fields = ["predecessor", "successor"]


@admin.register(AreaClassification)
class AreaClassificationAdmin(admin.ModelAdmin):
    list_display = ["area", "drug_class", "valid_from", "basis"]
    list_filter = ["drug_class"]
    autocomplete_fields = ["area"]


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "area", "head_title", "symbol", "closed_on", "successor"]
    list_filter = ["kind", "is_demo"]
    search_fields = ["name", "area__name"]
    autocomplete_fields = ["area", "parent", "successor"]
    list_select_related = ["area", "successor"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "role", "area", "body", "is_active"]
    list_filter = ["role", "is_active", "is_staff"]
    search_fields = ["username", "full_name", "email"]
    autocomplete_fields = ["area", "body"]
    list_select_related = ["area", "body"]
    fieldsets = BaseUserAdmin.fieldsets + (
        ("Vai trò và đơn vị", {"fields": ("full_name", "position", "role", "area", "body")}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        ("Vai trò và đơn vị", {"fields": ("full_name", "position", "role", "area", "body")}),
    )
