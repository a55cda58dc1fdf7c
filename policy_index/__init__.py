"""Policy documents → measures; the clause index and the eligibility engine. Pure Python."""
