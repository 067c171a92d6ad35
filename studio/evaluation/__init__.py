"""Eval suites (`studio eval`): each suite is a module `studio.evaluation.<name>` with
`run_suite(repo_root, quick=False) -> {"suite", "metrics", "rows", "targets_met"}`; the runner
finds them by name, prints one table per suite (or one JSON document) and sets the exit code.
"""

from studio.evaluation.runner import SUITES, run_eval_command, run_suites

__all__ = ["SUITES", "run_eval_command", "run_suites"]
