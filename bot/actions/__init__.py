"""Custom actions: thin adapters from slots to training_guidance.dialogue and back."""
from . import application, turn  # noqa: F401  (registers the actions)
