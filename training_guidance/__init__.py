"""Træningsguiden core: knowledge, assessment, deadlines and Danish text. Never imports Rasa."""
