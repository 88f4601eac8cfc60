"""The product's URLconf, unchanged and first, with the benchmark's floor routes after it.

Only bench/settings.py uses it, so only the benchmark's server has these routes.
"""

from django.urls import path

from bench import views
from workbook import urls as product

urlpatterns = [
    *product.urlpatterns,
    path("bench/floor/<slug:key>/", views.floor, name="bench-floor"),
]

handler500 = product.handler500
