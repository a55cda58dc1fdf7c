"""Dependencies of the web's admin routes."""

from __future__ import annotations

from api.deps import AdminUser, DbDep


def require_admin(_admin: AdminUser, session: DbDep) -> None:
    """The caller must be an admin; the auth lookup's transaction ends here (on SQLite it holds the lock)."""
    session.commit()
