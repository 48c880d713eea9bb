"""The 运行监测 page: sample, monthly report grid and form, start dialog."""
