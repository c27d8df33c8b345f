"""Django admin for the layer registry: layers with their metadata and grants, themes, groups,
grants, and the edit history (read-only: history is evidence, it is only ever appended to)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from geo.models import Change, Layer, LayerGroup, LayerPermission, TucbsTheme
from geo.services.schema import schema_validator


class GrantInline(admin.TabularInline):
    model = LayerPermission
    extra = 0
    fields = ("user", "group", "right")
    autocomplete_fields = ("user", "group")
    verbose_name = _("yetki")
    verbose_name_plural = _("yetkiler")


class LayerGrantInline(GrantInline):
    fk_name = "layer"


class GroupGrantInline(GrantInline):
    fk_name = "layer_group"


@admin.register(Layer)
class LayerAdmin(admin.ModelAdmin):
    list_display = ("slug", "title_tr", "theme", "geometry_family", "source", "access_level", "published",
                    "data_updated_at")
    list_filter = ("theme", "access_level", "published", "geometry_family", "group")
    list_select_related = ("theme",)
    search_fields = ("slug", "title_tr", "title_en", "abstract")
    prepopulated_fields = {"slug": ("title_tr",)}
    readonly_fields = ("created_at", "updated_at")
    inlines = [LayerGrantInline]
    fieldsets = (
        (None, {"fields": ("slug", "title_tr", "title_en", "theme", "group")}),
        (_("Veri"), {"fields": ("source", "geometry_family", "native_srid", "attribute_schema", "style")}),
        (_("Yayın"), {"fields": ("access_level", "published")}),
        (_("Üstveri (ISO 19115 / TUCBS)"), {"fields": ("abstract", "keywords", "responsible_party", "licence",
                                                       "lineage", "data_updated_at")}),
        (_("Kayıt"), {"fields": ("created_at", "updated_at"), "classes": ("collapse",)}),
    )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "attribute_schema":  # a broken schema would refuse every edit later
            formfield.validators.append(schema_validator)
        return formfield


@admin.register(TucbsTheme)
class TucbsThemeAdmin(admin.ModelAdmin):
    list_display = ("code", "name_tr", "name_en", "required_attributes")
    search_fields = ("code", "name_tr", "name_en")


@admin.register(LayerGroup)
class LayerGroupAdmin(admin.ModelAdmin):
    list_display = ("slug", "title_tr", "title_en")
    search_fields = ("slug", "title_tr", "title_en")
    prepopulated_fields = {"slug": ("title_tr",)}
    inlines = [GroupGrantInline]


@admin.register(LayerPermission)
class LayerPermissionAdmin(admin.ModelAdmin):
    list_display = ("__str__", "user", "group", "layer", "layer_group", "right")
    list_filter = ("right", "group", "layer_group")
    list_select_related = ("user", "group", "layer", "layer_group")
    autocomplete_fields = ("user", "group", "layer", "layer_group")
    search_fields = ("user__username", "group__name", "layer__slug", "layer_group__slug")


@admin.register(Change)
class ChangeAdmin(admin.ModelAdmin):
    list_display = ("at", "action", "model", "object_id", "layer", "user", "comment")
    list_filter = ("action", "model", "layer")
    list_select_related = ("layer", "user")
    search_fields = ("object_id", "comment", "user__username")
    date_hierarchy = "at"

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# Agency accounts, tokens and the access log (used by /ogc/ and /tiles/ alike).
from geo import agency_admin as _agency_admin  # noqa: E402,F401
from geo import token_admin as _token_admin  # noqa: E402,F401
