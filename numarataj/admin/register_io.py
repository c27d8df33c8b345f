"""Admin for register import/export: mapping profiles (edited as JSON) and the export log."""

from django.contrib import admin

from numarataj.models import RegisterExport, RegisterProfile


@admin.register(RegisterProfile)
class RegisterProfileAdmin(admin.ModelAdmin):
    list_display = ("name", "aciklama", "updated")
    search_fields = ("name",)


@admin.register(RegisterExport)
class RegisterExportAdmin(admin.ModelAdmin):
    list_display = ("at", "profile", "since", "user")
    readonly_fields = ("at", "profile", "since", "manifest", "user")
