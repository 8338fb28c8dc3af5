from django.contrib import admin

from tanu.monitoring.models import Facility


@admin.register(Facility)
class FacilityAdmin(admin.ModelAdmin):
    """The facility registry is reference data; visits and reports stay out of the admin."""

    list_display = ("name_ru", "kind", "region", "operating_agency", "is_active")
    list_filter = ("kind", "region", "is_active")
    search_fields = ("name_ru", "name_kk", "name_en", "address")
