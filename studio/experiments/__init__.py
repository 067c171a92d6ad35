"""A/B tests of approved variants: export to the ad platforms, import results, Bayesian analysis, learning back."""

from studio.experiments.service import ExperimentError, ExperimentService

__all__ = ["ExperimentError", "ExperimentService"]
