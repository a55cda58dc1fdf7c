"""Policy documents and measures over HTTP."""
