import httpx
import pydantic
import structlog
