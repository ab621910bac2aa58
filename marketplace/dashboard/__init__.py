"""The staff dashboard: the plan's targets and the labour market in charts and tables."""
