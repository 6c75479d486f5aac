import httpx
import pydantic
import structlog

log = structlog.get_logger()


class Settings(pydantic.BaseModel):
    url: str


def fetch(settings: Settings) -> str:
    log.info("fetching", url=settings.url)
    return httpx.get(settings.url).text
