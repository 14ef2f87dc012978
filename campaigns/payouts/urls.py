from django.urls import path

from campaigns.payouts import views

urlpatterns = [
    path("", views.payouts, name="payouts"),
    path("bank-file/", views.payouts_bank_file, name="payouts_bank_file"),
    path("summary/<str:file_format>/", views.payouts_summary, name="payouts_summary"),
    path("statements/<str:file_format>/", views.payouts_yearly, name="payouts_yearly"),
]
