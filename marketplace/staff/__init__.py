"""Employment-service staff's work: verifying employers, key enterprises, the review queue."""
