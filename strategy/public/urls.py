from django.urls import path

from strategy.public import views

app_name = "public"

urlpatterns = [
    path("", views.register_page, name="register"),
    path("register.csv", views.register_csv, name="register_csv"),
    path("register.json", views.register_json, name="register_json"),
    path("<int:pk>/", views.entry_page, name="entry"),
    path("summary/", views.summary_page, name="summary"),
]
