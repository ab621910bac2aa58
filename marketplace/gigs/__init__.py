"""Odd jobs (零工) and 即时快招 instant hiring: the SQL record, the Redis queue and dispatch."""
