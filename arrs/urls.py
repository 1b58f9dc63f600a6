from django.urls import path

from arrs.views import icb, pcn, plans, records, roles, totals

app_name = "arrs"
urlpatterns = [
    path("", icb.workforce, name="icb"),
    path("fte.csv", icb.fte_csv, name="fte_csv"),
    path("fte.xlsx", icb.fte_xlsx, name="fte_xlsx"),
    path("spend.csv", icb.spend_csv, name="spend_csv"),
    path("pcn/<str:code>/", pcn.workforce, name="pcn"),
    path("pcn/<str:code>/fte.csv", pcn.fte_csv, name="pcn_fte_csv"),
    path("pcn/<str:code>/plan-template.xlsx", pcn.template, name="template"),
    path("pcn/<str:code>/upload/", pcn.upload, name="upload"),
    path("plans/", plans.plan_list, name="plans"),
    path("plans/<int:pk>/", plans.detail, name="plan"),
    path("plans/<int:pk>/submit/", plans.submit, name="submit"),
    path("plans/<int:pk>/review/", plans.review, name="review"),
    path("rounds/", records.rounds, name="rounds"),
    path("rounds/<int:pk>/open/", records.round_open, name="round_open"),
    path("allocations/", records.allocations, name="allocations"),
    path("amounts/", records.amounts, name="amounts"),
    path("amounts/add/", records.amounts_add, name="amounts_add"),
    path("staff-roles/", records.staff_roles, name="staff_roles"),
    path("role-names/", roles.role_aliases, name="role_aliases"),
    path("icb-in-post/", totals.icb_in_post_totals, name="icb_in_post"),
]
