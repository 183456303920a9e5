"""Placeholder MyHibachi API: only the health endpoints the platform probes (APP-2)."""
from fastapi import FastAPI

app = FastAPI(title="myhibachi-api (placeholder)")


@app.get("/health")
def health() -> dict[str, str]:
    """Liveness: the process answers."""
    return {"status": "healthy"}


@app.get("/health/ready")
def ready() -> dict[str, str]:
    """Readiness: the real app checks PostgreSQL and Redis here before taking traffic."""
    return {"status": "ready"}
