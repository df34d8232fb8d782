from django.urls import path

from ccm.coordination import views

app_name = "coordination"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("attention/", views.attention, name="attention"),
    path("forecasts/", views.forecasts, name="forecasts"),
    path("forecasts/run/", views.forecast_run, name="forecast-run"),
    path("forecasts/<slug:key>/", views.forecast_detail, name="forecast"),
    path("allocations/", views.allocations, name="allocations"),
    path("allocations/new/", views.allocation_new, name="allocation-new"),
    path("allocations/<id:pk>/", views.allocation_detail, name="allocation"),
    path("allocations/<id:pk>/share/", views.allocation_share, name="allocation-share"),
    path("allocations/<id:pk>/lines/<id:line>/pledge/", views.line_pledge, name="line-pledge"),
    path("needs/<id:pk>/donors/", views.need_donors, name="need-donors"),
    path("donors/<slug:org>/needs/", views.donor_needs, name="donor-needs"),
]
