"""Secrets that never live in the database or under a served path, and small file-locking helpers."""
