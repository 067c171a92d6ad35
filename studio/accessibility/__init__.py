"""Accessibility of what Studio makes: alt text for creatives (the copy check is studio/checks/accessibility.py)."""
