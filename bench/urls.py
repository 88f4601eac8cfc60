"""The product's URLconf, unchanged and first, with the benchmark's floor routes after it.

Only bench/settings.py uses it, so only the benchmark's server has these routes.
"""

from django.urls import path

from bench import views
from workbook import urls as product

urlpatterns = [
    *product.urlpatterns,
    path("bench/floor/<slug:key>/", views.floor, name="bench-floor"),
    path("bench/floor/<slug:key>/reads/", views.floor_with_reads, name="bench-floor-reads"),
]

handler500 = product.handler500
