"""Occupations: the national classification (CSCO 2022) and job titles mapped onto it."""
