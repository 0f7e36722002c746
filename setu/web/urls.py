from django.urls import path

from setu.web import views

app_name = "web"
urlpatterns = [
    path("", views.home_page, name="home"),
    path("health", views.health, name="health"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("acting-as/", views.acting_as, name="acting-as"),
]
