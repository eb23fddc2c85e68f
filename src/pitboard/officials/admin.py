from django.contrib import admin

from pitboard.officials.models import Role


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "granted_at")
    list_filter = ("kind",)
    filter_horizontal = ("series",)
    search_fields = ("user__username",)
