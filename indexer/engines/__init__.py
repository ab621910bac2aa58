"""Search engines behind one protocol: embedded SQLite FTS5 (default) and Elasticsearch 8.x."""
