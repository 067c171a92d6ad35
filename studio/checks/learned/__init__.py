"""A learned second opinion for the claim categories: character n-gram TF-IDF and one logistic
regression per category, trained offline (scripts/train_claims_model.py) and shipped as a JSON file."""

from studio.checks.learned.model import ClaimsModel, get_claims_model

__all__ = ["ClaimsModel", "get_claims_model"]
