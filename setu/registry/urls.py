from django.urls import path

from setu.registry import views

app_name = "registry"
urlpatterns = [
    path("cases/", views.case_list, name="case-list"),
    path("persons/", views.person_list, name="person-list"),
]
