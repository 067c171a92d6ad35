"""Batch generation: one brief per row of a CSV/JSONL file, run concurrently, resumable, reported.

input.py parses and validates the file, state.py persists batch and task state, runner.py runs the
tasks (thread pool, rate limiter, retries), report.py builds the summary and the CSV report,
command.py is the CLI glue.
"""
