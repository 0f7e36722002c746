from django.urls import path

from setu.accounts import views

app_name = "accounts"
urlpatterns = [
    path("me/", views.account_home, name="account-home"),
    path("me/tokens/", views.token_list, name="token-list"),
    path("me/tokens/<uuid:token_id>/revoke/", views.token_revoke, name="token-revoke"),
]
