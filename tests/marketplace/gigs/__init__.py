"""Tests of odd jobs and the 即时快招 queue, against a real Redis server."""
