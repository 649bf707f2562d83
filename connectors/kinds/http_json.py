"""HTTP JSON API connector: paged (page, offset or cursor), app-key or bearer-token auth, retries with
backoff on 429/5xx and timeouts, records at a JSON path, and an `open311` preset (GeoReport v2)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

import httpx
import polars as pl
from pydantic import Field, SecretStr, model_validator

from connectors.base import Batch, Connector, FetchContext, Reject, Settings, register
from connectors.errors import ConfigError, TransientError, safe_message
from connectors.jsontext import InvalidJson, as_text, at_path, loads_tolerant

OPEN311_FIELDS = {
    "service_request_id": "service_request_id", "status": "status", "status_notes": "status_notes",
    "service_name": "service_name", "service_code": "service_code", "description": "description",
    "agency_responsible": "agency_responsible", "requested_datetime": "requested_datetime",
    "updated_datetime": "updated_datetime", "expected_datetime": "expected_datetime", "address": "address",
    "zipcode": "zipcode", "lat": "lat", "long": "long", "ward": "extended_attributes.ward",
}
PRESETS: dict[str, dict[str, Any]] = {
    "open311": {"records_path": "", "paging": "page", "page_param": "page", "size_param": "page_size",
                "page_size": 100, "since_param": "start_date", "cursor_field": "updated_datetime",
                "fields": OPEN311_FIELDS, "app_key_name": "api_key", "app_key_in": "query"},
}


class HttpJsonSettings(Settings):
    """Settings of an `http_json` source."""

    preset: Literal["open311"] | None = Field(default=None, description="Defaults for a known API format")
    url: str = Field(description="Endpoint returning the records")
    params: dict[str, str] = Field(default_factory=dict, description="Fixed query parameters")
    headers: dict[str, str] = Field(default_factory=dict)
    records_path: str = Field(default="", description="Dotted path to the list of records; '' for the top level")
    fields: dict[str, str] = Field(default_factory=dict, description="Dataset column → dotted path in a record")
    paging: Literal["none", "page", "offset", "cursor"] = "none"
    page_param: str = "page"
    size_param: str = "page_size"
    page_size: int = Field(default=100, ge=1)
    first_page: int = 1
    offset_param: str = "offset"
    cursor_param: str = "cursor"
    next_cursor_path: str = Field(default="next", description="Dotted path of the next page's cursor")
    max_pages: int = Field(default=1000, ge=1)
    since_param: str | None = Field(default=None, description="Query parameter for 'changed since' (incremental)")
    cursor_field: str | None = Field(default=None, description="Record field holding its update time")
    auth: Literal["none", "app_key", "bearer"] = "none"
    app_key: SecretStr | None = None
    app_key_name: str = "X-App-Key"
    app_key_in: Literal["header", "query"] = "header"
    token_url: str | None = Field(default=None, description="OAuth2 client-credentials token endpoint")
    client_id: str | None = None
    client_secret: SecretStr | None = None
    request_timeout: float = Field(default=30.0, gt=0, description="Seconds per request")
    max_retries: int = Field(default=3, ge=0)
    backoff_seconds: float = Field(default=1.0, ge=0)

    @model_validator(mode="before")
    @classmethod
    def _apply_preset(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("preset") in PRESETS:
            return {**PRESETS[data["preset"]], **data}
        return data

    @model_validator(mode="after")
    def _auth_complete(self) -> HttpJsonSettings:
        if self.auth == "app_key" and self.app_key is None:
            raise ValueError("auth: app_key 需要 app_key")
        if self.auth == "bearer" and not (self.token_url and self.client_id and self.client_secret):
            raise ValueError("auth: bearer 需要 token_url、client_id 和 client_secret")
        return self


@register
class HttpJson(Connector):
    """Reads records from a paged JSON API."""

    kind = "http_json"
    settings = HttpJsonSettings

    def time_cursor_for(self, settings: HttpJsonSettings) -> bool:
        """Incremental when the API takes a 'since' parameter and records carry an update time."""
        return bool(settings.since_param and settings.cursor_field)

    def fetch(self, settings: HttpJsonSettings, ctx: FetchContext) -> Iterator[Batch]:
        """Yield one batch per page; the cursor (newest update time seen) comes with the last page."""
        timeout = min(settings.request_timeout, ctx.timeout_seconds)
        with httpx.Client(timeout=timeout, headers=settings.headers) as client:
            api = _Api(client, settings)
            params = dict(settings.params)
            if settings.since_param and ctx.since is not None:
                params[settings.since_param] = ctx.since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            newest: datetime | None = None
            page, offset, token = settings.first_page, 0, None
            for _ in range(settings.max_pages):
                query = dict(params)
                if settings.paging == "page":
                    query |= {settings.page_param: str(page), settings.size_param: str(settings.page_size)}
                elif settings.paging == "offset":
                    query |= {settings.offset_param: str(offset), settings.size_param: str(settings.page_size)}
                elif settings.paging == "cursor" and token:
                    query[settings.cursor_param] = token
                text = api.get(query)
                try:
                    body = loads_tolerant(text)
                except InvalidJson as exc:
                    yield Batch(pl.DataFrame(), None, [Reject(json.dumps({"body": text[:4000]}, ensure_ascii=False),
                                                              f"接口返回{exc}")])
                    raise TransientError(f"接口 {_where(settings.url)} 返回{exc}，原文已存入隔离区") from None
                records = at_path(body, settings.records_path)
                if not isinstance(records, list):
                    raise ConfigError(f"接口 {_where(settings.url)} 的返回中，records_path "
                                      f"「{settings.records_path}」处不是记录列表")
                newest = _newest(records, settings, ctx, newest)
                token = as_text(at_path(body, settings.next_cursor_path)) if settings.paging == "cursor" else None
                last = (settings.paging == "none" or not records
                        or (settings.paging in ("page", "offset") and len(records) < settings.page_size)
                        or (settings.paging == "cursor" and not token))
                cursor = newest.isoformat() if (last and newest is not None) else None
                yield Batch(_frame(records, settings), cursor)
                if last:
                    return
                page, offset = page + 1, offset + len(records)


class _Api:
    """One API session: auth, retries with exponential backoff, errors classified with safe messages."""

    def __init__(self, client: httpx.Client, settings: HttpJsonSettings):
        self.client, self.s, self.token = client, settings, None

    def get(self, query: dict[str, str]) -> str:
        s = self.s
        refreshed = False
        attempt = 0
        while True:
            headers, params = self._auth(dict(query))
            try:
                resp = self.client.get(s.url, params=params, headers=headers)
            except (httpx.TimeoutException, httpx.TransportError) as exc:
                if attempt < s.max_retries:
                    attempt = self._wait(attempt, None)
                    continue
                kind = "请求超时" if isinstance(exc, httpx.TimeoutException) else "无法连接"
                raise TransientError(f"接口 {_where(s.url)} {kind}（已重试 {attempt} 次）") from None
            if resp.status_code == 401 and s.auth == "bearer" and not refreshed:
                self.token, refreshed = None, True
                continue
            if resp.status_code in (401, 403):
                raise ConfigError(f"接口 {_where(s.url)} 拒绝访问（HTTP {resp.status_code}），请检查应用密钥或令牌设置")
            if resp.status_code == 429 or resp.status_code >= 500:
                if attempt < s.max_retries:
                    attempt = self._wait(attempt, resp.headers.get("Retry-After"))
                    continue
                raise TransientError(f"接口 {_where(s.url)} 返回 HTTP {resp.status_code}（已重试 {attempt} 次）")
            if resp.status_code >= 400:
                raise ConfigError(f"接口 {_where(s.url)} 返回 HTTP {resp.status_code}：{safe_message(resp.text[:200])}")
            return resp.text

    def _wait(self, attempt: int, retry_after: str | None) -> int:
        delay = self.s.backoff_seconds * (2 ** attempt)
        if retry_after and retry_after.isdigit():
            delay = max(delay, min(float(retry_after), 60.0))
        time.sleep(delay)
        return attempt + 1

    def _auth(self, params: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
        s = self.s
        headers: dict[str, str] = {}
        if s.auth == "app_key" and s.app_key is not None:
            if s.app_key_in == "header":
                headers[s.app_key_name] = s.app_key.get_secret_value()
            else:
                params[s.app_key_name] = s.app_key.get_secret_value()
        elif s.auth == "bearer":
            headers["Authorization"] = f"Bearer {self._token()}"
        return headers, params

    def _token(self) -> str:
        if self.token:
            return self.token
        s = self.s
        try:
            resp = self.client.post(s.token_url, data={
                "grant_type": "client_credentials", "client_id": s.client_id,
                "client_secret": s.client_secret.get_secret_value() if s.client_secret else ""})
        except httpx.TransportError:
            raise TransientError(f"令牌接口 {_where(s.token_url)} 无法连接") from None
        if resp.status_code in (400, 401, 403):
            raise ConfigError(f"令牌接口 {_where(s.token_url)} 拒绝了客户端凭据（HTTP {resp.status_code}）")
        if resp.status_code >= 300:
            raise TransientError(f"令牌接口 {_where(s.token_url)} 返回 HTTP {resp.status_code}")
        try:
            token = resp.json()["access_token"]
        except (ValueError, KeyError, TypeError):
            raise TransientError(f"令牌接口 {_where(s.token_url)} 的返回中没有 access_token") from None
        self.token = str(token)
        return self.token


def _where(url: str | None) -> str:
    """The URL without its query (a query may hold a key)."""
    return (url or "").split("?")[0]


def _frame(records: list, settings: HttpJsonSettings) -> pl.DataFrame:
    if not records:
        return pl.DataFrame()
    if settings.fields:
        cols = {c: [as_text(at_path(r, p)) for r in records] for c, p in settings.fields.items()}
    else:
        keys = list(dict.fromkeys(k for r in records if isinstance(r, dict) for k in r))
        cols = {k: [as_text(r.get(k)) if isinstance(r, dict) else None for r in records] for k in keys}
    return pl.DataFrame({c: pl.Series(c, v, dtype=pl.String) for c, v in cols.items()})


def _newest(records: list, settings: HttpJsonSettings, ctx: FetchContext, newest: datetime | None) -> datetime | None:
    if not settings.cursor_field:
        return newest
    path = settings.fields.get(settings.cursor_field, settings.cursor_field)
    for r in records:
        text = as_text(at_path(r, path))
        try:
            t = datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None
        except ValueError:
            continue
        if t is None:
            continue
        if t.tzinfo is None:
            t = t.replace(tzinfo=ZoneInfo(ctx.timezone))
        t = t.astimezone(UTC)
        newest = t if newest is None or t > newest else newest
    return newest
