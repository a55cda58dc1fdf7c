"""Liveness and readiness probes."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import LibraryDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz(library: LibraryDep) -> dict[str, object]:
    """The process can serve: documents are loaded."""
    return {"status": "ok", "documents": len(library.documents)}
