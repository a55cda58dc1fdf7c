"""POST /api/v1/ask: question matching over HTTP."""
