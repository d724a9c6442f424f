"""Custom actions: thin adapters from slots to the training_guidance engine and back."""
from . import answers, application, interview, municipality  # noqa: F401  (registers the actions)
