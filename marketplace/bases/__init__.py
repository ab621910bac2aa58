"""Labour cooperation bases: vacancy digests (JSON feed, CSV, signed webhook) and recruits."""
