"""Checks of the model against the paper and against history: the paper's claims as
comparative statics (:mod:`indopacsim.validation.claims`)."""
