"""The enterprise profile: eligibility answers kept for the next self-check."""
