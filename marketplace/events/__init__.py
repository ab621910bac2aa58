"""Recruitment events and campaigns: listings for seekers, management for staff and employers."""
